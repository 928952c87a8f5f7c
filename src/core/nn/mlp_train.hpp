// mlp_train.hpp — minibatch training of the MLP (mlp.hpp): SGD, SGD with momentum or Adam
// (optim/optimizer.hpp), seeded shuffling, and an MlpTrainer that advances in bounded slices
// (step(max_units)) so the browser trains a few minibatches per frame, records both plotted losses
// and the accuracies on the training and test sets after every epoch (and, if asked, every k
// minibatches), stops on divergence, and takes a new learning rate, regularizer or unit mask
// between slices. train_mlp() runs it to the end for the CLI and the tests. The shape of
// linear_train.hpp's LinearTrainer, whose phase, epoch record and curve point it shares.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/linear/linear_train.hpp"
#include "core/matrix.hpp"
#include "core/nn/mlp.hpp"
#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"

namespace implay {

inline constexpr int kMaxMlpEpochs = 100000;  // an epoch of 300 toy points is ~30 µs of work
inline constexpr int kMaxMlpBatch = 1 << 16;  // B
// The first epoch's order is Rng(seed ^ kMlpShuffleStream).shuffle of 0..N−1, so that it differs
// from the initial weights' stream (seed itself); later epochs reseed from that Rng. Public for
// the benchmark that hands TensorFlow.js the same minibatches.
inline constexpr uint64_t kMlpShuffleStream = 0x6e6e5eed6e6e5eedull;

// Everything that decides a training run; the optimizer's fields come from OptimizerOptions.
// The defaults are those of the 2-D lab and of `implay nn train` on toy data: Adam, α = 0.01
// constant (lr_decay 1), B = 10, 300 epochs. On CS231n's 3-arm spiral (300 points, noise 0.2) a
// 2-100-3 ReLU net reaches 99% training accuracy with them; `implay nn train --data mnist` uses
// α = 0.01 falling linearly to 0 over the run (LrSchedule::Linear) at batch 100.
struct MlpTrainOptions : OptimizerOptions {
  NnObjective objective;         // loss, margin Δ, regularizer and λ (mlp.hpp)
  std::optional<Init> init;      // how weights start; unset: default_init(activation)
  int batch_size = 10;           // B examples per update; the last batch of an epoch takes
                                 // the N mod B left over
  int epochs = 300;              // passes over the (reshuffled) training set
  uint64_t seed = 1;             // initial weights and every epoch's shuffle
  bool evaluate_initial = true;  // also evaluate before the first update ("epoch 0")
  int train_eval_rows = 0;       // training rows evaluated after each epoch: 0 = all,
                                 // otherwise the first this many (faster)
  int curve_every = 0;           // also put a probe point on curve() every this many
                                 // minibatches (0: only the epochs' ends)
  int curve_probe_rows = 1000;   // rows a probe point evaluates: the first ones of the training
                                 // set and of the test set

  MlpTrainOptions() {
    learning_rate = 0.01f;
    lr_decay = 1.0f;
  }
};

// linear_train.hpp's record after `epoch` epochs: train (MlpTrainOptions::train_eval_rows rows)
// and validation, which here is the TEST set given to the trainer (count = 0 when there is none),
// the mean minibatch objective of the epoch and its α.
using MlpEpochStats = EpochStats;
// One point of MlpTrainer::curve(): epoch ends as history(); probe points (curve_every > 0)
// before the first update, after every curve_every-th minibatch and after the last one, on the
// first curve_probe_rows rows of the training set and of the test set (validation.count = 0
// when there is none).
using MlpCurvePoint = CurvePoint<MlpEvaluation>;

// Trains in slices. Construct, then call step() until it returns true (or done()).
//
// The trainer only VIEWS the feature matrices: train_x (N, D) and test_x (T, D) must outlive it
// and stay unchanged (MNIST's 60 000 × 784 floats are never copied: each minibatch gathers its B
// rows into a (B, D) buffer). Labels are copied.
class MlpTrainer {
 public:
  // A fresh net of `shape` (its input_dim must be D, its classes above every label), initialized
  // by options.init and options.seed. test_x may be null (then test_labels must be empty).
  // Throws implay::Error for a bad shape, an empty training set, mismatched counts or dimensions,
  // a label ≥ C, batch_size outside 1..kMaxMlpBatch, epochs outside 0..kMaxMlpEpochs, a
  // learning rate that is not finite and > 0, a negative or non-finite λ or a margin ≤ 0.
  MlpTrainer(const MlpShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
             const MlpTrainOptions& options, const RowMatrixXf* test_x = nullptr,
             std::span<const uint8_t> test_labels = {});
  // Continues from `start` (its parameters, unit mask and feature spec, e.g. a loaded model);
  // options.init is not used. Same errors.
  MlpTrainer(Mlp start, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
             const MlpTrainOptions& options, const RowMatrixXf* test_x = nullptr,
             std::span<const uint8_t> test_labels = {});
  // A temporary would dangle: pass matrices that live as long as the trainer.
  MlpTrainer(const MlpShape&, RowMatrixXf&&, std::span<const uint8_t>, const MlpTrainOptions&,
             const RowMatrixXf* = nullptr, std::span<const uint8_t> = {}) = delete;
  MlpTrainer(Mlp, RowMatrixXf&&, std::span<const uint8_t>, const MlpTrainOptions&, const RowMatrixXf* = nullptr,
             std::span<const uint8_t> = {}) = delete;

  // Advances by at most max_units units of work and returns done(). A unit is one training
  // minibatch (forward + backward + update) or one evaluation block of 2·B rows (forward only).
  // One MNIST epoch at B = 100 is 600 units of training plus 300 + 50 of evaluation.
  bool step(int max_units);

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
  // learning rate; mlp() is then the last good net, from before the step that broke it.
  const std::string& failure() const { return failure_; }

  const Mlp& mlp() const { return mlp_; }
  const MlpTrainOptions& options() const { return options_; }
  const std::vector<MlpEpochStats>& history() const { return history_; }            // one entry per evaluation
  const std::vector<MlpCurvePoint>& curve() const { return curve_; }                // in the order recorded
  const std::vector<float>& batch_objectives() const { return batch_objectives_; }  // every minibatch's L
  // The forward pass of the latest training minibatch (every layer's numbers).
  const MlpActivations& last_batch() const { return train_ws_.activations; }

  // Between slices, without restarting (the lab's controls). Each throws implay::Error for a bad
  // value, naming it, and changes nothing then.
  void set_learning_rate(float learning_rate);                // α from the next minibatch on (decay continues from it)
  void set_regularization(const RegularizationOptions& reg);  // R and λ from the next minibatch on
  // Switches hidden unit `unit` of hidden layer `layer` (0-based) on or off. Off, its weights in
  // and out are frozen: their gradient is 0 and their optimizer state is cleared, so momentum
  // does not move them either.
  void set_unit_on(int layer, int unit, bool on);
  // Trains until `epochs` epochs in all (≥ epoch()); a finished, healthy trainer resumes.
  void set_epochs(int epochs);

 private:
  void start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels, const RowMatrixXf* test_x,
             std::span<const uint8_t> test_labels);
  void start_epoch();
  void train_one_batch();
  void start_evaluation();
  void evaluate_one_block();
  void record_probe();
  void fail(const std::string& what);  // restores last_good_, records failure_, stops
  void count_units();                  // units_total_ from epochs and sizes

  const RowMatrixXf* train_ = nullptr;  // (N, D) viewed
  const RowMatrixXf* test_ = nullptr;   // (T, D) viewed, or null
  std::vector<uint8_t> train_labels_;   // (N)
  std::vector<uint8_t> test_labels_;    // (T)
  MlpTrainOptions options_;
  Mlp mlp_;
  uint64_t shuffle_state_ = 0;    // Rng seed of the next epoch's shuffle
  std::vector<int32_t> order_;    // (N) this epoch's order of the training rows
  RowMatrixXf batch_x_;           // (B, D) the gathered minibatch
  std::vector<int> batch_y_;      // (B) its labels
  Eigen::VectorXf grad_;          // (P) laid out like params
  Eigen::VectorXf last_good_;     // (P) the parameters before the latest update
  ScheduledOptimizer optimizer_;  // SGD's or Adam's state, α now
  MlpWorkspace train_ws_, eval_ws_;
  TrainPhase phase_ = TrainPhase::Training;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  long long steps_ = 0;
  double epoch_objective_sum_ = 0;  // Σ minibatch objectives of the current epoch
  int eval_block_ = 0;              // rows per evaluation unit (2·B)
  int train_eval_rows_ = 0;         // rows of the training set evaluated
  int eval_next_ = 0;               // next row to evaluate: training rows, then test rows
  MlpEpochStats pending_;           // the evaluation being filled
  long long units_done_ = 0, units_total_ = 0;
  std::vector<MlpEpochStats> history_;
  std::vector<MlpCurvePoint> curve_;
  std::vector<float> batch_objectives_;
  std::string failure_;
};

// Trains to the end (no slicing): what the CLI and the tests use. Throws implay::Error with
// MlpTrainer::failure() when training diverged.
struct MlpTrainResult {
  Mlp mlp;
  std::vector<MlpEpochStats> history;  // as MlpTrainer::history()
  std::vector<MlpCurvePoint> curve;    // as MlpTrainer::curve()
};
MlpTrainResult train_mlp(const MlpShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                         const MlpTrainOptions& options, const RowMatrixXf* test_x = nullptr,
                         std::span<const uint8_t> test_labels = {});

}  // namespace implay
