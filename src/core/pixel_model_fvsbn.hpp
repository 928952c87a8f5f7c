// pixel_model_fvsbn.hpp — minibatch Adam training of the FVSBN of pixel_model.hpp on binarized
// images, in bounded slices (step(max_batches)) like linear_train.hpp's LinearTrainer, so the
// browser's main loop trains without threads. train_fvsbn() runs it to the end.
#pragma once
#include <cstdint>
#include <vector>

#include "core/pixel_model.hpp"

namespace implay {

// Defaults measured on binarized MNIST (60 000 train / 10 000 test, pixel ≥ 128), mean test
// −log p(x) in nats after epochs 1, 2, 3: α = 0.02: 80.65, 77.67, 76.59; α = 0.01: 82.80,
// 78.87, 77.64; α = 0.05: 86.15, 80.61, 78.04; α = 0.003: 98.91, 90.91, 88.09 (for scale: the
// independent baseline 205.85, 10-neighbour context counts 83.30). 3 epochs with a 10 000-image
// evaluation after each: 12.7 s natively, 17.7 s in wasm under node (one 2-core machine).
// Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α m̂ / (√v̂ + ε).
struct FvsbnTrainOptions {
  float learning_rate = 2e-2f;   // α of the first epoch
  float lr_decay = 0.5f;         // α is multiplied by this after every epoch
  float adam_beta1 = 0.9f;       // β₁
  float adam_beta2 = 0.999f;     // β₂
  float adam_epsilon = 1e-8f;    // ε
  int batch_size = 100;          // B images per update (the last batch takes N mod B)
  int epochs = 3;                // passes over the reshuffled training set
  float init_alpha = 1.0f;       // b starts at the logits of the α-smoothed pixel frequencies, W = 0
  uint64_t seed = 1;             // every epoch's shuffle
  int validation_rows = 0;       // validation images evaluated after each epoch: 0 = all
};

struct FvsbnEpochStats {
  int epoch = 0;                  // epochs completed (0 = before training)
  double train_nll = 0;           // mean of the minibatch losses during the epoch, nats per image
                                  // (NaN for epoch 0)
  double validation_nll = 0;      // mean −log p(x) on the validation rows (NaN when there are none)
  float learning_rate = 0;        // α used during the epoch
};

// Views `train` and `validation` (they must outlive the trainer and stay unchanged).
class FvsbnTrainer {
 public:
  // Throws implay::Error for an empty training set, validation images of another size,
  // batch_size < 1, epochs < 0 or learning_rate ≤ 0.
  FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation = nullptr);
  FvsbnTrainer(BinaryImages&&, const FvsbnTrainOptions&, const BinaryImages* = nullptr) = delete;

  // At most max_batches units: one unit is a training minibatch or one evaluation block of B
  // validation images. Returns done().
  bool step(int max_batches);
  bool done() const { return done_; }
  int epoch() const { return epoch_; }                       // epochs completed
  int batch() const { return batch_; }                       // minibatches done in this epoch
  int batches_per_epoch() const { return batches_per_epoch_; }
  float progress() const;                                    // 0..1
  const FvsbnModel& model() const { return model_; }
  const std::vector<FvsbnEpochStats>& history() const { return history_; }  // after each epoch
  const std::vector<float>& batch_losses() const { return batch_losses_; }  // every minibatch's L

 private:
  void train_one_batch();
  const BinaryImages* train_;
  const BinaryImages* validation_;
  FvsbnTrainOptions options_;
  FvsbnModel model_;
  std::vector<int32_t> order_;          // (N) this epoch's order
  Eigen::MatrixXf batch_x_;             // (B, D) column-major 0/1
  Eigen::VectorXf grad_, m_, v_;        // (P) gradient, Adam moments
  long long adam_t_ = 0;
  uint64_t shuffle_seed_ = 0;
  float lr_ = 0;
  bool done_ = false, evaluating_ = false;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  int eval_rows_ = 0, eval_next_ = 0;
  double eval_sum_ = 0, epoch_loss_sum_ = 0;
  long long units_done_ = 0, units_total_ = 0;
  std::vector<FvsbnEpochStats> history_;
  std::vector<float> batch_losses_;
};

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options,
                       const BinaryImages* validation = nullptr, std::vector<FvsbnEpochStats>* history = nullptr);

}  // namespace implay
