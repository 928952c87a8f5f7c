// minibatch_trainer.hpp — the one sliced training loop of the core's nets, MlpTrainer
// (mlp_train.hpp) and CnnTrainer (conv/cnn_train.hpp): seeded shuffles, minibatches gathered from
// a viewed feature matrix, the optimizer with its schedule (optim/optimizer.hpp), divergence that
// stops training with the last good parameters, the evaluation after every epoch in blocks of
// 2·B rows, and probe points every k minibatches. A net plugs in its parameters, its objective
// with gradient and its blocked evaluation; the loop knows nothing else of it.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/linear/linear_train.hpp"
#include "core/matrix.hpp"
#include "core/nn/mlp.hpp"
#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"

namespace implay {

// What decides a run, whatever the net; the optimizer's fields come from OptimizerOptions. The
// trainers' options (MlpTrainOptions, CnnTrainOptions) derive from it and set their defaults.
struct NetTrainOptions : OptimizerOptions {
  NnObjective objective;         // loss, margin Δ, regularizer and λ (mlp.hpp)
  int batch_size = 10;           // B examples per update; the last batch of an epoch takes the
                                 // N mod B left over
  int epochs = 1;                // passes over the (reshuffled) training set
  uint64_t seed = 1;             // initial weights and every epoch's shuffle
  bool evaluate_initial = true;  // also evaluate before the first update ("epoch 0")
  int train_eval_rows = 0;       // training rows evaluated after each epoch: 0 = all,
                                 // otherwise the first this many (faster)
  int curve_every = 0;           // also put a probe point on curve() every this many
                                 // minibatches (0: only the epochs' ends)
  int curve_probe_rows = 1000;   // rows a probe point evaluates: the first ones of the training
                                 // set and of the test set
};

// The bounds a trainer accepts (each net has its own): B in 1..max_batch, epochs in 0..max_epochs.
struct TrainLimits {
  int max_batch = 1;
  int max_epochs = 0;
};

// linear_train.hpp's record after `epoch` epochs: train (train_eval_rows rows) and validation,
// which here is the TEST set given to the trainer (count = 0 when there is none), the mean
// minibatch objective of the epoch and its α.
using NetEpochStats = EpochStats;
// One point of curve(): epoch ends as history(); probe points (curve_every > 0) before the first
// update, after every curve_every-th minibatch and after the last one, on the first
// curve_probe_rows rows of the training set and of the test set.
using NetCurvePoint = CurvePoint<Evaluation>;

// The loop. A derived trainer owns the net, checks it and the sets, then calls start(); the
// work then advances in units, each one training minibatch (forward + backward + update) or one
// evaluation block of 2·B rows (forward only). The result does not depend on the slicing.
class MinibatchTrainer {
 public:
  virtual ~MinibatchTrainer() = default;
  MinibatchTrainer(const MinibatchTrainer&) = delete;
  MinibatchTrainer& operator=(const MinibatchTrainer&) = delete;

  // Advances by at most max_units units of work and returns done().
  bool step(int max_units);
  // Advances until budget_ms milliseconds have passed (at least one unit) and returns done().
  bool step_ms(double budget_ms);

  bool done() const { return phase_ == TrainPhase::Done; }
  TrainPhase phase() const { return phase_; }
  int epoch() const { return epoch_; }                              // epochs completed
  int batch() const { return batch_; }                              // minibatches done in this epoch
  int batches_per_epoch() const { return batches_per_epoch_; }      // ⌈N / B⌉
  long long steps() const { return steps_; }                        // minibatches done in all
  float progress() const;                                           // work done / all work, 0..1
  float learning_rate() const { return optimizer_.learning_rate; }  // α now
  // Why training stopped early: empty while it is healthy. A NaN or infinite objective or
  // parameter stops it (done()) with a message naming the epoch, the minibatch, the step and the
  // learning rate; the net is then the last good one, from before the step that broke it.
  const std::string& failure() const { return failure_; }

  const NetTrainOptions& options() const { return options_; }
  const std::vector<NetEpochStats>& history() const { return history_; }            // one entry per evaluation
  const std::vector<NetCurvePoint>& curve() const { return curve_; }                // in the order recorded
  const std::vector<float>& batch_objectives() const { return batch_objectives_; }  // every minibatch's L

  // Between slices, without restarting (the labs' controls). Each throws implay::Error for a bad
  // value, naming it, and changes nothing then.
  void set_learning_rate(float learning_rate);  // α from the next minibatch on (the schedule goes on from it)
  void set_regularization(const RegularizationOptions& reg);  // R and λ from the next minibatch on
  // Trains until `epochs` epochs in all (≥ epoch()); a finished, healthy trainer resumes.
  void set_epochs(int epochs);

 protected:
  // Checks the options against `limits` (implay::Error naming the value). shuffle_stream: the
  // first epoch's order is Rng(seed ^ shuffle_stream).shuffle of 0..N−1, a stream apart from the
  // initial weights' (seed itself); later epochs reseed from that Rng.
  MinibatchTrainer(const NetTrainOptions& options, TrainLimits limits, uint64_t shuffle_stream);

  // The net's part. params(): its flat parameter vector (P), which the loop updates in place.
  virtual Eigen::VectorXf& params() = 0;
  // L of a minibatch X (B, D) with labels (B) and ∂L/∂params into grad (P).
  virtual float objective_and_gradient(const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                                       Eigen::VectorXf& grad) = 0;
  // Adds rows [first, first + count) of X (N, D) / labels (N) to a running evaluation.
  virtual void evaluate_rows(const RowMatrixXf& X, std::span<const uint8_t> labels, int first, int count,
                             Evaluation& running) = 0;

  // "cannot train on an empty training set" for train_x with no rows (before the sets' checks).
  static void check_not_empty(const RowMatrixXf& train_x);
  // Call from the derived constructor, once the net and the sets are checked: views train_x
  // (N, D) and test_x (T, D) (null: none), copies the labels, and runs the initial evaluation's
  // set-up (or the first epoch's).
  void start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels, const RowMatrixXf* test_x,
             std::span<const uint8_t> test_labels);

  ScheduledOptimizer optimizer_;  // SGD's or Adam's state, α now (MlpTrainer clears a unit's)

 private:
  void run_unit();
  void start_epoch();
  void train_one_batch();
  void start_evaluation();
  void evaluate_one_block();
  void record_probe();
  void fail(const std::string& what);  // restores last_good_, records failure_, stops
  void count_units();                  // units_total_ from epochs and sizes

  NetTrainOptions options_;
  TrainLimits limits_;
  const RowMatrixXf* train_ = nullptr;  // (N, D) viewed
  const RowMatrixXf* test_ = nullptr;   // (T, D) viewed, or null
  std::vector<uint8_t> train_labels_;   // (N)
  std::vector<uint8_t> test_labels_;    // (T)
  uint64_t shuffle_state_ = 0;          // Rng seed of the next epoch's shuffle
  std::vector<int32_t> order_;          // (N) this epoch's order of the training rows
  RowMatrixXf batch_x_;                 // (B, D) the gathered minibatch
  std::vector<int> batch_y_;            // (B) its labels
  Eigen::VectorXf grad_;                // (P) laid out like params
  Eigen::VectorXf last_good_;           // (P) the parameters before the latest update
  TrainPhase phase_ = TrainPhase::Training;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  long long steps_ = 0;
  double epoch_objective_sum_ = 0;  // Σ minibatch objectives of the current epoch
  int eval_block_ = 0;              // rows per evaluation unit (2·B)
  int train_eval_rows_ = 0;         // rows of the training set evaluated
  int eval_next_ = 0;               // next row to evaluate: training rows, then test rows
  NetEpochStats pending_;           // the evaluation being filled
  long long units_done_ = 0, units_total_ = 0;
  std::vector<NetEpochStats> history_;
  std::vector<NetCurvePoint> curve_;
  std::vector<float> batch_objectives_;
  std::string failure_;
};

}  // namespace implay
