// linear_train.hpp — minibatch training of the linear model (linear.hpp): SGD with momentum or
// Adam (optim/optimizer.hpp), seeded shuffling, and a LinearTrainer that advances in bounded slices (step(max_batches))
// so the browser's main loop can train without threads, evaluating both plotted losses (softmax
// cross-entropy and multiclass hinge) and accuracies after every epoch. train_linear() runs it
// to the end for the CLI and the tests.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/linear/linear.hpp"
#include "core/matrix.hpp"
#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"

namespace implay {

// Everything that decides a training run. The defaults are the CLI's: Adam, α = 0.01 halved
// after every epoch, B = 100, 5 epochs, L2 with λ = 1e-5 (RegularizationOptions). Measured on
// full MNIST (60 000 train / 10 000 test, pixels scaled to [0, 1], seeds 1–4), test accuracy:
// softmax 92.72–92.85%, multiclass SVM 92.32–92.57%, structured SVM 93.07%, one-vs-all 92.16%
// (scikit-learn for scale: LogisticRegression 92.67%, Crammer–Singer LinearSVC 93.03%).
// α = 0.001 reaches only 91.5% in 5 epochs; α = 0.03 is noisier without being better.
inline constexpr int kMaxLinearEpochs = 1000;    // an MNIST epoch takes about a second
inline constexpr int kMaxLinearBatch = 1 << 16;  // B
// The optimizer's fields (optimizer, learning_rate, lr_decay, momentum, adam_*) come from
// OptimizerOptions (optim/optimizer.hpp), whose defaults are the ones above.
struct TrainOptions : OptimizerOptions {
  ObjectiveOptions objective;    // loss, margin Δ, regularizer and λ (linear.hpp)
  int batch_size = 100;          // B examples per update; the last batch of an epoch
                                 // takes the N mod B left over
  int epochs = 5;                // passes over the (reshuffled) training set
  float init_std = 1e-3f;        // W ~ N(0, σ²) at the start, b = 0
  uint64_t seed = 1;             // initial weights and every epoch's shuffle
  bool evaluate_initial = true;  // also evaluate before the first update ("epoch 0":
                                 // a sanity check, e.g. cross-entropy ≈ log C)
  int train_eval_rows = 0;       // rows of the training set evaluated after each epoch:
                                 // 0 = all, otherwise the first this many (faster)
  int curve_every = 0;           // also put a probe point on curve() every this many
                                 // minibatches (0: only the epochs' ends)
  int curve_probe_rows = 1000;   // training rows a probe point evaluates: the first ones
};

// Where a LinearTrainer is.
enum class TrainPhase {
  Training,    // running the minibatches of epoch epoch() + 1
  Evaluating,  // evaluating the model after epoch() epochs (0: before training)
  Done,
};

// The numbers of one evaluation point (after `epoch` epochs).
struct EpochStats {
  int epoch = 0;                    // epochs completed when evaluated; 0 = before any update
  Evaluation train;                 // on the training rows (TrainOptions::train_eval_rows of them)
  Evaluation validation;            // on the validation set; count = 0 when there is none
  double mean_batch_objective = 0;  // mean of the minibatch objectives during this epoch (the
                                    // noisy number SGD sees); NaN for epoch 0
  float learning_rate = 0;          // α used during this epoch (the first α for epoch 0)
};

// One point of LinearTrainer::curve(). Its Evaluations (linear.hpp) hold the cross-entropy, the
// hinge, the objective and the accuracy:
//  - epoch_end points (one per history() entry): `train` on TrainOptions::train_eval_rows rows
//    with the objective's Δ, `validation` on the validation set (count = 0 when there is none);
//  - probe points (TrainOptions::curve_every > 0): before the first update, after every
//    curve_every-th minibatch and after the last one, `train` on the first curve_probe_rows
//    training rows with the hinge at Δ = 1 whatever the objective's Δ (one yardstick for the
//    plot), `validation.count` = 0.
using LinearCurvePoint = CurvePoint<Evaluation>;

// Trains in slices. Construct, then call step() until it returns true (or done()).
//
// The trainer only VIEWS the feature matrices: train_features (N, D) and validation_features
// (V, D) must outlive it and stay unchanged (a 60 000 × 784 float set is 188 MB; it is never
// copied: each minibatch gathers its B rows into a (B, D) buffer). Labels are copied.
class LinearTrainer {
 public:
  // train_labels (N) and validation_labels (V) in 0..num_classes−1. validation_features may be
  // null (no validation set; then validation_labels must be empty). Throws implay::Error for an
  // empty training set, mismatched counts or dimensions, a label ≥ C, batch_size outside
  // 1..kMaxLinearBatch, epochs outside 0..kMaxLinearEpochs, a learning rate that is not finite
  // and > 0, or a loss that does not fit C (bce needs C = 2).
  LinearTrainer(const RowMatrixXf& train_features, std::span<const uint8_t> train_labels, int num_classes,
                const TrainOptions& options, const RowMatrixXf* validation_features = nullptr,
                std::span<const uint8_t> validation_labels = {});
  // A temporary would dangle: pass a matrix that lives as long as the trainer.
  LinearTrainer(RowMatrixXf&& train_features, std::span<const uint8_t>, int, const TrainOptions&,
                const RowMatrixXf* = nullptr, std::span<const uint8_t> = {}) = delete;

  // Advances by at most max_batches units of work and returns done(). A unit is one training
  // minibatch (forward + backward + update), or one evaluation block of 2·B rows (a forward
  // pass only, about the same work). One epoch of 60 000 MNIST rows at B = 100 is 600 units of
  // training plus 300 + 50 of evaluation (training set + a 10 000-row validation set).
  bool step(int max_batches);

  bool done() const { return phase_ == TrainPhase::Done; }
  TrainPhase phase() const { return phase_; }
  int epoch() const { return epoch_; }                              // epochs completed
  int batch() const { return batch_; }                              // minibatches done in the current epoch
  int batches_per_epoch() const { return batches_per_epoch_; }      // ⌈N / B⌉
  float progress() const;                                           // work done / all work, 0..1
  float learning_rate() const { return optimizer_.learning_rate; }  // α of the current epoch
  // Why training stopped early: empty while it is healthy. A NaN or infinite objective or
  // parameter stops it (done() becomes true) with a message naming the epoch, the minibatch and
  // the learning rate; model() is then the last good one, from before the step that broke it.
  const std::string& failure() const { return failure_; }

  const LinearModel& model() const { return model_; }
  const TrainOptions& options() const { return options_; }
  const std::vector<EpochStats>& history() const { return history_; }               // one entry per evaluation
  const std::vector<LinearCurvePoint>& curve() const { return curve_; }             // in the order recorded
  const std::vector<float>& batch_objectives() const { return batch_objectives_; }  // every minibatch's L

 private:
  void start_epoch();
  void train_one_batch();
  void start_evaluation();
  void evaluate_one_block();
  void record_probe();          // a probe point on curve_
  void fail(const char* what);  // restores last_good_, records failure_, stops

  const RowMatrixXf* train_;                // (N, D) viewed
  const RowMatrixXf* validation_;           // (V, D) viewed, or null
  std::vector<uint8_t> train_labels_;       // (N)
  std::vector<uint8_t> validation_labels_;  // (V)
  TrainOptions options_;
  LinearModel model_;
  uint64_t shuffle_state_ = 0;    // Rng seed of the next epoch's shuffle
  std::vector<int32_t> order_;    // (N) this epoch's order of the training rows
  RowMatrixXf batch_x_;           // (B, D) gathered minibatch
  std::vector<int> batch_y_;      // (B) its labels
  Eigen::VectorXf grad_;          // (P) P = C·D + C, laid out like params
  ScheduledOptimizer optimizer_;  // SGD's or Adam's state, α of the current epoch
  Eigen::VectorXf last_good_;     // (P) the parameters before the latest update
  TrainPhase phase_ = TrainPhase::Training;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  double epoch_objective_sum_ = 0;  // Σ minibatch objectives of the current epoch
  int eval_block_ = 0;              // rows per evaluation unit (2·B)
  int train_eval_rows_ = 0;         // rows of the training set evaluated
  int eval_next_ = 0;               // next row to evaluate: training rows first, then
                                    // validation rows, counted on from train_eval_rows_
  EpochStats pending_;              // the evaluation being filled
  long long units_done_ = 0, units_total_ = 0;
  std::vector<EpochStats> history_;
  std::vector<LinearCurvePoint> curve_;
  std::vector<float> batch_objectives_;
  std::string failure_;
};

// Trains to the end (no slicing): what the CLI and the tests use. Throws implay::Error with
// LinearTrainer::failure() when training diverged.
struct TrainResult {
  LinearModel model;
  std::vector<EpochStats> history;      // as LinearTrainer::history()
  std::vector<LinearCurvePoint> curve;  // as LinearTrainer::curve()
};
TrainResult train_linear(const RowMatrixXf& train_features, std::span<const uint8_t> train_labels, int num_classes,
                         const TrainOptions& options, const RowMatrixXf* validation_features = nullptr,
                         std::span<const uint8_t> validation_labels = {});

}  // namespace implay
