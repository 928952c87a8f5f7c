// test_linear_train.cpp — the sliced minibatch trainer of core/linear/linear_train.hpp: softmax (Adam)
// and SVM (SGD + momentum) separate a separable 2-D toy set perfectly, seeded runs are identical
// whatever the slicing, counters and progress, the initial sanity check (cross-entropy ≈ log C),
// the recorded curve (epoch ends and probe points), input errors, and a quick MNIST run (5 000 training images, 1
// epoch) above 85% test accuracy.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear_train.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

// Three classes in small squares around (−1, 0), (1, 0) and (0, 1.5): linearly separable with
// wide gaps. 40 points per class, interleaved.
struct Toy {
  RowMatrixXf x;                // (120, 2)
  std::vector<uint8_t> labels;  // (120)
};
Toy separable_toy(uint64_t seed) {
  const float centres[3][2] = {{-1.0f, 0.0f}, {1.0f, 0.0f}, {0.0f, 1.5f}};
  Rng rng(seed);
  Toy toy{RowMatrixXf(120, 2), std::vector<uint8_t>(120)};
  for (int i = 0; i < 120; ++i) {
    const int c = i % 3;
    toy.x(i, 0) = centres[c][0] + float(0.6 * rng.uniform() - 0.3);
    toy.x(i, 1) = centres[c][1] + float(0.6 * rng.uniform() - 0.3);
    toy.labels[size_t(i)] = uint8_t(c);
  }
  return toy;
}

bool same_params(const LinearModel& a, const LinearModel& b) {
  return a.params.size() == b.params.size() &&
         std::memcmp(a.params.data(), b.params.data(), sizeof(float) * size_t(a.params.size())) == 0;
}

// Adam at a constant α = 0.1, batches of 16: what the toy sets of this file train with.
TrainOptions toy_options(LossKind loss, int epochs) {
  TrainOptions options;
  options.objective.loss = loss;
  options.learning_rate = 0.1f;
  options.lr_decay = 1.0f;
  options.batch_size = 16;
  options.epochs = epochs;
  return options;
}

}  // namespace

TEST_CASE("softmax with Adam reaches 100% training accuracy on a separable 2-D toy set") {
  const Toy toy = separable_toy(1);
  const TrainOptions options = toy_options(LossKind::SoftmaxCrossEntropy, 30);
  const TrainResult result = train_linear(toy.x, toy.labels, 3, options);
  REQUIRE(result.history.size() == 31);  // epoch 0 + 30
  CHECK(result.history.back().train.accuracy == 1.0);
  CHECK(result.history.back().train.cross_entropy < 0.1);
  CHECK(result.history.back().train.cross_entropy < result.history.front().train.cross_entropy);
}

TEST_CASE("curve(): one epoch_end point per history entry, probe points where asked") {
  const Toy toy = separable_toy(3);  // 120 rows, B = 16: 8 minibatches per epoch
  const RowMatrixXf validation = toy.x.topRows(30);
  const std::vector<uint8_t> validation_labels(toy.labels.begin(), toy.labels.begin() + 30);
  TrainOptions options;
  options.objective.loss = LossKind::MulticlassHinge;
  options.objective.loss_options.margin = 2.0f;
  options.batch_size = 16;
  options.epochs = 2;
  options.curve_every = 3;
  options.curve_probe_rows = 50;
  LinearTrainer trainer(toy.x, toy.labels, 3, options, &validation, validation_labels);
  while (!trainer.step(1)) {
  }
  std::vector<double> ends, probes;
  size_t history = 0;
  for (const LinearCurvePoint& p : trainer.curve()) {
    if (p.epoch_end) {
      REQUIRE(history < trainer.history().size());
      const EpochStats& h = trainer.history()[history++];
      CHECK(p.epoch == h.epoch);
      CHECK(p.learning_rate == h.learning_rate);
      CHECK(p.train.cross_entropy == h.train.cross_entropy);
      CHECK(p.train.hinge == h.train.hinge);
      CHECK(p.validation.accuracy == h.validation.accuracy);
      CHECK(p.validation.count == 30);
      ends.push_back(p.epoch);
    } else {
      CHECK(p.train.count == 50);
      CHECK(p.validation.count == 0);
      probes.push_back(p.epoch);
    }
  }
  CHECK(history == trainer.history().size());
  CHECK(ends == std::vector<double>{0, 1, 2});
  // Before the first update, after minibatches 3, 6, 9, 12, 15 of the 16, and after the last.
  CHECK(probes == std::vector<double>{0, 3 / 8.0, 6 / 8.0, 9 / 8.0, 12 / 8.0, 15 / 8.0, 2});
  // The first probe is the untrained model on the first 50 rows, with the hinge at Δ = 1.
  const LinearCurvePoint& first = trainer.curve()[1];
  REQUIRE_FALSE(first.epoch_end);
  LinearModel initial(3, 2);
  init_weights(initial, options.init_std, options.seed);
  ObjectiveOptions unit_margin = options.objective;
  unit_margin.loss_options.margin = 1.0f;
  const Evaluation e =
      evaluate(initial, toy.x.topRows(50), std::span<const uint8_t>(toy.labels.data(), 50), unit_margin);
  CHECK(first.train.hinge == doctest::Approx(e.hinge));
  CHECK(first.train.cross_entropy == doctest::Approx(std::log(3.0)).epsilon(1e-3));
  // No curve_every: the epochs' ends only, the very numbers the CLI prints.
  options.curve_every = 0;
  const TrainResult plain = train_linear(toy.x, toy.labels, 3, options, &validation, validation_labels);
  REQUIRE(plain.curve.size() == 3);
  CHECK(plain.curve[2].train.cross_entropy == plain.history[2].train.cross_entropy);
  options.curve_every = -1;
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }) ==
        "curve every -1 minibatches on 50 probe rows (need >= 0 and >= 1)");
}

TEST_CASE("multiclass SVM with SGD + momentum reaches 100% and zero hinge loss on the toy set") {
  const Toy toy = separable_toy(2);
  TrainOptions options;
  options.objective.loss = LossKind::MulticlassHinge;
  options.objective.regularization.lambda = 0;
  options.optimizer = Optimizer::Sgd;
  options.learning_rate = 0.05f;
  options.lr_decay = 1.0f;
  options.batch_size = 10;
  options.epochs = 60;
  const TrainResult result = train_linear(toy.x, toy.labels, 3, options);
  CHECK(result.history.back().train.accuracy == 1.0);
  CHECK(result.history.back().train.hinge < 0.05);
}

TEST_CASE("seeded runs are identical, however the work is sliced; another seed differs") {
  const Toy toy = separable_toy(3);
  TrainOptions options;
  options.batch_size = 7;  // 120 = 17·7 + 1: a last batch of one example
  options.epochs = 3;
  options.seed = 99;
  LinearTrainer whole(toy.x, toy.labels, 3, options, &toy.x, toy.labels);
  CHECK(whole.batches_per_epoch() == 18);
  CHECK(whole.step(1 << 30));
  LinearTrainer sliced(toy.x, toy.labels, 3, options, &toy.x, toy.labels);
  int calls = 0;
  while (!sliced.step(1)) ++calls;
  CHECK(calls > 3 * 18);
  CHECK(same_params(whole.model(), sliced.model()));
  CHECK(whole.batch_objectives() == sliced.batch_objectives());
  REQUIRE(whole.history().size() == sliced.history().size());
  for (size_t e = 0; e < whole.history().size(); ++e) {
    CHECK(whole.history()[e].train.cross_entropy == sliced.history()[e].train.cross_entropy);
    CHECK(whole.history()[e].validation.accuracy == sliced.history()[e].validation.accuracy);
  }
  options.seed = 100;
  const TrainResult other = train_linear(toy.x, toy.labels, 3, options);
  CHECK(!same_params(whole.model(), other.model));
}

TEST_CASE("trainer counters: epochs, batches, phases, progress, learning-rate decay") {
  const Toy toy = separable_toy(4);
  TrainOptions options;
  options.batch_size = 50;  // 120 rows → 3 batches (50, 50, 20); evaluation blocks of 100 rows
  options.epochs = 2;
  options.learning_rate = 0.2f;
  options.lr_decay = 0.5f;
  options.init_std = 1e-4f;
  LinearTrainer trainer(toy.x, toy.labels, 3, options);
  CHECK(trainer.phase() == TrainPhase::Evaluating);  // epoch 0 first
  CHECK(trainer.progress() == 0.0f);
  trainer.step(2);  // 120 training rows = 2 evaluation blocks
  REQUIRE(trainer.history().size() == 1);
  const EpochStats& start = trainer.history()[0];
  CHECK(start.epoch == 0);
  CHECK(std::isnan(start.mean_batch_objective));
  CHECK(start.train.count == 120);
  CHECK(start.validation.count == 0);
  CHECK(start.train.cross_entropy == doctest::Approx(std::log(3.0)).epsilon(1e-3));  // tiny W: p ≈ 1/3
  CHECK(start.train.hinge == doctest::Approx(2.0).epsilon(1e-3));                    // (C − 1)·Δ
  CHECK(trainer.phase() == TrainPhase::Training);
  trainer.step(2);
  CHECK(trainer.epoch() == 0);
  CHECK(trainer.batch() == 2);
  trainer.step(1);
  CHECK(trainer.epoch() == 1);
  CHECK(trainer.phase() == TrainPhase::Evaluating);
  CHECK(trainer.batch_objectives().size() == 3);
  CHECK(!trainer.step(2));
  CHECK(trainer.history().size() == 2);
  CHECK(trainer.history()[1].learning_rate == 0.2f);
  CHECK(trainer.learning_rate() == 0.1f);                  // halved for epoch 2
  CHECK(trainer.progress() == doctest::Approx(7.0 / 12));  // 2 + 2·(3 + 2) units in all
  CHECK(trainer.step(100));
  CHECK(trainer.done());
  CHECK(trainer.progress() == 1.0f);
  CHECK(trainer.history()[2].learning_rate == 0.1f);
  CHECK(trainer.step(1));  // nothing left: stays done
}

TEST_CASE("trainer input errors name the bad value") {
  const Toy toy = separable_toy(5);
  TrainOptions options;
  std::vector<uint8_t> labels = toy.labels;
  labels[7] = 3;
  CHECK(error_of([&] { LinearTrainer(toy.x, labels, 3, options); }) == "training label 3 of example 7 is outside 0..2");
  CHECK(error_of([&] { LinearTrainer(toy.x, std::span<const uint8_t>(toy.labels).first(5), 3, options); }) ==
        "training set has 120 feature rows but 5 labels");
  options.batch_size = 0;
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }) == "batch size 0 (need 1..65536)");
  options = {};
  options.objective.loss = LossKind::BinaryLogistic;
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }) ==
        "the bce loss needs exactly 2 classes, the data has 3");
  options = {};
  const RowMatrixXf narrow(4, 1);
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options, &narrow, std::vector<uint8_t>(4)); }) ==
        "validation features have 1 columns, training features 2");
}

TEST_CASE("BCE trains a two-class problem on the same two score columns") {
  Toy toy = separable_toy(6);
  for (uint8_t& l : toy.labels) l = l == 2 ? 1 : 0;  // top square vs the two bottom ones
  const TrainOptions options = toy_options(LossKind::BinaryLogistic, 20);
  const TrainResult result = train_linear(toy.x, toy.labels, 2, options);
  CHECK(result.history.back().train.accuracy == 1.0);
  // For C = 2 the BCE objective is the softmax cross-entropy.
  CHECK(result.history.back().train.data_loss == doctest::Approx(result.history.back().train.cross_entropy));
}

TEST_CASE("MNIST: softmax on 5 000 training images, 1 epoch, default settings: test accuracy > 85%") {
  const std::string dir = implay::testing::mnist_dir();
  const LabeledImages train =
      load_idx_pair(dir + "train-images-idx3-ubyte", dir + "train-labels-idx1-ubyte").first(5000);
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte");
  FeatureExtractor features(FeatureOptions{}, train.rows, train.cols);  // pixels in [0, 1]
  const RowMatrixXf x_train = features.fit_transform(train);
  const RowMatrixXf x_test = features.transform(test);
  TrainOptions options;  // the CLI's defaults
  options.epochs = 1;
  const TrainResult result = train_linear(x_train, train.labels, 10, options, &x_test, test.labels);
  const EpochStats& last = result.history.back();
  MESSAGE("5 000 images, 1 epoch: test accuracy " << last.validation.accuracy << ", train cross-entropy "
                                                  << last.train.cross_entropy << ", hinge " << last.train.hinge);
  CHECK(last.validation.count == 10000);
  CHECK(last.validation.accuracy > 0.85);
  CHECK(result.history.front().train.cross_entropy == doctest::Approx(std::log(10.0)).epsilon(0.01));
}

TEST_CASE("divergence: a NaN objective stops training with epoch, batch and rate named; the last good model is kept") {
  const Toy toy = separable_toy(3);
  TrainOptions options;
  options.optimizer = Optimizer::Sgd;
  options.momentum = 0.9f;
  options.learning_rate = 3e38f;  // finite weights after one update, an infinite objective at the next
  options.objective.loss = LossKind::SoftmaxCrossEntropy;
  options.epochs = 3;
  options.batch_size = 40;
  LinearTrainer trainer(toy.x, toy.labels, 3, options);
  const LinearModel initial = trainer.model();
  while (!trainer.step(1)) {
  }
  CHECK(trainer.done());
  REQUIRE_FALSE(trainer.failure().empty());
  INFO(trainer.failure());
  CHECK(trainer.failure().find("training diverged in epoch 1, minibatch 2 of 3: the objective became infinite") == 0);
  CHECK(trainer.failure().find("at learning rate 3e+38") != std::string::npos);
  CHECK(trainer.model().params.allFinite());
  CHECK(trainer.model().params == initial.params);  // the update that broke it was undone
  CHECK(error_of([&] { train_linear(toy.x, toy.labels, 3, options); }) == trainer.failure());
}

TEST_CASE("divergence: an L2 penalty that explodes is caught after a few finite steps") {
  const Toy toy = separable_toy(4);
  TrainOptions options;
  options.optimizer = Optimizer::Sgd;
  options.momentum = 0;
  options.learning_rate = 1000;
  options.objective.regularization.kind = Regularizer::L2;
  options.objective.regularization.lambda = 1e4f;  // W ← W (1 − 2αλ): |1 − 2·10⁷| per step
  options.epochs = 5;
  LinearTrainer trainer(toy.x, toy.labels, 3, options);
  while (!trainer.step(7)) {
  }
  REQUIRE_FALSE(trainer.failure().empty());
  CHECK(trainer.model().params.allFinite());
  CHECK(trainer.batch_objectives().size() >= 2);  // some finite steps were taken and recorded
  for (float l : trainer.batch_objectives()) CHECK(std::isfinite(l));
}

TEST_CASE("trainer bounds: epochs, batch size and a non-finite learning rate are refused by name") {
  const Toy toy = separable_toy(5);
  TrainOptions options;
  options.epochs = kMaxLinearEpochs + 1;
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }) == "epochs 1001 (need 0..1000)");
  options = {};
  options.batch_size = 1 << 30;  // 2 · B overflowed int in the evaluation loop
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }) == "batch size 1073741824 (need 1..65536)");
  options = {};
  options.learning_rate = std::numeric_limits<float>::infinity();
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }).find("(need a finite number > 0)") !=
        std::string::npos);
  options.learning_rate = std::numeric_limits<float>::quiet_NaN();
  CHECK(error_of([&] { LinearTrainer(toy.x, toy.labels, 3, options); }).find("(need a finite number > 0)") !=
        std::string::npos);
  // The largest batch is accepted: B = 65536 on 120 rows is one batch an epoch.
  options = {};
  options.batch_size = kMaxLinearBatch;
  options.epochs = 1;
  LinearTrainer big(toy.x, toy.labels, 3, options);
  while (!big.step(100)) {
  }
  CHECK(big.failure().empty());
  CHECK(big.history().size() == 2);
}
