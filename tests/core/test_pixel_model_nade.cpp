// test_pixel_model_nade.cpp — NADE of core/pixel/pixel_model_nade.hpp: conditionals (range, the chain
// rule, batched = one by one), the loss kernel against a per-image reference and its gradient
// against central differences, the sampler hook, the model file, the trainer on real MNIST.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/rng.hpp"
#include "pixel_test_data.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::as_floats;
using implay::testing::contains;
using implay::testing::error_of;
using implay::testing::random_images;

// Every parameter ~ N(0, scale²), the hidden bias shifted by +0.5 so that most units are active.
NadeModel random_nade(int rows, int cols, int hidden, uint64_t seed, double scale = 1.0) {
  NadeModel m(rows, cols, hidden);
  Rng rng(seed);
  for (Eigen::Index k = 0; k < m.params.size(); ++k) m.params[k] = float(scale * rng.normal());
  m.hidden_bias().array() += 0.5f;
  return m;
}

// The definition, one image and one pixel at a time in double: h_i = max(c + Σ_{j<i} W_:j x_j, 0).
double reference_nll(const NadeModel& m, std::span<const uint8_t> image) {
  double nll = 0;
  for (int i = 0; i < m.dim(); ++i) {
    double logit = m.output_bias()[i];
    for (int k = 0; k < m.hidden(); ++k) {
      double a = m.hidden_bias()[k];
      for (int j = 0; j < i; ++j) a += image[size_t(j)] * double(m.input_weights()(k, j));
      logit += double(m.output_weights()(k, i)) * std::max(a, 0.0);
    }
    const double p = 1 / (1 + std::exp(-logit));
    nll -= std::log(image[size_t(i)] ? p : 1 - p);
  }
  return nll;
}

}  // namespace

TEST_CASE("NADE conditionals: in (0, 1), batched = one by one, log-likelihood = sum of the terms") {
  const NadeModel m = random_nade(5, 4, 7, 3);
  const BinaryImages test = random_images(4, 5, 4, 8);
  for (int n = 0; n < test.count; ++n) {
    const std::vector<double> p = conditional_map(m, test.image(n));
    double nll = 0;
    for (int i = 0; i < m.dim(); ++i) {
      CHECK(p[size_t(i)] > 0);
      CHECK(p[size_t(i)] < 1);
      CHECK(p[size_t(i)] + (1 - p[size_t(i)]) == 1.0);
      CHECK(p[size_t(i)] == m.probability(test.image(n), i));  // the same float sums in the same order
      nll -= std::log(test.image(n)[size_t(i)] ? p[size_t(i)] : 1 - p[size_t(i)]);
    }
    CHECK(log_likelihood(m, test.image(n)).nats == doctest::Approx(-nll));
    CHECK(-log_likelihood(m, test.image(n)).nats == doctest::Approx(reference_nll(m, test.image(n))).epsilon(1e-5));
  }
  double mean = 0;
  for (int n = 0; n < test.count; ++n) mean += reference_nll(m, test.image(n)) / test.count;
  CHECK(mean_nll(m, test) == doctest::Approx(mean).epsilon(1e-5));
  CHECK(nade_loss(m, as_floats(test)) == doctest::Approx(mean).epsilon(1e-5));
  CHECK(contains(error_of([&] { nade_loss(m, Eigen::MatrixXf::Zero(2, 19)); }), "19 pixels per image (expected 20)"));
  Eigen::MatrixXf half = as_floats(test);
  half(1, 2) = 0.5f;
  CHECK(contains(error_of([&] { nade_loss(m, half); }), "value 0.500000 at image 1, pixel 2 (pixels must be 0 or 1)"));
}

TEST_CASE("NADE conditionals do not read pixels at or after i") {
  const NadeModel m = random_nade(3, 3, 5, 5);
  std::vector<uint8_t> a = {1, 0, 1, 1, 0, 0, 1, 0, 1}, b = a;
  b[4] = 1;
  b[8] = 0;
  for (int i = 0; i <= 4; ++i) CHECK(m.probability(a, i) == m.probability(b, i));
}

TEST_CASE("NADE rejects a bad size and hidden-unit count") {
  CHECK(contains(error_of([] { NadeModel(3, 3, 0); }), "0 hidden units (must be 1..4096)"));
  CHECK(contains(error_of([] { NadeModel(3, 3, 4097); }), "4097 hidden units"));
  CHECK(contains(error_of([] { NadeModel(0, 3, 4); }), "0x3 pixels"));
  NadeModel m(3, 3, 4);
  CHECK(contains(error_of([&] { m.init_from_marginals(random_images(5, 2, 2, 1)); }), "training images of 2x2"));
}

TEST_CASE("NADE loss gradient matches central differences (3x3 images, H = 4)") {
  NadeModel m = random_nade(3, 3, 4, 11, 0.5);
  const Eigen::MatrixXf x = as_floats(random_images(6, 3, 3, 12, 0.5));
  Eigen::VectorXf grad(m.num_params());
  const double loss = nade_loss(m, x, grad);
  CHECK(loss == doctest::Approx(nade_loss(m, x)));
  // ReLU has a kink at 0: the fixture keeps every pre-activation further than the step from it.
  GradCheckOptions o;
  o.step = 1e-3;
  const GradCheckResult r =
      check_gradient([&] { return nade_loss(m, x); }, std::span<float>(m.params.data(), size_t(m.params.size())),
                     std::span<const float>(grad.data(), size_t(grad.size())), o);
  CAPTURE(r.worst);
  CAPTURE(r.worst_analytic);
  CAPTURE(r.worst_numeric);
  CHECK(r.checked == m.num_params());
  CHECK(r.max_relative_error < 2e-2);
  CHECK(r.norm_relative_error < 2e-3);
}

TEST_CASE("NADE loss gradient on 9x9 images and a larger batch, a few hundred coordinates") {
  NadeModel m = random_nade(9, 9, 16, 53, 0.1);
  const Eigen::MatrixXf x = as_floats(random_images(13, 9, 9, 52, 0.3));
  Eigen::VectorXf grad(m.num_params());
  nade_loss(m, x, grad);
  GradCheckOptions o;
  o.max_coordinates = 300;
  o.step = 1e-3;
  const GradCheckResult r =
      check_gradient([&] { return nade_loss(m, x); }, std::span<float>(m.params.data(), size_t(m.params.size())),
                     std::span<const float>(grad.data(), size_t(grad.size())), o);
  CHECK(r.max_relative_error < 2e-2);
  CHECK(r.norm_relative_error < 2e-3);
}

TEST_CASE("NADE sampling: deterministic per seed, T <= 0 is the argmax completion, the prefix is kept") {
  const NadeModel m = random_nade(4, 4, 6, 21);
  const std::vector<uint8_t> prefix = {1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
  const int start = 5;
  std::vector<uint8_t> argmax = prefix;
  for (int i = start; i < 16; ++i) argmax[size_t(i)] = most_likely_pixel(m, argmax, i) ? 1 : 0;
  const std::vector<uint8_t> cold = sample_completions(m, prefix, start, {0.0f, 3, 9});
  for (int k = 0; k < 3; ++k) CHECK(std::vector<uint8_t>(cold.begin() + 16 * k, cold.begin() + 16 * (k + 1)) == argmax);
  const std::vector<uint8_t> s1 = sample_completions(m, prefix, start, {1.0f, 20, 4});
  CHECK(s1 == sample_completions(m, prefix, start, {1.0f, 20, 4}));
  CHECK(s1 != sample_completions(m, prefix, start, {1.0f, 20, 5}));
  for (int k = 0; k < 20; ++k)
    for (int i = 0; i < start; ++i) CHECK(s1[size_t(16 * k + i)] == prefix[size_t(i)]);
  // The NADE hook draws exactly what the generic per-pixel loop draws from probability().
  Rng generic_rng(4), hook_rng(4);
  std::vector<uint8_t> generic = prefix, hooked = prefix;
  for (int i = start; i < 16; ++i) generic[size_t(i)] = generic_rng.uniform() < m.probability(generic, i) ? 1 : 0;
  m.draw_pixels(hooked, start, [&](double p) -> uint8_t { return hook_rng.uniform() < p ? 1 : 0; });
  CHECK(hooked == generic);
}

TEST_CASE("NADE files: bit-exact round trip; truncated, trailing byte and bad H rejected by name") {
  const NadeModel m = random_nade(4, 3, 5, 32);
  const std::vector<uint8_t> bytes = serialize_pixel_model(m);
  CHECK(bytes.size() == 24 + 4 * size_t(m.num_params()));
  const std::unique_ptr<PixelModel> back = parse_pixel_model(bytes, "mem");
  REQUIRE(back->kind() == PixelModelKind::Nade);
  CHECK(static_cast<const NadeModel&>(*back).hidden() == 5);
  CHECK(serialize_pixel_model(*back) == bytes);
  const std::vector<uint8_t> img = {1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1};
  CHECK(conditional_map(*back, img) == conditional_map(m, img));
  CHECK(contains(error_of([&] { parse_pixel_model(std::span(bytes).first(bytes.size() - 1), "f.bin"); }),
                 "f.bin: truncated NADE pixel model file"));
  CHECK(contains(error_of([&] { parse_pixel_model(std::span(bytes).first(22), "f.bin"); }), "f.bin: truncated"));
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  CHECK(contains(error_of([&] { parse_pixel_model(longer, "f.bin"); }), "f.bin: 1 unexpected bytes after the NADE"));
  for (uint32_t h : {0u, 4097u}) {
    std::vector<uint8_t> bad = bytes;
    for (int k = 0; k < 4; ++k) bad[size_t(20 + k)] = uint8_t(h >> (8 * k));
    CHECK(contains(error_of([&] { parse_pixel_model(bad, "f.bin"); }),
                   "f.bin: NADE of " + std::to_string(h) + " hidden units (must be 1..4096)"));
  }
  std::vector<uint8_t> other_h = bytes;
  other_h[20] = 6;  // H = 6 expects more parameters than the file holds
  CHECK(contains(error_of([&] { parse_pixel_model(other_h, "f.bin"); }), "f.bin: truncated"));
}

TEST_CASE("NADE trainer on 2000 MNIST digits: the loss falls and the model beats the independent baseline") {
  const std::string dir = implay::testing::mnist_dir();
  const BinaryImages train =
      binarize(load_idx_pair(dir + "train-images-idx3-ubyte", dir + "train-labels-idx1-ubyte").first(2000));
  const BinaryImages test =
      binarize(load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte").first(500));
  NadeTrainOptions o;
  o.hidden = 32;
  o.epochs = 2;
  o.learning_rate = 1e-2f;
  NadeTrainer t(train, o, &test);
  const PixelModelTrainer& as_interface = t;
  const double start = mean_nll(t.model(), test);
  int calls = 0;
  while (!t.step(7)) ++calls;
  CHECK(calls >= (2 * (20 + 5)) / 7 - 1);
  CHECK(as_interface.done());
  CHECK(as_interface.progress() == doctest::Approx(1.0));
  REQUIRE(as_interface.history().size() == 2);
  CHECK(t.batch_losses().size() == 40);
  CHECK(t.batch_losses().back() < t.batch_losses().front() - 30);
  const double nade = as_interface.history().back().validation_nll;
  CHECK(nade == doctest::Approx(mean_nll(as_interface.model(), test)));
  const double independent = mean_nll(IndependentModel(train), test);
  MESSAGE("test NLL nats: independent " << independent << ", NADE start " << start << ", after 2 epochs " << nade);
  CHECK(nade < independent - 50);
  NadeTrainOptions no_hidden, backwards;
  no_hidden.hidden = 0;
  backwards.learning_rate = -1.0f;
  CHECK(contains(error_of([&] { NadeTrainer(train, no_hidden); }), "0 hidden units"));
  CHECK(contains(error_of([&] { NadeTrainer(train, backwards); }), "learning rate -1"));
}
