// grad_check.hpp — the one central-difference gradient check of the core. Every differentiable
// piece (losses.hpp, the linear model in linear.hpp, later the MLP and the conv layers) is tested
// against it: numeric_i = (L(x + h e_i) − L(x − h e_i)) / (2h), compared with the analytic ∂L/∂x_i.
#pragma once
#include <cstdint>
#include <functional>
#include <span>

namespace implay {

// How check_gradient compares. The defaults suit the core's float losses of order 1: the float
// rounding of L itself (≈ 6e-8·|L|) divided by 2h puts ≈ 1e-5 of noise on every numeric
// derivative, while the truncation error of a smooth loss grows like h² (≈ 1e-4·|L'''|).
// So float checks expect max_relative_error ≲ 1e-2 and norm_relative_error ≲ 1e-3; a real bug
// (a missing 1/N or factor 2, a wrong sign or index) shows up as errors of order 1.
struct GradCheckOptions {
  double step = 1e-2;       // h: each checked coordinate moves by ±h (the float actually stored
                            // is used in the quotient, so rounding of x ± h does not bias it)
  double abs_floor = 1e-2;  // relative error = |a − n| / max(|a|, |n|, abs_floor): gradients
                            // smaller than this are compared absolutely (a true 0 has no scale,
                            // and a tiny one is below the float noise above)
  int max_coordinates = 0;  // 0: check every coordinate; otherwise this many, chosen by seed
  uint64_t seed = 1;        // picks the coordinates when max_coordinates > 0
};

struct GradCheckResult {
  int checked = 0;                 // coordinates compared
  double max_relative_error = 0;   // max over them of |a − n| / max(|a|, |n|, abs_floor)
  double max_abs_error = 0;        // max |a − n|
  double norm_relative_error = 0;  // ‖a − n‖ / max(‖a‖, ‖n‖) over the checked coordinates (0 when
                                   // both are 0): the whole gradient's direction and length
  int worst = -1;                  // coordinate of the largest relative error (-1 when none)
  double worst_analytic = 0;       // a and n at that coordinate, for the failure message
  double worst_numeric = 0;
};

// loss(): the loss at the current contents of x (the caller's lambda reads x, e.g. a model's flat
// parameter vector or a score matrix). x: (n) perturbed in place, one coordinate at a time, and
// restored bit for bit. analytic: (n) the gradient the code under test computed at x.
// Kinks (hinge at 0, |w| at 0) must be further than h from x: build the fixture so they are.
GradCheckResult check_gradient(const std::function<double()>& loss, std::span<float> x, std::span<const float> analytic,
                               const GradCheckOptions& options = {});

}  // namespace implay
