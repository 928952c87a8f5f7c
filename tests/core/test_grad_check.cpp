// test_grad_check.cpp — the central-difference helper itself (core/grad_check.hpp): it accepts a
// correct gradient, names the coordinate of a wrong one, restores x bit for bit, and checks a
// seeded subset when asked.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/grad_check.hpp"

namespace {

using namespace implay;

}  // namespace

TEST_CASE("grad check: the gradient 3x² of Σ x³ passes, 2x² fails at the largest |x|") {
  std::vector<float> x = {0.5f, -1.25f, 2.0f, 0.75f};  // (4)
  auto loss = [&] {
    double s = 0;
    for (float v : x) s += double(v) * v * v;
    return s;
  };
  std::vector<float> right(x.size()), wrong(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    right[i] = 3 * x[i] * x[i];
    wrong[i] = 2 * x[i] * x[i];
  }
  const std::vector<float> before = x;

  const GradCheckResult ok = check_gradient(loss, x, right);
  CHECK(ok.checked == 4);
  // Truncation error of a cubic: exactly h² = 1e-4 per coordinate, relative to 3x² ≥ 0.75.
  CHECK(ok.max_relative_error < 2e-4);
  CHECK(x == before);  // restored exactly

  const GradCheckResult bad = check_gradient(loss, x, wrong);
  CHECK(bad.max_relative_error == doctest::Approx(1.0 / 3.0).epsilon(1e-3));  // |2 − 3| / 3
  CHECK(bad.worst_numeric == doctest::Approx(3 * 0.5 * 0.5).epsilon(1e-3));   // first of the ties
  CHECK(bad.worst == 0);
  CHECK(x == before);
}

TEST_CASE("grad check: max_coordinates checks a seeded subset of that size") {
  std::vector<float> x(50, 1.0f);  // (50)
  std::vector<float> grad(50, 2.0f);
  auto loss = [&] {
    double s = 0;
    for (float v : x) s += double(v) * v;
    return s;
  };
  GradCheckOptions options;
  options.max_coordinates = 7;
  const GradCheckResult r = check_gradient(loss, x, grad, options);
  CHECK(r.checked == 7);
  CHECK(r.max_relative_error < 1e-5);
}
