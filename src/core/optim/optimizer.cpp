// optimizer.cpp — the optimizers of optimizer.hpp: option names, SGD with momentum, Adam and the
// schedule that holds either, then Adam's update kernel: the portable loop, its wasm_simd128
// version and the dispatch (the same pattern as pixel/train_kernels.cpp and knn/distance.cpp).
//
// Index: [Names] [SGD and Adam] [Adam kernel]
#include "core/optim/optimizer.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "core/error.hpp"

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#endif

namespace implay {

// [SECTION] Names --------------------------------------------------------------------------------

const char* optimizer_name(Optimizer optimizer) {
  switch (optimizer) {
    case Optimizer::Sgd: return "sgd";
    case Optimizer::Adam: return "adam";
  }
  return "?";
}

Optimizer parse_optimizer(std::string_view name) {
  if (name == "sgd") return Optimizer::Sgd;
  if (name == "adam") return Optimizer::Adam;
  throw Error("unknown optimizer \"" + std::string(name) + "\" (expected sgd or adam)");
}

const char* lr_schedule_name(LrSchedule schedule) {
  switch (schedule) {
    case LrSchedule::Epochs: return "epochs";
    case LrSchedule::Linear: return "linear";
  }
  return "?";
}

LrSchedule parse_lr_schedule(std::string_view name) {
  if (name == "epochs") return LrSchedule::Epochs;
  if (name == "linear") return LrSchedule::Linear;
  throw Error("unknown learning-rate schedule \"" + std::string(name) + "\" (expected epochs or linear)");
}

// [SECTION] SGD and Adam -------------------------------------------------------------------------

Sgd::Sgd(Eigen::Index num_params, float momentum_) : momentum(momentum_), velocity(Eigen::VectorXf::Zero(num_params)) {}

void Sgd::step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad, float learning_rate) {
  assert(params.size() == velocity.size() && grad.size() == velocity.size());
  velocity = momentum * velocity - learning_rate * grad;  // v ← μ v − α g
  params += velocity;                                     // θ ← θ + v
}

Adam::Adam(Eigen::Index num_params, float beta1_, float beta2_, float epsilon_)
    : beta1(beta1_),
      beta2(beta2_),
      epsilon(epsilon_),
      m(Eigen::VectorXf::Zero(num_params)),
      v(Eigen::VectorXf::Zero(num_params)) {}

void Adam::step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad,
                float learning_rate) {
  assert(params.size() == m.size() && grad.size() == m.size() && v.size() == m.size());
  ++t;
  AdamStep s;
  s.learning_rate = learning_rate;
  s.beta1 = beta1;
  s.beta2 = beta2;
  s.correction1 = float(1 - std::pow(double(beta1), double(t)));  // 1 − β₁ᵗ
  s.correction2 = float(1 - std::pow(double(beta2), double(t)));  // 1 − β₂ᵗ
  s.epsilon = epsilon;
  adam_step_f32(params.data(), grad.data(), m.data(), v.data(), size_t(m.size()), s);
}

ScheduledOptimizer::ScheduledOptimizer(const OptimizerOptions& options_, Eigen::Index num_params)
    : options(options_), learning_rate(options_.learning_rate), base_rate(options_.learning_rate) {
  if (options.optimizer == Optimizer::Sgd)
    sgd = Sgd(num_params, options.momentum);
  else
    adam = Adam(num_params, options.adam_beta1, options.adam_beta2, options.adam_epsilon);
}

void ScheduledOptimizer::step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad) {
  if (options.optimizer == Optimizer::Sgd)
    sgd.step(params, grad, learning_rate);
  else
    adam.step(params, grad, learning_rate);
  ++steps;
  if (options.lr_schedule == LrSchedule::Linear) set_rate(base_rate);
}

void ScheduledOptimizer::set_rate(float rate) {
  if (options.lr_schedule == LrSchedule::Epochs) {
    learning_rate = rate;
    return;
  }
  base_rate = rate;
  // Past the end (a run resumed for more epochs before set_total_steps) α stays at its last value.
  const double left = std::max<double>(total_steps - std::min(steps, total_steps - 1), 1.0);
  learning_rate = float(double(rate) * left / double(total_steps));
}

void ScheduledOptimizer::set_total_steps(long long total) {
  total_steps = std::max<long long>(total, 1);
  if (options.lr_schedule == LrSchedule::Linear) set_rate(base_rate);
}

// [SECTION] Adam kernel --------------------------------------------------------------------------

namespace portable {

// Three Eigen passes (vectorized natively; a plain loop with std::sqrt is not, as sqrt may set
// errno); per element the same operations in the same order as the wasm kernel.
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& s) {
  const Eigen::Index count = Eigen::Index(n);
  const Eigen::Map<const Eigen::ArrayXf> g(grad, count);
  Eigen::Map<Eigen::ArrayXf> theta(params, count), mm(m, count), vv(v, count);
  mm = s.beta1 * mm + (1 - s.beta1) * g;
  vv = s.beta2 * vv + (1 - s.beta2) * g.square();
  theta -= s.learning_rate * (mm / s.correction1) / ((vv / s.correction2).sqrt() + s.epsilon);
}

}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {

void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& s) {
  const v128_t b1 = wasm_f32x4_splat(s.beta1), b2 = wasm_f32x4_splat(s.beta2);
  const v128_t a1 = wasm_f32x4_splat(1 - s.beta1), a2 = wasm_f32x4_splat(1 - s.beta2);
  const v128_t lr = wasm_f32x4_splat(s.learning_rate), eps = wasm_f32x4_splat(s.epsilon);
  const v128_t c1 = wasm_f32x4_splat(s.correction1), c2 = wasm_f32x4_splat(s.correction2);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t g = wasm_v128_load(grad + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(m + i)), wasm_f32x4_mul(a1, g));
    const v128_t vi =
        wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(v + i)), wasm_f32x4_mul(a2, wasm_f32x4_mul(g, g)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    const v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, c2)), eps);
    const v128_t step = wasm_f32x4_div(wasm_f32x4_mul(lr, wasm_f32x4_div(mi, c1)), den);
    wasm_v128_store(params + i, wasm_f32x4_sub(wasm_v128_load(params + i), step));
  }
  portable::adam_step_f32(params + i, grad + i, m + i, v + i, n - i, s);
}

}  // namespace wasm_simd
#endif  // IMPLAY_WASM_SIMD

void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step) {
#if IMPLAY_WASM_SIMD
  wasm_simd::adam_step_f32(params, grad, m, v, n, step);
#else
  portable::adam_step_f32(params, grad, m, v, n, step);
#endif
}

}  // namespace implay
