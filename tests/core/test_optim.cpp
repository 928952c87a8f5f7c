// test_optim.cpp — the optimizers of core/optim/optimizer.hpp: Adam's first steps worked out by
// hand (bias correction makes the first step α·sign(g)), SGD with momentum on a quadratic step by
// step and to convergence, the learning-rate schedule, the names, and Adam's update kernel:
// portable == dispatching bit for bit (the wasm_simd128 path in the wasm build) and the formula.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/optim/optimizer.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

std::vector<float> random_floats(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = float(rng.normal());
  return v;
}

Eigen::VectorXf vec(std::initializer_list<float> values) {
  Eigen::VectorXf v(Eigen::Index(values.size()));
  Eigen::Index i = 0;
  for (float x : values) v[i++] = x;
  return v;
}

}  // namespace

TEST_CASE("Adam: two steps on a 2-vector, worked out by hand") {
  // α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, θ = (1, −2).
  Adam adam(2, 0.9f, 0.999f, 1e-8f);
  Eigen::VectorXf theta = vec({1, -2});
  // Step 1, g = (0.5, −1): m = 0.1 g = (0.05, −0.1), v = 0.001 g² = (0.00025, 0.001); the bias
  // corrections c₁ = 0.1, c₂ = 0.001 give m̂ = g, √v̂ = |g|, so θ moves by α·sign(g) (less ε/|g|).
  adam.step(theta, vec({0.5f, -1}), 0.1f);
  CHECK(adam.t == 1);
  CHECK(adam.m[0] == doctest::Approx(0.05));
  CHECK(adam.m[1] == doctest::Approx(-0.1));
  CHECK(adam.v[0] == doctest::Approx(0.00025));
  CHECK(adam.v[1] == doctest::Approx(0.001));
  CHECK(theta[0] == doctest::Approx(0.9).epsilon(1e-6));
  CHECK(theta[1] == doctest::Approx(-1.9).epsilon(1e-6));
  // Step 2, g = (0.5, 2): m = 0.9 m + 0.1 g = (0.095, 0.11), v = 0.999 v + 0.001 g² =
  // (0.00049975, 0.004999); c₁ = 1 − 0.81 = 0.19, c₂ = 1 − 0.998001 = 0.001999.
  //   θ₀: m̂ = 0.5, v̂ = 0.25 exactly, step 0.1 · 0.5 / 0.5 = 0.1 → 0.8
  //   θ₁: m̂ = 11/19, v̂ = 4999/1999, step 0.1 · (11/19) / √(4999/1999) = 0.036610354 → −1.936610354
  adam.step(theta, vec({0.5f, 2}), 0.1f);
  CHECK(adam.m[0] == doctest::Approx(0.095));
  CHECK(adam.m[1] == doctest::Approx(0.11));
  CHECK(adam.v[0] == doctest::Approx(0.00049975));
  CHECK(adam.v[1] == doctest::Approx(0.004999));
  CHECK(theta[0] == doctest::Approx(0.8).epsilon(1e-6));
  CHECK(theta[1] == doctest::Approx(-1.9 - 0.1 * (11.0 / 19.0) / std::sqrt(4999.0 / 1999.0)).epsilon(1e-6));
  CHECK(theta[1] == doctest::Approx(-1.936610354).epsilon(1e-6));
}

TEST_CASE("Adam: bias correction makes every step of a constant gradient α-sized") {
  // With g constant, m̂ = g and v̂ = g² exactly (in real numbers) at every t, so each step is
  // α g / (|g| + ε) ≈ α. Without the correction the first step would be α · 0.1 / √0.001 ≈ 3.16 α.
  Adam adam(1, 0.9f, 0.999f, 1e-8f);
  Eigen::VectorXf theta = vec({0});
  for (int t = 1; t <= 5; ++t) {
    const float before = theta[0];
    adam.step(theta, vec({3}), 0.01f);
    CAPTURE(t);
    CHECK(before - theta[0] == doctest::Approx(0.01).epsilon(1e-4));
  }
  CHECK(theta[0] == doctest::Approx(-0.05).epsilon(1e-4));
}

TEST_CASE("SGD with momentum on f(θ) = θ², step by step and to the minimum") {
  // g = 2θ, α = 0.1, μ = 0.5, θ = 1:
  //   v = −0.2, θ = 0.8;  v = 0.5·(−0.2) − 0.1·1.6 = −0.26, θ = 0.54;  v = −0.13 − 0.108 = −0.238, θ = 0.302
  Sgd sgd(1, 0.5f);
  Eigen::VectorXf theta = vec({1});
  const float expected_theta[] = {0.8f, 0.54f, 0.302f}, expected_v[] = {-0.2f, -0.26f, -0.238f};
  for (int t = 0; t < 3; ++t) {
    sgd.step(theta, 2 * theta, 0.1f);
    CAPTURE(t);
    CHECK(theta[0] == doctest::Approx(expected_theta[t]));
    CHECK(sgd.velocity[0] == doctest::Approx(expected_v[t]));
  }
  // θ_{t+1} = 1.3 θ_t − 0.5 θ_{t−1}: roots of modulus √0.5, so 100 steps shrink θ below 1e-6.
  for (int t = 3; t < 100; ++t) sgd.step(theta, 2 * theta, 0.1f);
  CHECK(std::fabs(theta[0]) < 1e-6f);
}

TEST_CASE("SGD with μ = 0 is plain gradient descent") {
  Sgd sgd(2, 0.0f);
  Eigen::VectorXf theta = vec({1, -4});
  for (int t = 0; t < 3; ++t) sgd.step(theta, 2 * theta, 0.1f);  // θ ← 0.8 θ each step
  CHECK(theta[0] == doctest::Approx(0.512));
  CHECK(theta[1] == doctest::Approx(-2.048));
}

TEST_CASE("ScheduledOptimizer: the rule the options name, α decayed after every epoch") {
  OptimizerOptions options;
  options.optimizer = Optimizer::Sgd;
  options.learning_rate = 0.2f;
  options.lr_decay = 0.5f;
  options.momentum = 0.0f;
  ScheduledOptimizer sgd(options, 1);
  CHECK(sgd.learning_rate == 0.2f);
  CHECK(sgd.sgd.velocity.size() == 1);
  CHECK(sgd.adam.m.size() == 0);  // only the rule in use holds state
  Eigen::VectorXf theta = vec({1});
  sgd.step(theta, vec({1}));
  CHECK(theta[0] == doctest::Approx(0.8));
  sgd.end_epoch();
  CHECK(sgd.learning_rate == 0.1f);
  sgd.step(theta, vec({1}));
  CHECK(theta[0] == doctest::Approx(0.7));
  sgd.end_epoch();
  CHECK(sgd.learning_rate == 0.05f);

  // Adam through the schedule is Adam itself, bit for bit.
  options.optimizer = Optimizer::Adam;
  ScheduledOptimizer scheduled(options, 5);
  CHECK(scheduled.sgd.velocity.size() == 0);
  Adam adam(5, options.adam_beta1, options.adam_beta2, options.adam_epsilon);
  const std::vector<float> g = random_floats(5, 7), p = random_floats(5, 8);
  Eigen::VectorXf a = Eigen::Map<const Eigen::VectorXf>(p.data(), 5), b = a;
  const Eigen::Map<const Eigen::VectorXf> grad(g.data(), 5);
  for (int t = 0; t < 3; ++t) {
    scheduled.step(a, grad);
    adam.step(b, grad, 0.2f);
  }
  CHECK(a == b);
}

TEST_CASE("ScheduledOptimizer, linear schedule: α (1 − t / T) before step t, epochs do not decay it") {
  OptimizerOptions options;
  options.optimizer = Optimizer::Sgd;
  options.momentum = 0.0f;
  options.learning_rate = 0.4f;
  options.lr_decay = 0.5f;  // ignored by the linear schedule
  options.lr_schedule = LrSchedule::Linear;
  ScheduledOptimizer sgd(options, 1);
  sgd.set_total_steps(4);
  Eigen::VectorXf theta = vec({0});
  // Plain SGD on a gradient of 1 moves θ by −α: the four steps use 0.4, 0.3, 0.2, 0.1.
  const float expected[] = {0.4f, 0.3f, 0.2f, 0.1f};
  float position = 0;
  for (float alpha : expected) {
    CHECK(sgd.learning_rate == doctest::Approx(alpha));
    sgd.step(theta, vec({1}));
    sgd.end_epoch();
    position -= alpha;
    CHECK(theta[0] == doctest::Approx(position));
  }
  // Past the end α stays at the last step's; a new base rate restarts the line where it is.
  CHECK(sgd.learning_rate == doctest::Approx(0.1));
  sgd.set_total_steps(8);  // the run grew to 8 steps: 4 are left
  CHECK(sgd.learning_rate == doctest::Approx(0.2));
  sgd.set_rate(0.8f);
  CHECK(sgd.learning_rate == doctest::Approx(0.4));
  CHECK(std::string(lr_schedule_name(LrSchedule::Linear)) == "linear");
  CHECK(parse_lr_schedule("epochs") == LrSchedule::Epochs);
  CHECK(error_of([] { parse_lr_schedule("cosine"); }) ==
        "unknown learning-rate schedule \"cosine\" (expected epochs or linear)");
}

TEST_CASE("optimizer names: sgd and adam, anything else named in the error") {
  CHECK(std::string(optimizer_name(Optimizer::Sgd)) == "sgd");
  CHECK(std::string(optimizer_name(Optimizer::Adam)) == "adam");
  CHECK(parse_optimizer("sgd") == Optimizer::Sgd);
  CHECK(parse_optimizer("adam") == Optimizer::Adam);
  CHECK(error_of([] { parse_optimizer("rmsprop"); }) == "unknown optimizer \"rmsprop\" (expected sgd or adam)");
}

TEST_CASE("adam_step_f32: the dispatching kernel equals the portable loop bit for bit, and the formula") {
  for (size_t n : {0, 1, 3, 4, 5, 17, 1001}) {
    const std::vector<float> grad = random_floats(n, 10 + n);
    std::vector<float> params = random_floats(n, 20 + n), m = random_floats(n, 30 + n), v = random_floats(n, 40 + n);
    for (auto& x : v) x = x * x;  // second moments are ≥ 0
    std::vector<float> params_ref = params, m_ref = m, v_ref = v, params0 = params, m0 = m, v0 = v;
    const AdamStep step{0.02f, 0.9f, 0.999f, 1 - 0.9f * 0.9f, 1 - 0.999f * 0.999f, 1e-8f};
    adam_step_f32(params.data(), grad.data(), m.data(), v.data(), n, step);
    portable::adam_step_f32(params_ref.data(), grad.data(), m_ref.data(), v_ref.data(), n, step);
    CAPTURE(n);
    CHECK(params == params_ref);
    CHECK(m == m_ref);
    CHECK(v == v_ref);
    for (size_t i = 0; i < n; ++i) {
      const double mi = 0.9 * m0[i] + 0.1 * grad[i], vi = 0.999 * v0[i] + 0.001 * double(grad[i]) * grad[i];
      const double expected = params0[i] - 0.02 * (mi / step.correction1) / (std::sqrt(vi / step.correction2) + 1e-8);
      CHECK(m[i] == doctest::Approx(mi).epsilon(1e-5));
      CHECK(v[i] == doctest::Approx(vi).epsilon(1e-5));
      CHECK(params[i] == doctest::Approx(expected).epsilon(1e-5));
    }
  }
}
