// test_information.cpp — entropy, cross-entropy, KL and BCE of core/eval/information.hpp: the lecture's
// worked numbers, the ε clipping of −log 0, and CE = KL + H on several distributions.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/eval/information.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

TEST_CASE("lecture CE: p = (1, 0, 0), q = (0.75, 0.2, 0.05) step by step") {
  const std::vector<double> p = {1, 0, 0}, q = {0.75, 0.2, 0.05};
  const CrossEntropySteps s = cross_entropy_steps(p, q);
  CHECK(s.g[0] == doctest::Approx(0.2876821));  // −ln 0.75
  CHECK(s.g[1] == doctest::Approx(1.6094379));  // −ln 0.2
  CHECK(s.g[2] == doctest::Approx(2.9957323));  // −ln 0.05
  CHECK(s.pg == std::vector<double>{s.g[0], 0, 0});
  CHECK(s.cross_entropy == doctest::Approx(0.2876821));
  CHECK(s.entropy == 0);
  CHECK(s.kl == doctest::Approx(0.2876821));
  CHECK(categorical_cross_entropy(0, q) == doctest::Approx(0.2876821));
}

TEST_CASE("−log 0 is clipped at ε = 1e-14, giving the lecture's ≈ 32") {
  CHECK(-std::log(kLogEpsilon) == doctest::Approx(32.236191));
  const std::vector<double> p = {0, 1}, q = {1, 0};
  const CrossEntropySteps s = cross_entropy_steps(p, q);
  CHECK(s.q_clipped[1] == kLogEpsilon);
  CHECK(s.g[1] == doctest::Approx(32.236191));
  CHECK(s.g[0] == 0);
  CHECK(categorical_cross_entropy(1, q) == doctest::Approx(32.236191));
}

TEST_CASE("entropy of uniform and certain distributions") {
  CHECK(entropy(std::vector<double>{0.25, 0.25, 0.25, 0.25}) == doctest::Approx(std::log(4.0)));
  CHECK(entropy(std::vector<double>{0, 1, 0}) == 0);
  CHECK(entropy(std::vector<double>{0.5, 0.5}) == doctest::Approx(std::log(2.0)));
}

TEST_CASE("CE = KL + H, KL ≥ 0 and KL(p‖p) = 0 on several distributions") {
  const std::vector<std::vector<double>> ps = {
      {0.5, 0.5}, {0.1, 0.2, 0.7}, {0.25, 0.25, 0.25, 0.25}, {1, 0, 0}, {0.05, 0.9, 0.05}};
  const std::vector<std::vector<double>> qs = {
      {0.9, 0.1}, {0.3, 0.3, 0.4}, {0.7, 0.1, 0.1, 0.1}, {0.75, 0.2, 0.05}, {0.2, 0.6, 0.2}};
  for (size_t i = 0; i < ps.size(); ++i) {
    CAPTURE(i);
    const double ce = cross_entropy(ps[i], qs[i]), kl = kl_divergence(ps[i], qs[i]), h = entropy(ps[i]);
    CHECK(ce == doctest::Approx(kl + h).epsilon(1e-12));
    CHECK(kl > 0);
    CHECK(kl_divergence(ps[i], ps[i]) == doctest::Approx(0.0).epsilon(1e-12));
  }
  // By hand: p = (½, ½), q = (0.9, 0.1): CE = −½(ln 0.9 + ln 0.1) = 1.2039728.
  CHECK(cross_entropy(ps[0], qs[0]) == doctest::Approx(1.2039728));
}

TEST_CASE("categorical CE of a batch is the mean of −log q_y") {
  const std::vector<int> y = {0, 2};
  const std::vector<double> q = {0.75, 0.2, 0.05,  //
                                 0.1,  0.1, 0.8};
  CHECK(categorical_cross_entropy_batch(y, q, 3) == doctest::Approx((-std::log(0.75) - std::log(0.8)) / 2));
  CHECK(error_of([&] { categorical_cross_entropy_batch(y, q, 2); }) == "q has 6 values, expected 2 rows x 2 classes");
  CHECK(error_of([&] { categorical_cross_entropy(3, std::vector<double>{0.5, 0.5}); }) == "class 3 is outside 0..1");
}

TEST_CASE("BCE: y = 1, ŷ = 0.8 gives −ln 0.8; y = 0 uses −ln(1 − ŷ)") {
  CHECK(binary_cross_entropy(std::vector<double>{1}, std::vector<double>{0.8}) == doctest::Approx(0.2231436));
  const BinaryCrossEntropySteps s =
      binary_cross_entropy_steps(std::vector<double>{1, 0}, std::vector<double>{0.8, 0.3});
  CHECK(s.log_yhat[0] == doctest::Approx(0.2231436));
  CHECK(s.log_one_minus[1] == doctest::Approx(0.3566749));  // −ln 0.7
  CHECK(s.losses[1] == doctest::Approx(0.3566749));
  CHECK(s.mean == doctest::Approx((0.2231436 + 0.3566749) / 2));
  // ŷ = 0 for a positive: clipped, −ln 1e-14.
  CHECK(binary_cross_entropy(std::vector<double>{1}, std::vector<double>{0}) == doctest::Approx(32.236191));
}

TEST_CASE("bad vectors are implay::Errors") {
  CHECK(error_of([] {
          cross_entropy(std::vector<double>{1, 0}, std::vector<double>{1});
        }) == "p has 2 values, q has 1 (they must have the same length)");
  CHECK(error_of([] {
          cross_entropy(std::vector<double>{1, -0.5}, std::vector<double>{0.5, 0.5});
        }) == "p[1] = -0.5 is negative or not finite");
  CHECK(error_of([] { binary_cross_entropy(std::vector<double>{1}, std::vector<double>{1.5}); }) ==
        "yhat[0] = 1.5 is outside [0, 1]");
  CHECK(error_of([] { entropy(std::vector<double>{}); }) == "(no error)");
  CHECK(error_of([] { cross_entropy(std::vector<double>{}, std::vector<double>{}); }) == "p is empty");
}
