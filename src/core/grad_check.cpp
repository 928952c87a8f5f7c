// grad_check.cpp — central differences against an analytic gradient (see grad_check.hpp).
#include "core/grad_check.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/rng.hpp"

namespace implay {

GradCheckResult check_gradient(const std::function<double()>& loss, std::span<float> x, std::span<const float> analytic,
                               const GradCheckOptions& options) {
  assert(x.size() == analytic.size());
  std::vector<size_t> coords(x.size());  // (n) or (max_coordinates) coordinates to check
  std::iota(coords.begin(), coords.end(), size_t(0));
  if (options.max_coordinates > 0 && size_t(options.max_coordinates) < coords.size()) {
    Rng rng(options.seed);
    rng.shuffle(std::span<size_t>(coords));
    coords.resize(size_t(options.max_coordinates));
    std::sort(coords.begin(), coords.end());
  }
  GradCheckResult result;
  double diff_sq = 0, analytic_sq = 0, numeric_sq = 0;
  for (size_t i : coords) {
    const float original = x[i];
    const float plus = float(double(original) + options.step);
    const float minus = float(double(original) - options.step);
    x[i] = plus;
    const double loss_plus = loss();
    x[i] = minus;
    const double loss_minus = loss();
    x[i] = original;
    // The quotient uses the floats actually stored, not the nominal 2h.
    const double numeric = (loss_plus - loss_minus) / (double(plus) - double(minus));
    const double a = analytic[i];
    const double abs_error = std::abs(a - numeric);
    const double scale = std::max({std::abs(a), std::abs(numeric), options.abs_floor});
    const double rel_error = abs_error / scale;
    result.max_abs_error = std::max(result.max_abs_error, abs_error);
    if (result.worst < 0 || rel_error > result.max_relative_error) {
      result.max_relative_error = rel_error;
      result.worst = int(i);
      result.worst_analytic = a;
      result.worst_numeric = numeric;
    }
    diff_sq += (a - numeric) * (a - numeric);
    analytic_sq += a * a;
    numeric_sq += numeric * numeric;
    ++result.checked;
  }
  const double norm = std::sqrt(std::max(analytic_sq, numeric_sq));
  result.norm_relative_error = norm == 0 ? 0 : std::sqrt(diff_sq) / norm;
  return result;
}

}  // namespace implay
