// mlp_train.hpp — minibatch training of the MLP (mlp.hpp): MlpTrainer is minibatch_trainer.hpp's
// sliced loop (shuffles, optimizer, divergence stop, evaluation after every epoch, probe points)
// on an Mlp, with a unit mask the lab switches between slices. train_mlp() runs it to the end for
// the CLI and the tests.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/linear/linear_train.hpp"
#include "core/matrix.hpp"
#include "core/nn/minibatch_trainer.hpp"
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

// Everything that decides a training run (minibatch_trainer.hpp's fields) and how the weights
// start. The defaults are those of the 2-D lab and of `implay nn train` on toy data: Adam,
// α = 0.01 constant (lr_decay 1), B = 10, 300 epochs. On CS231n's 3-arm spiral (300 points,
// noise 0.2) a 2-100-3 ReLU net reaches 99% training accuracy with them; `implay nn train --data
// mnist` uses α = 0.01 falling linearly to 0 over the run (LrSchedule::Linear) at batch 100.
struct MlpTrainOptions : NetTrainOptions {
  std::optional<Init> init;  // how weights start; unset: default_init(activation)

  MlpTrainOptions() {
    learning_rate = 0.01f;
    lr_decay = 1.0f;
    batch_size = 10;
    epochs = 300;
    curve_probe_rows = 1000;
  }
};

using MlpEpochStats = NetEpochStats;
using MlpCurvePoint = NetCurvePoint;

// Trains in slices: MinibatchTrainer's loop on an Mlp. Construct, then call step() until it
// returns true (or done()).
//
// The trainer only VIEWS the feature matrices: train_x (N, D) and test_x (T, D) must outlive it
// and stay unchanged (MNIST's 60 000 × 784 floats are never copied: each minibatch gathers its B
// rows into a (B, D) buffer). Labels are copied. One MNIST epoch at B = 100 is 600 units of
// training plus 300 + 50 of evaluation.
class MlpTrainer : public MinibatchTrainer {
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

  // The net: the trainer's latest, or after a divergence the last good one.
  const Mlp& mlp() const { return mlp_; }
  // The forward pass of the latest training minibatch (every layer's numbers).
  const MlpActivations& last_batch() const { return train_ws_.activations; }

  // Switches hidden unit `unit` of hidden layer `layer` (0-based) on or off. Off, its weights in
  // and out are frozen: their gradient is 0 and their optimizer state is cleared, so momentum
  // does not move them either. Throws implay::Error naming a layer or unit that does not exist.
  void set_unit_on(int layer, int unit, bool on);

 private:
  Eigen::VectorXf& params() override { return mlp_.params; }
  float objective_and_gradient(const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                               Eigen::VectorXf& grad) override;
  void evaluate_rows(const RowMatrixXf& X, std::span<const uint8_t> labels, int first, int count,
                     Evaluation& running) override;

  Mlp mlp_;
  MlpWorkspace train_ws_, eval_ws_;
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
