// pixel_model_fvsbn.hpp — minibatch Adam training of the FVSBN of pixel_model.hpp on binarized
// images, in bounded slices (step(max_units)) like linear_train.hpp's LinearTrainer, so the
// browser's main loop trains without threads. train_fvsbn() runs it to the end. Also the
// PixelModelTrainer interface and the SlicedAdamTrainer machinery NadeTrainer (pixel_model_nade.hpp)
// shares.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/pixel/pixel_model.hpp"

namespace implay {

// Defaults measured on binarized MNIST (60 000 train / 10 000 test, pixel ≥ 128), mean test
// −log p(x) in nats after epochs 1, 2, 3: α = 0.02: 80.65, 77.67, 76.59; α = 0.01: 82.80,
// 78.87, 77.64; α = 0.05: 86.15, 80.61, 78.04; α = 0.003: 98.91, 90.91, 88.09 (for scale: the
// independent baseline 205.85, 10-neighbour context counts 83.30). 3 epochs with a 10 000-image
// evaluation after each: 4.2 s natively (9.5 s with the earlier dense GEMM kernels); one epoch
// alone 1.6–2.2 s in headless Chromium (bench/browser/sketch_run.mjs; one busy 2-core machine).
// Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α m̂ / (√v̂ + ε).
// What FvsbnTrainOptions and NadeTrainOptions share: the minibatch and Adam schedule.
inline constexpr int kMaxPixelModelEpochs = 100;      // an MNIST epoch takes seconds: 100 is hours
inline constexpr int kMaxPixelModelBatch = 1 << 16;   // B
struct AdamSchedule {
  float learning_rate = 2e-2f;   // α of the first epoch
  float lr_decay = 0.5f;         // α is multiplied by this after every epoch
  float adam_beta1 = 0.9f;       // β₁
  float adam_beta2 = 0.999f;     // β₂
  float adam_epsilon = 1e-8f;    // ε
  int batch_size = 100;          // B images per update (the last batch takes N mod B)
  int epochs = 3;                // passes over the reshuffled training set
  uint64_t seed = 1;             // every epoch's shuffle (and a model's initial weights)
  int validation_rows = 0;       // validation images evaluated after each epoch: 0 = all
};

struct FvsbnTrainOptions : AdamSchedule {
  float init_alpha = 1.0f;       // b starts at the logits of the α-smoothed pixel frequencies, W = 0
};

struct TrainEpochStats {
  int epoch = 0;                  // epochs completed (0 = before training)
  double train_nll = 0;           // mean of the minibatch losses during the epoch, nats per image
                                  // (NaN for epoch 0)
  double validation_nll = 0;      // mean −log p(x) on the validation rows (NaN when there are none)
  float learning_rate = 0;        // α used during the epoch
};

// The one interface the lab drives the trained pixel models (FVSBN, NADE) through.
class PixelModelTrainer {
 public:
  virtual ~PixelModelTrainer() = default;
  // At most max_units units: one unit is a training minibatch or one evaluation block of B
  // validation images. Returns done().
  virtual bool step(int max_units) = 0;
  virtual bool done() const = 0;
  virtual int epoch() const = 0;              // epochs completed
  virtual int batch() const = 0;              // minibatches done in this epoch
  virtual int batches_per_epoch() const = 0;
  virtual float progress() const = 0;         // 0..1
  virtual const PixelModel& model() const = 0;
  virtual const std::vector<TrainEpochStats>& history() const = 0;  // after each epoch
  virtual const std::vector<float>& batch_losses() const = 0;       // every minibatch's L
  // Why training stopped early: empty while it is healthy. A NaN or infinite loss or parameter
  // stops it (done() becomes true) with a message naming the epoch, the minibatch and the
  // learning rate; model() is then the last good one, from before the step that broke it.
  virtual const std::string& failure() const = 0;
};

// The machinery both trainers share: shuffled minibatches, Adam on the flat parameter vector,
// the learning rate decayed per epoch, validation after each epoch, all in bounded slices. A
// derived trainer builds its model, calls allocate_optimizer() and supplies the loss.
class SlicedAdamTrainer : public PixelModelTrainer {
 public:
  bool step(int max_units) final;
  bool done() const final { return done_; }
  int epoch() const final { return epoch_; }
  int batch() const final { return batch_; }
  int batches_per_epoch() const final { return batches_per_epoch_; }
  float progress() const final;
  const std::vector<TrainEpochStats>& history() const final { return history_; }
  const std::vector<float>& batch_losses() const final { return batch_losses_; }
  const std::string& failure() const final { return failure_; }

 protected:
  // Throws implay::Error (naming `model_name`) for an empty training set, validation images of
  // another size, batch_size outside 1..kMaxPixelModelBatch, epochs outside
  // 0..kMaxPixelModelEpochs or a learning rate that is not finite and > 0.
  SlicedAdamTrainer(const BinaryImages& train, const AdamSchedule& schedule, const BinaryImages* validation,
                    const char* model_name);
  void allocate_optimizer(Eigen::Index num_params);  // gradient and Adam moments, zero
  // Mean loss of the minibatch x (B, D) column-major 0/1, its gradient into grad (P).
  virtual double minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) = 0;
  virtual Eigen::VectorXf& parameters() = 0;  // (P) the model's flat parameters

 private:
  void train_one_batch();
  void adam_update();
  void finish_epoch();
  void fail(const char* what);          // restores last_good_, records failure_, stops
  const char* model_name_;
  const BinaryImages* train_;
  const BinaryImages* validation_;
  AdamSchedule schedule_;
  std::vector<int32_t> order_;          // (N) this epoch's order
  Eigen::MatrixXf batch_x_;             // (B, D) column-major 0/1
  Eigen::VectorXf grad_, m_, v_;        // (P) gradient, Adam moments
  Eigen::VectorXf last_good_;           // (P) the parameters before the latest update
  long long adam_t_ = 0;
  uint64_t shuffle_seed_ = 0;
  float lr_ = 0;
  bool done_ = false, evaluating_ = false;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  int eval_rows_ = 0, eval_next_ = 0;
  double eval_sum_ = 0, epoch_loss_sum_ = 0;
  long long units_done_ = 0, units_total_ = 0;
  std::vector<TrainEpochStats> history_;
  std::vector<float> batch_losses_;
  std::string failure_;
};

// Views `train` and `validation` (they must outlive the trainer and stay unchanged).
class FvsbnTrainer final : public SlicedAdamTrainer {
 public:
  // Throws implay::Error for an empty training set, validation images of another size,
  // batch_size < 1, epochs < 0 or learning_rate ≤ 0.
  FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation = nullptr);
  FvsbnTrainer(BinaryImages&&, const FvsbnTrainOptions&, const BinaryImages* = nullptr) = delete;

  const FvsbnModel& model() const override { return model_; }

 private:
  double minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) override;
  Eigen::VectorXf& parameters() override { return model_.params; }
  FvsbnModel model_;
};

// Steps a trainer to the end; its per-epoch history into *history when given. Throws
// implay::Error with trainer.failure() when training diverged.
void run_to_end(PixelModelTrainer& trainer, std::vector<TrainEpochStats>* history);

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options,
                       const BinaryImages* validation = nullptr, std::vector<TrainEpochStats>* history = nullptr);

}  // namespace implay
