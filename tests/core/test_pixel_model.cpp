// test_pixel_model.cpp — the autoregressive pixel models of core/pixel/pixel_model.hpp and the FVSBN
// trainer of core/pixel/pixel_model_fvsbn.hpp: hand-counted fractions on four 2x2 images, the chain
// rule, FVSBN gradient against central differences, sampling (T → 0 = argmax, determinism per
// seed), model files (round trip, rejection by name), the trainers' recorded curve, and a quick
// real-MNIST comparison.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_fvsbn.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/rng.hpp"
#include "pixel_test_data.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::as_floats;
using implay::testing::contains;
using implay::testing::error_of;
using implay::testing::four_images;
using implay::testing::random_images;

FvsbnModel random_fvsbn(int rows, int cols, uint64_t seed, double scale = 1.0) {
  FvsbnModel m(rows, cols);
  Rng rng(seed);
  for (Eigen::Index k = 0; k < m.params.size(); ++k) m.params[k] = float(scale * rng.normal());
  return m;
}

}  // namespace

TEST_CASE("binarize thresholds at 128 by default") {
  const std::vector<uint8_t> px = {0, 127, 128, 255};
  CHECK(binarize(px) == std::vector<uint8_t>{0, 0, 1, 1});
  CHECK(binarize(px, 1) == std::vector<uint8_t>{0, 1, 1, 1});
}

TEST_CASE("independent model: p_i = (n1_i + 1) / (n + 2) on the four 2x2 images") {
  const IndependentModel m(four_images(), 1.0f);
  const std::vector<uint8_t> any(4, 0);
  CHECK(m.probability(any, 0) == doctest::Approx(4.0 / 6));  // A, B, D
  CHECK(m.probability(any, 1) == doctest::Approx(3.0 / 6));  // A, D
  CHECK(m.probability(any, 2) == doctest::Approx(3.0 / 6));  // B, D
  CHECK(m.probability(any, 3) == doctest::Approx(2.0 / 6));  // D
}

TEST_CASE("context counts by hand: template W (K = 1) and W, N (K = 2), Laplace") {
  const BinaryImages s = four_images();
  SUBCASE("K = 1: context 0 seen 11 times with 5 ones, context 1 five times with 3 ones") {
    const ContextModel m(s, {1, 1.0f, false});
    CHECK(m.count_total(0, 0) == 11);
    CHECK(m.count_ones(0, 0) == 5);
    CHECK(m.count_total(0, 1) == 5);
    CHECK(m.count_ones(0, 1) == 3);
    const std::vector<uint8_t> d = {1, 1, 1, 1};
    CHECK(m.probability(d, 0) == doctest::Approx(6.0 / 13));  // left border: context 0
    CHECK(m.probability(d, 1) == doctest::Approx(4.0 / 7));   // W = 1
    CHECK(m.probability(d, 2) == doctest::Approx(6.0 / 13));  // left border again
  }
  SUBCASE("K = 2: contexts (W + 2N) 0..3 counted 7/3, 4/2, 4/2, 1/1") {
    const ContextModel m(s, {2, 1.0f, false});
    const uint32_t n[4] = {7, 4, 4, 1}, n1[4] = {3, 2, 2, 1};
    for (int c = 0; c < 4; ++c) {
      CHECK(m.count_total(0, c) == n[c]);
      CHECK(m.count_ones(0, c) == n1[c]);
    }
    // log p(D) = log(4/9 · 3/6 · 3/6 · 2/3) = log(2/27)
    const std::vector<uint8_t> d = {1, 1, 1, 1};
    CHECK(log_likelihood(m, d).nats == doctest::Approx(std::log(2.0 / 27)));
    CHECK(log_likelihood(m, d).bits_per_pixel == doctest::Approx(-std::log2(2.0 / 27) / 4));
  }
  SUBCASE("K = 1 position-dependent: pixel 3 sees W = 0 twice (0 ones), W = 1 twice (1 one)") {
    const ContextModel m(s, {1, 1.0f, true});
    CHECK(m.num_tables() == 4);
    CHECK(m.probability(std::vector<uint8_t>{0, 0, 0, 0}, 3) == doctest::Approx(1.0 / 4));
    CHECK(m.probability(std::vector<uint8_t>{0, 0, 1, 0}, 3) == doctest::Approx(2.0 / 4));
    CHECK(m.probability(std::vector<uint8_t>{0, 0, 0, 0}, 0) == doctest::Approx(4.0 / 6));
  }
}

TEST_CASE("context model rejects a bad template size and alpha") {
  CHECK(contains(error_of([] { ContextModel(four_images(), {13, 1.0f, false}); }), "13 neighbours"));
  CHECK(contains(error_of([] { ContextModel(four_images(), {0, 1.0f, false}); }), "0 neighbours"));
  CHECK(contains(error_of([] { ContextModel(four_images(), {3, -1.0f, false}); }), "alpha = -1"));
}

TEST_CASE("every model: conditionals in (0, 1), log-likelihood is the sum of per-pixel terms") {
  const BinaryImages train = random_images(50, 5, 4, 7);
  const BinaryImages test = random_images(3, 5, 4, 8);
  const IndependentModel ind(train);
  const ContextModel ctx(train, {12, 0.5f, true});
  const FvsbnModel fv = random_fvsbn(5, 4, 3);
  for (const PixelModel* m : {static_cast<const PixelModel*>(&ind), static_cast<const PixelModel*>(&ctx),
                              static_cast<const PixelModel*>(&fv)}) {
    CAPTURE(pixel_model_kind_name(m->kind()));
    for (int n = 0; n < test.count; ++n) {
      const std::vector<double> p = conditional_map(*m, test.image(n));
      const std::vector<double> s = surprise_map(*m, test.image(n));
      double sum = 0;
      for (int i = 0; i < m->dim(); ++i) {
        CHECK(p[size_t(i)] > 0);
        CHECK(p[size_t(i)] < 1);
        CHECK(p[size_t(i)] + (1 - p[size_t(i)]) == 1.0);
        CHECK(p[size_t(i)] == doctest::Approx(m->probability(test.image(n), i)));
        const uint8_t x = test.image(n)[size_t(i)];
        CHECK(s[size_t(i)] == doctest::Approx(-std::log(x ? p[size_t(i)] : 1 - p[size_t(i)])));
        sum += s[size_t(i)];
      }
      CHECK(log_likelihood(*m, test.image(n)).nats == doctest::Approx(-sum));
    }
    double mean = 0;
    for (int n = 0; n < test.count; ++n) mean -= log_likelihood(*m, test.image(n)).nats / test.count;
    CHECK(mean_nll(*m, test) == doctest::Approx(mean).epsilon(1e-5));
  }
  CHECK(contains(error_of([&] { conditional_map(ind, std::vector<uint8_t>(19)); }), "19 pixels"));
}

TEST_CASE("FVSBN conditionals do not read pixels at or after i") {
  const FvsbnModel fv = random_fvsbn(3, 3, 5);
  std::vector<uint8_t> a = {1, 0, 1, 1, 0, 0, 1, 0, 1}, b = a;
  b[4] = 1;
  b[8] = 0;
  for (int i = 0; i <= 4; ++i) CHECK(fv.probability(a, i) == fv.probability(b, i));
}

TEST_CASE("FVSBN loss gradient matches central differences") {
  FvsbnModel fv = random_fvsbn(3, 4, 11, 0.5);
  const Eigen::MatrixXf x = as_floats(random_images(6, 3, 4, 12, 0.5));
  Eigen::VectorXf grad(fv.num_params());
  fvsbn_loss(fv, x, grad);
  const GradCheckResult r =
      check_gradient([&] { return fvsbn_loss(fv, x); }, std::span<float>(fv.params.data(), size_t(fv.params.size())),
                     std::span<const float>(grad.data(), size_t(grad.size())));
  CHECK(r.checked == fv.num_params());
  CHECK(r.max_relative_error < 1e-2);
  CHECK(r.norm_relative_error < 1e-3);
}

TEST_CASE("sampling: T -> 0 gives the argmax completion; the same seed gives the same samples") {
  const FvsbnModel fv = random_fvsbn(4, 4, 21);
  const std::vector<uint8_t> prefix = {1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
  const int start = 5;
  std::vector<uint8_t> argmax = prefix;
  for (int i = start; i < 16; ++i) argmax[size_t(i)] = most_likely_pixel(fv, argmax, i) ? 1 : 0;
  for (float t : {0.0f, 1e-4f}) {
    const std::vector<uint8_t> s = sample_completions(fv, prefix, start, {t, 3, 9});
    for (int k = 0; k < 3; ++k) CHECK(std::vector<uint8_t>(s.begin() + 16 * k, s.begin() + 16 * (k + 1)) == argmax);
  }
  const std::vector<uint8_t> s1 = sample_completions(fv, prefix, start, {1.0f, 20, 4});
  CHECK(s1 == sample_completions(fv, prefix, start, {1.0f, 20, 4}));
  CHECK(s1 != sample_completions(fv, prefix, start, {1.0f, 20, 5}));
  for (int k = 0; k < 20; ++k)
    for (int i = 0; i < start; ++i) CHECK(s1[size_t(16 * k + i)] == prefix[size_t(i)]);
  const std::vector<uint8_t> hot = sample_completions(fv, prefix, 0, {100.0f, 200, 4});  // T large: near coin flips
  double ones = 0;
  for (uint8_t v : hot) ones += v;
  CHECK(ones / double(hot.size()) == doctest::Approx(0.5).epsilon(0.1));
  CHECK(contains(error_of([&] { sample_completions(fv, prefix, 17, {}); }), "start pixel 17"));
  CHECK(contains(error_of([&] { sample_completions(fv, prefix, 0, {1.0f, 0, 1}); }), "sample count 0"));
}

TEST_CASE("pixel model files: bit-exact round trip, bad files rejected by name") {
  const BinaryImages train = random_images(30, 4, 3, 31);
  const IndependentModel ind(train, 0.5f);
  const ContextModel ctx(train, {5, 1.0f, true});
  const FvsbnModel fv = random_fvsbn(4, 3, 32);
  const std::vector<uint8_t> img(train.image(0).begin(), train.image(0).end());
  for (const PixelModel* m : {static_cast<const PixelModel*>(&ind), static_cast<const PixelModel*>(&ctx),
                              static_cast<const PixelModel*>(&fv)}) {
    const std::vector<uint8_t> bytes = serialize_pixel_model(*m);
    const std::unique_ptr<PixelModel> back = parse_pixel_model(bytes, "mem");
    CHECK(back->kind() == m->kind());
    CHECK(serialize_pixel_model(*back) == bytes);
    CHECK(conditional_map(*back, img) == conditional_map(*m, img));
    // truncation and trailing bytes
    CHECK(contains(error_of([&] { parse_pixel_model(std::span(bytes).first(bytes.size() - 1), "f.bin"); }),
                   "f.bin: truncated"));
    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    CHECK(contains(error_of([&] { parse_pixel_model(longer, "f.bin"); }), "1 unexpected bytes"));
    std::vector<uint8_t> version = bytes;
    version[8] = 7;
    CHECK(contains(error_of([&] { parse_pixel_model(version, "f.bin"); }), "version 7 is not supported"));
  }
  const std::string path = "/tmp/implay_test_pixel_model.bin";
  save_pixel_model(ctx, path);
  CHECK(serialize_pixel_model(*load_pixel_model(path)) == serialize_pixel_model(ctx));
  CHECK(contains(error_of([] {
                   parse_pixel_model(std::vector<uint8_t>{'I', 'M', 'P', 'L', 'A', 'Y', 'L', 'M', 1, 0, 0, 0}, "x");
                 }),
                 "wrong magic number \"IMPLAYLM\""));
  CHECK(contains(error_of([] { parse_pixel_model(std::vector<uint8_t>{}, "x"); }), "x: truncated"));
  std::vector<uint8_t> bad = serialize_pixel_model(ind);
  bad[28] = 255;  // n1 of pixel 0 (after magic, version, rows, cols, α, n) far above n = 30
  CHECK(contains(error_of([&] { parse_pixel_model(bad, "x"); }), "exceeds n = 30"));
  std::vector<uint8_t> badk = serialize_pixel_model(ctx);
  badk[20] = 13;
  CHECK(contains(error_of([&] { parse_pixel_model(badk, "x"); }), "13 neighbours"));
}

TEST_CASE("FVSBN trainer lowers the loss below the independent start and slices its work") {
  const BinaryImages train = random_images(200, 3, 3, 41, 0.5);
  BinaryImages correlated = train;  // pixel i copies pixel i−1 half the time: FVSBN can learn it
  for (int n = 0; n < correlated.count; ++n)
    for (int i = 1; i < 9; ++i)
      if ((n + i) % 2 == 0) correlated.pixels[size_t(n * 9 + i)] = correlated.pixels[size_t(n * 9 + i - 1)];
  FvsbnTrainOptions o;
  o.epochs = 4;
  o.batch_size = 20;
  o.learning_rate = 0.05f;
  FvsbnTrainer t(correlated, o, &correlated);
  const double start = mean_nll(t.model(), correlated);
  int calls = 0;
  while (!t.step(3)) ++calls;
  CHECK(calls >= (4 * 20) / 3 - 1);
  CHECK(t.progress() == doctest::Approx(1.0));
  REQUIRE(t.history().size() == 4);
  CHECK(t.history().back().validation_nll < start - 0.3);
  CHECK(t.history().back().validation_nll == doctest::Approx(mean_nll(t.model(), correlated)));
  FvsbnTrainOptions no_steps;
  no_steps.learning_rate = 0.0f;
  CHECK(contains(error_of([&] { FvsbnTrainer(correlated, no_steps); }), "learning rate 0"));
}

TEST_CASE("pixel trainers' curve(): the epochs' ends as history(), points between on request") {
  const BinaryImages train = random_images(100, 3, 3, 43, 0.4);
  FvsbnTrainOptions o;
  o.epochs = 2;
  o.batch_size = 20;  // 5 minibatches an epoch
  o.curve_every = 2;
  FvsbnTrainer t(train, o, &train);
  run_to_end(t, nullptr);
  const std::vector<float>& losses = t.batch_losses();
  REQUIRE(losses.size() == 10);
  std::vector<double> epochs;
  size_t history = 0;
  for (const PixelCurvePoint& p : t.curve()) {
    epochs.push_back(p.epoch);
    if (p.epoch_end) {
      const TrainEpochStats& h = t.history()[history++];
      CHECK(p.epoch == h.epoch);
      CHECK(p.train == h.train_nll);
      CHECK(p.validation == h.validation_nll);
      CHECK(p.learning_rate == h.learning_rate);
    } else {
      // The mean of this epoch's minibatch losses so far.
      const int done = int(std::lround(p.epoch * 5));
      const int first = done / 5 * 5 == done ? done - 5 : done / 5 * 5;
      double sum = 0;
      for (int k = first; k < done; ++k) sum += losses[size_t(k)];
      CHECK(p.train == doctest::Approx(sum / (done - first)));
      CHECK(std::isnan(p.validation));
    }
  }
  CHECK(history == 2);
  // Minibatches 2 and 4, the end of epoch 1 (minibatch 5), then 6, 8, 10 = the end of epoch 2.
  const std::vector<double> expected = {0.4, 0.8, 1, 1.2, 1.6, 2, 2};
  REQUIRE(epochs.size() == expected.size());
  for (size_t k = 0; k < epochs.size(); ++k) CHECK(epochs[k] == doctest::Approx(expected[k]));
}

TEST_CASE("real MNIST: the 10-neighbour context model is far below the independent baseline") {
  const std::string dir = implay::testing::mnist_dir();
  const BinaryImages train =
      binarize(load_idx_pair(dir + "train-images-idx3-ubyte", dir + "train-labels-idx1-ubyte").first(10000));
  const BinaryImages test =
      binarize(load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte").first(1000));
  const double independent = mean_nll(IndependentModel(train), test);
  const double context = mean_nll(ContextModel(train, {10, 1.0f, false}), test);
  MESSAGE("test NLL nats: independent " << independent << ", context(10) " << context);
  CHECK(independent > 180);
  CHECK(context < 95);
}

TEST_CASE("FVSBN sparse logits equal the per-pixel reference (integer-valued weights: exact)") {
  FvsbnModel fv(9, 9);  // D = 81: chunks of 32 output pixels, the third one partial
  Rng rng(51);
  for (Eigen::Index k = 0; k < fv.params.size(); ++k) fv.params[k] = float(int(rng.below(7)) - 3);
  const Eigen::MatrixXf x = as_floats(random_images(13, 9, 9, 52, 0.5));
  Eigen::MatrixXf fast(13, 81), ref(13, 81);
  fvsbn_logits(fv, x, fast);
  fvsbn_logits_reference(fv, x, ref);
  CHECK(fast == ref);
  // and the gradient of the sparse loss against central differences on a few coordinates
  FvsbnModel small = random_fvsbn(9, 9, 53, 0.1);
  Eigen::VectorXf grad(small.num_params());
  fvsbn_loss(small, x, grad);
  GradCheckOptions o;
  o.max_coordinates = 300;
  const GradCheckResult r = check_gradient([&] { return fvsbn_loss(small, x); },
                                           std::span<float>(small.params.data(), size_t(small.params.size())),
                                           std::span<const float>(grad.data(), size_t(grad.size())), o);
  CHECK(r.max_relative_error < 1e-2);
  CHECK(r.norm_relative_error < 1e-3);
}

TEST_CASE("context counts aggregated to a shorter template equal that template's own counts") {
  const BinaryImages s = random_images(40, 6, 5, 61, 0.4);
  for (bool pos : {false, true}) {
    const ContextModel big(s, {9, 1.0f, pos});
    for (int k : {1, 4, 9}) {
      const ContextModel small(s, {k, 1.0f, pos});
      std::vector<uint32_t> ones, totals;
      big.aggregate_counts(k, ones, totals);
      CHECK(ones == small.ones);
      CHECK(totals == small.totals);
    }
    std::vector<uint32_t> o, t;
    CHECK(contains(error_of([&] { big.aggregate_counts(10, o, t); }), "10 neighbours"));
  }
}

// The FVSBN's loss and gradient by plain dense loops over W_ij (model.weight), for the sparse
// column-wise kernels to be compared with. x: (B, D) 0/1.
static double fvsbn_loss_dense(const FvsbnModel& m, const Eigen::MatrixXf& x, Eigen::VectorXf& grad) {
  const int d = m.dim(), b = int(x.rows());
  grad = Eigen::VectorXf::Zero(m.num_params());
  double loss = 0;
  for (int n = 0; n < b; ++n)
    for (int i = 0; i < d; ++i) {
      double a = m.bias()[i];
      for (int j = 0; j < i; ++j) a += double(m.weight(i, j)) * x(n, j);
      loss += std::log1p(std::exp(-std::fabs(a))) + std::max(a, 0.0) - x(n, i) * a;
      const double da = (1 / (1 + std::exp(-a)) - x(n, i)) / b;
      grad[m.num_weights() + i] += float(da);
      for (int j = 0; j < i; ++j) grad[m.weight_column_offset(j) + (i - j - 1)] += float(da * x(n, j));
    }
  return loss / b;
}

TEST_CASE("FVSBN sparse loss and gradient equal dense loops; non-binary batches are rejected") {
  for (int side : {3, 7, 9}) {  // D = 9, 49, 81: one chunk of 32 pixels, two, three (a partial one)
    CAPTURE(side);
    const FvsbnModel fv = random_fvsbn(side, side, 70 + uint64_t(side), 0.3);
    const Eigen::MatrixXf x = as_floats(random_images(17, side, side, 80 + uint64_t(side), 0.3));
    Eigen::VectorXf grad(fv.num_params()), ref;
    const double loss = fvsbn_loss(fv, x, grad);
    CHECK(loss == doctest::Approx(fvsbn_loss_dense(fv, x, ref)).epsilon(1e-5));
    CHECK(fvsbn_loss(fv, x) == doctest::Approx(loss).epsilon(1e-5));
    CHECK((grad - ref).cwiseAbs().maxCoeff() <= 1e-5f * std::max(1.0f, ref.cwiseAbs().maxCoeff()));
    // every weight coordinate is written (a stale value would survive in a reused vector)
    Eigen::VectorXf reused = Eigen::VectorXf::Constant(fv.num_params(), 1e9f);
    fvsbn_loss(fv, x, reused);
    CHECK(reused == grad);
  }
  const FvsbnModel fv(2, 2);
  Eigen::MatrixXf x = Eigen::MatrixXf::Zero(3, 4);
  x(1, 2) = 0.5f;
  Eigen::MatrixXf logits(3, 4);
  CHECK(contains(error_of([&] { fvsbn_logits(fv, x, logits); }), "value 0.500000 at image 1, pixel 2"));
  CHECK(contains(error_of([&] { fvsbn_loss(fv, x); }), "pixels must be 0 or 1"));
}

TEST_CASE("FVSBN files keep W row by row (the format of version 1) while memory holds columns") {
  FvsbnModel fv(3, 2);  // D = 6
  for (int i = 1; i < 6; ++i)
    for (int j = 0; j < i; ++j) fv.params[fv.weight_column_offset(j) + (i - j - 1)] = float(10 * i + j);
  for (int i = 0; i < 6; ++i) fv.bias()[i] = float(-i);
  CHECK(fv.weight(4, 1) == 41);
  CHECK(fv.weight_column(1).size() == 4);
  CHECK(fv.weight_column(1)[2] == 41);  // W_41: column 1 starts at row 2
  const std::vector<uint8_t> bytes = serialize_pixel_model(fv);
  REQUIRE(bytes.size() == 20 + 4 * size_t(fv.num_params()));
  std::vector<float> stored(size_t(fv.num_params()));
  std::memcpy(stored.data(), bytes.data() + 20, 4 * stored.size());
  CHECK(stored ==
        std::vector<float>{10, 20, 21, 30, 31, 32, 40, 41, 42, 43, 50, 51, 52, 53, 54, 0, -1, -2, -3, -4, -5});
  const std::unique_ptr<PixelModel> back = parse_pixel_model(bytes, "mem");
  CHECK(static_cast<const FvsbnModel&>(*back).params == fv.params);
}

TEST_CASE("FVSBN sampling with carried logits sees the same p as probability() pixel by pixel") {
  const FvsbnModel fv = random_fvsbn(6, 5, 90);
  const BinaryImages prefix = random_images(1, 6, 5, 91);
  for (int start : {0, 7, 29, 30}) {
    CAPTURE(start);
    std::vector<uint8_t> fast(prefix.image(0).begin(), prefix.image(0).end()), slow = fast;
    std::vector<double> p_fast, p_slow;
    Rng r_fast(5), r_slow(5);
    fv.draw_pixels(fast, start, [&](double p) {
      p_fast.push_back(p);
      return uint8_t(r_fast.uniform() < p);
    });
    fv.PixelModel::draw_pixels(slow, start, [&](double p) {
      p_slow.push_back(p);
      return uint8_t(r_slow.uniform() < p);
    });
    CHECK(p_fast.size() == size_t(30 - start));
    CHECK(p_fast == p_slow);
    CHECK(fast == slow);
    CHECK(std::equal(fast.begin(), fast.begin() + start, prefix.image(0).begin()));
  }
}

// [robustness] ------------------------------------------------------------------------------

namespace {
// A pixel model header: magic, version 1, rows, cols; then whatever `extra` u32s follow.
std::vector<uint8_t> model_header(const char* magic, uint32_t rows, uint32_t cols, std::vector<uint32_t> extra = {}) {
  std::vector<uint8_t> out(magic, magic + 8);
  auto u32 = [&](uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(uint8_t(v >> (8 * k)));
  };
  u32(1);
  u32(rows);
  u32(cols);
  for (uint32_t v : extra) u32(v);
  return out;
}
}  // namespace

TEST_CASE("pixel model files: huge declared sizes are refused before anything is allocated") {
  // 20 bytes claiming a 4096 x 4096 FVSBN (1.4·10¹⁴ parameters) used to throw std::bad_alloc.
  const std::string fv = error_of([] { parse_pixel_model(model_header("IMPLAYFV", 4096, 4096), "big.fv"); });
  CHECK(contains(fv, "big.fv: FVSBN of 4096x4096 pixels would need 140737496743936 parameters; at most 16777216"));
  const std::string na = error_of([] { parse_pixel_model(model_header("IMPLAYNA", 4096, 4096, {4096}), "big.na"); });
  CHECK(contains(na, "big.na: NADE of 4096x4096 pixels and 4096 hidden units would need"));
  // Within the cap but truncated: the bytes present are checked before the model is built.
  CHECK(contains(error_of([] { parse_pixel_model(model_header("IMPLAYFV", 28, 28), "short.fv"); }),
                 "short.fv: truncated FVSBN pixel model file (20 bytes, needs at least 1230900)"));
  // Position-dependent 12-neighbour tables of 4096 x 4096: 2^36 cells.
  const std::string cx = error_of([] {
    parse_pixel_model(model_header("IMPLAYCX", 4096, 4096, {12, 1, 0}), "big.cx");
  });
  CHECK(contains(cx, "big.cx: context tables of 68719476736 cells; at most 16777216"));
}

TEST_CASE("pixel model files: a NaN or infinite parameter is refused, naming the file") {
  FvsbnModel m(3, 3);
  m.params[4] = std::numeric_limits<float>::quiet_NaN();
  CHECK(error_of([&] { parse_pixel_model(serialize_pixel_model(m), "nan.fv"); }) ==
        "nan.fv: FVSBN pixel model parameter 4 is NaN (a diverged training run?); refusing the model");
  NadeModel n(2, 2, 3);
  n.params[0] = -std::numeric_limits<float>::infinity();
  CHECK(contains(error_of([&] { parse_pixel_model(serialize_pixel_model(n), "inf.na"); }),
                 "inf.na: NADE pixel model parameter 0 is infinite"));
}

TEST_CASE("FVSBN and NADE refuse image sizes whose parameters would not fit, before allocating") {
  // 200 x 200 images: D(D−1)/2 + D = 800 020 000 parameters (9.3 GB were reached before).
  CHECK(contains(error_of([] { FvsbnModel(200, 200); }),
                 "FVSBN of 200x200 pixels would need 800020000 parameters; at most 16777216"));
  const BinaryImages big = random_images(2, 200, 200, 1);
  CHECK(contains(error_of([&] { FvsbnTrainer trainer(big, FvsbnTrainOptions{}); }), "would need 800020000 parameters"));
  CHECK_NOTHROW(FvsbnModel(76, 76));  // the largest square that fits: 16 683 976 parameters
  CHECK(contains(error_of([] { FvsbnModel(77, 77); }), "would need 17579485 parameters"));
}

TEST_CASE("pixel-model training that diverges stops with a message and keeps the last good parameters") {
  const BinaryImages train = random_images(300, 4, 4, 11);
  FvsbnTrainOptions o;
  o.learning_rate = 3e38f;  // Adam's first step moves every weight by about α: inf logits, NaN loss
  o.epochs = 2;
  FvsbnTrainer trainer(train, o);
  while (!trainer.step(1)) {
  }
  REQUIRE_FALSE(trainer.failure().empty());
  CHECK(trainer.failure().find("training an FVSBN diverged in epoch 1, minibatch ") == 0);
  CHECK(contains(trainer.failure(), "at learning rate 3e+38"));
  CHECK(trainer.model().params.allFinite());
  CHECK(contains(error_of([&] { train_fvsbn(train, o); }), "diverged"));
  // Out-of-range schedules are refused up front.
  o.epochs = kMaxPixelModelEpochs + 1;
  CHECK(error_of([&] { FvsbnTrainer t(train, o); }) == "epochs = 101 (must be 0..100)");
  o = {};
  o.learning_rate = std::numeric_limits<float>::infinity();
  CHECK(contains(error_of([&] { FvsbnTrainer t(train, o); }), "(must be finite and > 0)"));
}

TEST_CASE("binary_images_from_idx keeps 0/1 files, binarizes grey ones and names bad shapes") {
  IdxArray binary{{2, 2, 2}, {0, 1, 1, 0, 1, 1, 1, 1}};
  CHECK(binary_images_from_idx(binary, "b.idx").pixels == binary.data);  // 0/1 used to binarize to blank
  IdxArray grey{{1, 2, 2}, {0, 127, 128, 255}};
  CHECK(binary_images_from_idx(grey, "g.idx").pixels == std::vector<uint8_t>{0, 0, 1, 1});
  IdxArray labels{{3}, {1, 2, 3}};
  CHECK(contains(error_of([&] { binary_images_from_idx(labels, "l.idx"); }), "l.idx: holds an IDX array of 3;"));
  IdxArray huge{{1, 2048, 1024}, {}};
  CHECK(contains(error_of([&] { binary_images_from_idx(huge, "h.idx"); }),
                 "h.idx: images of 2048x1024 pixels; at most 1048576"));
}
