// cnn_train.hpp — minibatch training of the CNN (cnn.hpp): CnnTrainer is minibatch_trainer.hpp's
// sliced loop (shuffles, optimizer, divergence stop, evaluation after every epoch, probe points)
// on a Cnn, advanced by units of work or by a time budget. train_cnn() runs it to the end;
// unit_pixels() turns MNIST's bytes into the net's inputs.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/conv/cnn.hpp"
#include "core/linear/linear_train.hpp"
#include "core/matrix.hpp"
#include "core/nn/minibatch_trainer.hpp"
#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"

namespace implay {

inline constexpr int kMaxCnnEpochs = 1000;
inline constexpr int kMaxCnnBatch = 4096;  // B
// The first epoch's order is Rng(seed ^ kCnnShuffleStream).shuffle of 0..N−1, a stream apart
// from the initial weights' (seed itself); later epochs reseed from that Rng.
inline constexpr uint64_t kCnnShuffleStream = 0xc0c0a5eedc0c0a5eull;

// Everything that decides a training run (minibatch_trainer.hpp's fields). The defaults train
// the default CNN on MNIST pixels in [0, 1]: Adam, α = 0.004 falling linearly to 0 over the run,
// B = 16, one epoch. Over all 60 000 training images, one epoch, tested on the 10 000 test
// images (`implay cnn train --seed S`, natively): seeds 1, 2, 3 → 98.72 / 98.98 / 98.74 % in
// about 25 s; α = 0.004 constant gives 98.12 % (seed 1): the linear fall lets the epoch settle.
// On the first 2 000 images (seeds 1, 2, 3): 90.2 / 91.2 / 92.0 %. Constant α on 2 000 images
// (seeds 1, 2), for the choice of α and B: α 0.001 → 86.0 / 87.2 %, 0.002 → 89.8 / 90.1 %,
// 0.004 → 91.3 / 92.4 %, 0.008 → 91.8 / 93.8 %; B 32 is 1.5–4 points lower at each α.
struct CnnTrainOptions : NetTrainOptions {
  CnnTrainOptions() {
    learning_rate = 0.004f;
    lr_decay = 1.0f;
    lr_schedule = LrSchedule::Linear;
    batch_size = 16;
    epochs = 1;
    curve_probe_rows = 500;
  }
};

using CnnEpochStats = NetEpochStats;  // validation = the TEST set given to the trainer
using CnnCurvePoint = NetCurvePoint;

// Pixels (N, H·W·C) u8 as idx.hpp's LabeledImages::pixels → the CNN's inputs (N, C·H·W) in
// [0, 1] (x / 255). For one channel the layouts agree. Throws implay::Error when the byte count
// is not N · pixels_per_image.
RowMatrixXf unit_pixels(std::span<const uint8_t> pixels, int count, int pixels_per_image);

// Trains in slices: MinibatchTrainer's loop on a Cnn. Construct, then call step(units) or
// step_ms(budget) until it returns true (or done()).
// The trainer only VIEWS train_x (N, C·H·W) and test_x (T, C·H·W): they must outlive it and stay
// unchanged (each minibatch gathers its B rows into a (B, C·H·W) buffer). Labels are copied.
class CnnTrainer : public MinibatchTrainer {
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

  // The net: the trainer's latest, or after a divergence the last good one.
  const Cnn& cnn() const { return cnn_; }
  // The forward pass of the latest training minibatch (every layer's feature maps).
  const CnnActivations& last_batch() const { return train_ws_.activations; }

 private:
  Eigen::VectorXf& params() override { return cnn_.params; }
  float objective_and_gradient(const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                               Eigen::VectorXf& grad) override;
  void evaluate_rows(const RowMatrixXf& X, std::span<const uint8_t> labels, int first, int count,
                     Evaluation& running) override;

  Cnn cnn_;
  CnnWorkspace train_ws_, eval_ws_;
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
