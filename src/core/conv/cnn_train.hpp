// cnn_train.hpp — minibatch training of the CNN (cnn.hpp): SGD with momentum or Adam
// (optim/optimizer.hpp), seeded shuffling, and a CnnTrainer that advances in slices bounded by
// time (step(budget_ms), for the browser's frames) or by units of work (step_units, for tests),
// records the accuracies and losses on the training and test sets after every epoch (and, if
// asked, every k minibatches) and stops on divergence. train_cnn() runs it to the end. The shape
// of mlp_train.hpp's MlpTrainer, whose phase, epoch record and curve point it shares.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/conv/cnn.hpp"
#include "core/linear/linear_train.hpp"
#include "core/matrix.hpp"
#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"

namespace implay {

inline constexpr int kMaxCnnEpochs = 1000;
inline constexpr int kMaxCnnBatch = 4096;  // B
// The first epoch's order is Rng(seed ^ kCnnShuffleStream).shuffle of 0..N−1, a stream apart
// from the initial weights' (seed itself); later epochs reseed from that Rng.
inline constexpr uint64_t kCnnShuffleStream = 0xc0c0a5eedc0c0a5eull;

// Everything that decides a training run; the optimizer's fields come from OptimizerOptions.
// The defaults train the default CNN on MNIST pixels in [0, 1]: Adam, α = 0.004 constant, B = 16.
// Measured on the first 2 000 training images, one epoch, the 10 000 test images (seeds 1, 2):
// B 16: α 0.001 → 86.0 / 87.2%, 0.002 → 89.8 / 90.1%, 0.004 → 91.3 / 92.4%, 0.008 → 91.8 / 93.8%;
// B 32 is 1.5–4 points lower at each α (fewer updates in the one epoch).
struct CnnTrainOptions : OptimizerOptions {
  NnObjective objective;         // loss, margin Δ, regularizer and λ (mlp.hpp; λ = 0 by default)
  int batch_size = 16;           // B examples per update; the last batch of an epoch takes the rest
  int epochs = 1;                // passes over the (reshuffled) training set
  uint64_t seed = 1;             // initial weights (init_cnn) and every epoch's shuffle
  bool evaluate_initial = true;  // also evaluate before the first update ("epoch 0")
  int train_eval_rows = 0;       // training rows evaluated after each epoch: 0 = all, else the first ones
  int curve_every = 0;           // also put a probe point on curve() every this many minibatches (0: none)
  int curve_probe_rows = 500;    // rows a probe point evaluates, of the training and of the test set

  CnnTrainOptions() {
    learning_rate = 0.004f;
    lr_decay = 1.0f;
  }
};

using CnnEpochStats = EpochStats;                 // validation = the TEST set given to the trainer
using CnnCurvePoint = CurvePoint<CnnEvaluation>;  // as MlpCurvePoint

// Pixels (N, H·W·C) u8 as idx.hpp's LabeledImages::pixels → the CNN's inputs (N, C·H·W) in
// [0, 1] (x / 255). For one channel the layouts agree. Throws implay::Error when the byte count
// is not N · pixels_per_image.
RowMatrixXf unit_pixels(std::span<const uint8_t> pixels, int count, int pixels_per_image);

// Trains in slices. Construct, then call step() until it returns true (or done()).
// The trainer only VIEWS train_x (N, C·H·W) and test_x (T, C·H·W): they must outlive it and stay
// unchanged (each minibatch gathers its B rows into a (B, C·H·W) buffer). Labels are copied.
class CnnTrainer {
 public:
  // A fresh net of `shape`, initialized by init_cnn(options.seed). test_x may be null (then
  // test_labels must be empty). Throws implay::Error for a bad shape, an empty training set,
  // mismatched counts or sizes, a label outside the classes, batch_size outside 1..4096, epochs
  // outside 0..1000, a learning rate that is not finite and > 0, a margin ≤ 0 or a bad λ.
  CnnTrainer(const CnnShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
             const CnnTrainOptions& options, const RowMatrixXf* test_x = nullptr,
             std::span<const uint8_t> test_labels = {});
  // Continues from `start` (e.g. a loaded model). Same errors.
  CnnTrainer(Cnn start, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
             const CnnTrainOptions& options, const RowMatrixXf* test_x = nullptr,
             std::span<const uint8_t> test_labels = {});
  // A temporary would dangle: pass matrices that live as long as the trainer.
  CnnTrainer(const CnnShape&, RowMatrixXf&&, std::span<const uint8_t>, const CnnTrainOptions&,
             const RowMatrixXf* = nullptr, std::span<const uint8_t> = {}) = delete;
  CnnTrainer(Cnn, RowMatrixXf&&, std::span<const uint8_t>, const CnnTrainOptions&, const RowMatrixXf* = nullptr,
             std::span<const uint8_t> = {}) = delete;

  // Runs units of work until budget_ms milliseconds have passed (at least one unit) and returns
  // done(). A unit is one training minibatch (forward + backward + update) or one evaluation
  // block of 2·B rows. The result does not depend on how the work is sliced.
  bool step(double budget_ms);
  // Runs at most max_units units and returns done().
  bool step_units(int max_units);

  bool done() const { return phase_ == TrainPhase::Done; }
  TrainPhase phase() const { return phase_; }
  int epoch() const { return epoch_; }                          // epochs completed
  int batch() const { return batch_; }                          // minibatches done in this epoch
  int batches_per_epoch() const { return batches_per_epoch_; }  // ⌈N / B⌉
  long long steps() const { return steps_; }                    // minibatches done in all
  float progress() const;                                       // work done / all work, 0..1
  float learning_rate() const { return optimizer_.learning_rate; }
  // Why training stopped early: empty while healthy. A non-finite objective or parameter stops it
  // with a message naming the epoch, the minibatch, the step and α; cnn() is then the last good net.
  const std::string& failure() const { return failure_; }

  const Cnn& cnn() const { return cnn_; }
  const CnnTrainOptions& options() const { return options_; }
  const std::vector<CnnEpochStats>& history() const { return history_; }            // one per evaluation
  const std::vector<CnnCurvePoint>& curve() const { return curve_; }                // in the order recorded
  const std::vector<float>& batch_objectives() const { return batch_objectives_; }  // every minibatch's L
  // The forward pass of the latest training minibatch (every layer's feature maps).
  const CnnActivations& last_batch() const { return train_ws_.activations; }

  // α from the next minibatch on. Throws implay::Error for a value that is not finite and > 0.
  void set_learning_rate(float learning_rate);

 private:
  void start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels, const RowMatrixXf* test_x,
             std::span<const uint8_t> test_labels);
  void run_unit();
  void start_epoch();
  void train_one_batch();
  void start_evaluation();
  void evaluate_one_block();
  void record_probe();
  void fail(const std::string& what);

  const RowMatrixXf* train_ = nullptr;  // (N, C·H·W) viewed
  const RowMatrixXf* test_ = nullptr;   // (T, C·H·W) viewed, or null
  std::vector<uint8_t> train_labels_;   // (N)
  std::vector<uint8_t> test_labels_;    // (T)
  CnnTrainOptions options_;
  Cnn cnn_;
  uint64_t shuffle_state_ = 0;    // Rng seed of the next epoch's shuffle
  std::vector<int32_t> order_;    // (N) this epoch's order of the training rows
  RowMatrixXf batch_x_;           // (B, C·H·W) the gathered minibatch
  std::vector<int> batch_y_;      // (B) its labels
  Eigen::VectorXf grad_;          // (P) laid out like params
  Eigen::VectorXf last_good_;     // (P) the parameters before the latest update
  ScheduledOptimizer optimizer_;  // SGD's or Adam's state, α now
  CnnWorkspace train_ws_, eval_ws_;
  TrainPhase phase_ = TrainPhase::Training;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  long long steps_ = 0;
  double epoch_objective_sum_ = 0;  // Σ minibatch objectives of the current epoch
  int eval_block_ = 0;              // rows per evaluation unit (2·B)
  int train_eval_rows_ = 0;         // rows of the training set evaluated
  int eval_next_ = 0;               // next row to evaluate: training rows, then test rows
  CnnEpochStats pending_;           // the evaluation being filled
  long long units_done_ = 0, units_total_ = 0;
  std::vector<CnnEpochStats> history_;
  std::vector<CnnCurvePoint> curve_;
  std::vector<float> batch_objectives_;
  std::string failure_;
};

// Trains to the end (no slicing). Throws implay::Error with CnnTrainer::failure() when it diverged.
struct CnnTrainResult {
  Cnn cnn;
  std::vector<CnnEpochStats> history;
  std::vector<CnnCurvePoint> curve;
};
CnnTrainResult train_cnn(const CnnShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                         const CnnTrainOptions& options, const RowMatrixXf* test_x = nullptr,
                         std::span<const uint8_t> test_labels = {});

}  // namespace implay
