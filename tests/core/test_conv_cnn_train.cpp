// test_conv_cnn_train.cpp — the sliced CNN trainer of core/conv/cnn_train.hpp: identical runs
// whatever the slicing (by units or by time), a toy task learned (bars: horizontal, vertical or
// diagonal), divergence stopping with the epoch, step and rate named, the curve's probe points,
// input errors, and the default CNN on 2 000 MNIST images for one epoch above a measured accuracy.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/conv/cnn_train.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::contains;
using implay::testing::error_of;

// 8 × 8 images of one bar, 0 = horizontal, 1 = vertical, 2 = diagonal, at a random place, with
// noise: a task a conv layer solves and a shuffle of the labels would not.
struct Bars {
  RowMatrixXf x;                // (N, 64)
  std::vector<uint8_t> labels;  // (N)
};
Bars make_bars(int n, uint64_t seed) {
  Rng rng(seed);
  Bars b{RowMatrixXf::Zero(n, 64), std::vector<uint8_t>(size_t(n))};
  for (int i = 0; i < n; ++i) {
    const int label = int(rng.below(3));
    b.labels[size_t(i)] = uint8_t(label);
    const int at = 1 + int(rng.below(6));
    for (int t = 0; t < 8; ++t) {
      const int r = label == 0 ? at : t, c = label == 1 ? at : t;
      b.x(i, r * 8 + c) = 1;
    }
    for (int k = 0; k < 64; ++k) b.x(i, k) += float(0.2 * rng.uniform());
  }
  return b;
}

CnnShape bars_shape() {
  CnnShape s;
  s.channels = 1;
  s.height = 8;
  s.width = 8;
  s.layers = {CnnLayer::conv(4, 3, 3, 1, 1), CnnLayer::relu(), CnnLayer::max_pool(2, 2), CnnLayer::dense(3)};
  return s;
}

bool same_params(const Cnn& a, const Cnn& b) {
  return a.params.size() == b.params.size() &&
         std::memcmp(a.params.data(), b.params.data(), sizeof(float) * size_t(a.params.size())) == 0;
}

}  // namespace

TEST_CASE("the same run whatever the slicing, by units or by time; bars are learned") {
  const Bars train = make_bars(300, 1), test = make_bars(150, 2);
  CnnTrainOptions options;
  options.epochs = 3;
  options.batch_size = 32;  // 10 minibatches an epoch, the last of 12
  options.learning_rate = 0.01f;
  CnnTrainer one(bars_shape(), train.x, train.labels, options, &test.x, test.labels);
  CnnTrainer all(bars_shape(), train.x, train.labels, options, &test.x, test.labels);
  CnnTrainer timed(bars_shape(), train.x, train.labels, options, &test.x, test.labels);
  CHECK(one.batches_per_epoch() == 10);
  CHECK(one.progress() == 0.0f);
  while (!one.step(1)) {
  }
  CHECK(all.step(1 << 20));
  int slices = 0;
  while (!timed.step_ms(0.2)) ++slices;
  CHECK(slices > 1);
  CHECK(same_params(one.cnn(), all.cnn()));
  CHECK(same_params(one.cnn(), timed.cnn()));
  CHECK(one.steps() == 30);
  CHECK(one.epoch() == 3);
  CHECK(one.progress() == 1.0f);
  REQUIRE(one.history().size() == 4);  // epoch 0 and 3 epochs
  CHECK(std::isnan(one.history().front().mean_batch_objective));
  CHECK(one.history().front().train.cross_entropy == doctest::Approx(std::log(3.0)).epsilon(0.5));
  CHECK(one.history().back().validation.count == 150);
  CHECK(one.batch_objectives().size() == 30);
  CHECK(one.last_batch().scores().rows() == 12);
  MESSAGE("bars, 3 epochs: test accuracy " << one.history().back().validation.accuracy);
  CHECK(one.history().back().validation.accuracy > 0.9);
}

TEST_CASE("divergence stops training naming the epoch, minibatch, step and rate; the last good net is kept") {
  const Bars train = make_bars(100, 3);
  CnnTrainOptions options;
  options.optimizer = Optimizer::Sgd;
  options.momentum = 0;
  options.learning_rate = 1e30f;
  options.lr_schedule = LrSchedule::Epochs;  // α stays 1e30, so the message names it
  options.objective.loss = NnLoss::SquaredError;
  options.epochs = 3;
  CnnTrainer trainer(bars_shape(), train.x, train.labels, options);
  while (!trainer.step(1)) {
  }
  REQUIRE_FALSE(trainer.failure().empty());
  INFO(trainer.failure());
  CHECK(contains(trainer.failure(), "training diverged at epoch 1, minibatch "));
  CHECK(contains(trainer.failure(), "; lower the learning rate (now 1e+30)"));
  CHECK(trainer.cnn().params.allFinite());
  CHECK_THROWS_AS(train_cnn(bars_shape(), train.x, train.labels, options), Error);
}

TEST_CASE("curve: probe points every k minibatches on training and test rows, then the epochs' ends") {
  const Bars train = make_bars(96, 4), test = make_bars(40, 5);
  CnnTrainOptions options;
  options.epochs = 2;
  options.batch_size = 32;  // 3 minibatches an epoch
  options.curve_every = 2;
  options.curve_probe_rows = 30;
  const CnnTrainResult r = train_cnn(bars_shape(), train.x, train.labels, options, &test.x, test.labels);
  int probes = 0, ends = 0;
  for (const CnnCurvePoint& p : r.curve) {
    if (p.epoch_end) {
      ++ends;
      CHECK(p.train.count == 96);
      CHECK(p.validation.count == 40);
    } else {
      ++probes;
      CHECK(p.train.count == 30);
      CHECK(p.validation.count == 30);
    }
  }
  CHECK(ends == 3);
  CHECK(probes == 4);  // before the first update, after minibatches 2, 4 and 6 (6 is also the last)
}

TEST_CASE("trainer input errors name the bad value") {
  const Bars train = make_bars(20, 6);
  CnnTrainOptions options;
  CHECK(error_of([&] { CnnTrainer(default_cnn_shape(), train.x, train.labels, options); }) ==
        "training set has 64 values per image, the network (1x28x28 > conv 5x5 x8 pad 2 > relu > maxpool 2 > "
        "conv 5x5 x16 pad 2 > relu > maxpool 2 > dense 10) takes 784");
  CnnShape two = bars_shape();
  two.layers.back() = CnnLayer::dense(2);
  CHECK(contains(error_of([&] { CnnTrainer(two, train.x, train.labels, options); }),
                 "is outside the network's classes 0..1"));
  options.batch_size = 0;
  CHECK(error_of([&] { CnnTrainer(bars_shape(), train.x, train.labels, options); }) ==
        "batch size 0 is outside 1..4096");
  options.batch_size = 10;
  options.learning_rate = NAN;
  CHECK(error_of([&] { CnnTrainer(bars_shape(), train.x, train.labels, options); }) ==
        "learning rate nan (need a finite number > 0)");
  options.learning_rate = 0.01f;
  const RowMatrixXf empty(0, 64);
  CHECK(error_of([&] { CnnTrainer(bars_shape(), empty, {}, options); }) == "cannot train on an empty training set");
  CHECK(error_of([] { unit_pixels(std::vector<uint8_t>(10), 2, 4); }) == "10 bytes are not 2 images of 4 pixels");
  CnnTrainer trainer(bars_shape(), train.x, train.labels, options);
  CHECK(error_of([&] { trainer.set_learning_rate(-1); }) == "learning rate -1 (need a finite number > 0)");
}

TEST_CASE("MNIST: the default CNN, Adam, 2 000 training images, 1 epoch: test accuracy > 89% (measured 90.2%)") {
  const std::string dir = implay::testing::mnist_dir();
  const LabeledImages train =
      load_idx_pair(dir + "train-images-idx3-ubyte", dir + "train-labels-idx1-ubyte").first(2000);
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte");
  const RowMatrixXf x_train = unit_pixels(train.pixels, train.count, train.dim());
  const RowMatrixXf x_test = unit_pixels(test.pixels, test.count, test.dim());
  CnnTrainOptions options;  // Adam 0.004, B = 16, 1 epoch, seed 1
  options.evaluate_initial = false;
  const auto t0 = std::chrono::steady_clock::now();
  const CnnTrainResult r = train_cnn(default_cnn_shape(), x_train, train.labels, options, &x_test, test.labels);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const CnnEpochStats& last = r.history.back();
  MESSAGE("CNN, 2 000 images, 1 epoch: test accuracy " << last.validation.accuracy << ", train accuracy "
                                                       << last.train.accuracy << " (" << seconds
                                                       << " s with the evaluation of 12 000 images)");
  CHECK(last.validation.count == 10000);
  CHECK(last.validation.accuracy > 0.89);
}
