// test_mlp.cpp — the MLP of core/nn/mlp.hpp: the flat layout and its views, names and shape
// limits, a forward and backward pass worked out by hand (2-D input, 2 ReLU units, 3 classes),
// the GEMM fast path against the plain-loop reference and both against central differences for
// every activation × loss × regularizer (0, 1 and 2 hidden layers, masked units), the squared
// error, seeded init, the blocked evaluation, and the model file (bit-exact round trip, every
// kind of bad file rejected by name).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/nn/mlp.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using namespace implay::testing;  // error_of, contains, far_from_kinks
using Eigen::VectorXf;

// The hand-worked net: D = 2, one hidden layer of 2 ReLU units, C = 3.
//   W(0) = [[1, -1], [0.5, 1]] (row k = input k, column j = unit j), b(0) = (0, -2)
//   W(1) = [[1, 0, -1], [2, 1, 0]],                                  b(1) = (0, 1, 0)
Mlp hand_net() {
  Mlp mlp(MlpShape{2, {2}, 3, Activation::Relu});
  mlp.params << 1, -1, 0.5f, 1,  // W(0) row-major
      0, -2,                     // b(0)
      1, 0, -1, 2, 1, 0,         // W(1) row-major
      0, 1, 0;                   // b(1)
  return mlp;
}

std::span<float> span_of(VectorXf& v) { return {v.data(), size_t(v.size())}; }

// Largest |a − r| relative to the largest |r| (1e-3 at least): the whole gradient's agreement.
double relative_difference(const VectorXf& a, const VectorXf& r) {
  return double((a - r).cwiseAbs().maxCoeff()) / std::max(1e-3, double(r.cwiseAbs().maxCoeff()));
}

// A random net and batch for the checks: weights N(0, std²) pushed at least 0.05 from 0 (L1's
// kink), inputs in [-1, 1], labels uniform.
struct Fixture {
  Mlp mlp;
  RowMatrixXf x;       // (M, D)
  std::vector<int> y;  // (M)
};

Fixture random_fixture(const MlpShape& shape, int m, Rng& rng, double std = 0.8) {
  Fixture f{Mlp(shape), RowMatrixXf(m, shape.input_dim), std::vector<int>(size_t(m))};
  for (Eigen::Index k = 0; k < f.mlp.params.size(); ++k) {
    const float v = float(std * rng.normal());
    f.mlp.params[k] = v >= 0 ? v + 0.05f : v - 0.05f;
  }
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < shape.input_dim; ++j) f.x(i, j) = float(2 * rng.uniform() - 1);
    f.y[size_t(i)] = int(rng.below(uint64_t(shape.num_classes)));
  }
  return f;
}

// True when no hidden pre-activation is within tol of 0 (ReLU's and leaky's kink).
bool hidden_far_from_zero(const Mlp& mlp, const RowMatrixXf& x, float tol) {
  MlpActivations a;
  forward(mlp, x, a);
  for (int l = 0; l < mlp.num_hidden_layers(); ++l)
    if ((a.pre[size_t(l)].array().abs() < tol).any()) return false;
  return true;
}

const MlpShape kCheckShapes[] = {
    {3, {}, 4, Activation::Relu},      // 0 hidden layers: the linear model
    {2, {5}, 3, Activation::Relu},     // one hidden layer
    {4, {6, 5}, 3, Activation::Relu},  // two, with units switched off below
};

}  // namespace

TEST_CASE("layout: every W(l) (in, out) and b(l) (out) is a view of the one flat vector") {
  Mlp mlp(MlpShape{3, {4, 2}, 5, Activation::Tanh});
  CHECK(mlp.num_hidden_layers() == 2);
  CHECK(mlp.layer_in(0) == 3);
  CHECK(mlp.layer_out(0) == 4);
  CHECK(mlp.layer_in(2) == 2);
  CHECK(mlp.layer_out(2) == 5);
  CHECK(mlp.param_offset(0) == 0);
  CHECK(mlp.param_offset(1) == 3 * 4 + 4);
  CHECK(mlp.param_offset(2) == 16 + 4 * 2 + 2);
  CHECK(mlp.num_params() == 26 + 2 * 5 + 5);
  CHECK(mlp.params.size() == 41);
  CHECK(mlp.params.isZero());
  CHECK(mlp.unit_on == std::vector<std::vector<uint8_t>>{{1, 1, 1, 1}, {1, 1}});
  CHECK(mlp.W(1).rows() == 4);
  CHECK(mlp.W(1).cols() == 2);
  mlp.W(1)(2, 1) = 7;  // row-major: 16 + 2·2 + 1
  mlp.b(2)(4) = -3;    // the very last parameter
  CHECK(mlp.params[21] == 7);
  CHECK(mlp.params[40] == -3);
  VectorXf grad = VectorXf::Zero(mlp.num_params());
  mlp.weights_in(grad.data(), 1)(2, 1) = 1;
  mlp.bias_in(grad.data(), 0)(3) = 2;
  CHECK(grad[21] == 1);
  CHECK(grad[15] == 2);
  CHECK(mlp_shape_text(mlp.shape) == "3-4-2-5 tanh");
  CHECK(mlp_shape_text(MlpShape{784, {}, 10, Activation::Relu}) == "784-10");
}

TEST_CASE("names round-trip and bad names, shapes and sizes are named in the errors") {
  for (Activation a : kAllActivations) CHECK(parse_activation(activation_name(a)) == a);
  for (NnLoss l : kAllNnLosses) CHECK(parse_nn_loss(nn_loss_name(l)) == l);
  CHECK(parse_init("he") == Init::He);
  CHECK(parse_init(init_name(Init::Xavier)) == Init::Xavier);
  CHECK(std::string(activation_name(Activation::LeakyRelu)) == "leaky");
  CHECK(std::string(nn_loss_name(NnLoss::SquaredError)) == "mse");
  CHECK(error_of([] { parse_activation("gelu"); }) ==
        "unknown activation \"gelu\" (expected relu, leaky, tanh, sigmoid or linear)");
  CHECK(error_of([] { parse_nn_loss("hinge"); }) == "unknown loss \"hinge\" (expected softmax, svm or mse)");
  CHECK(default_init(Activation::Relu) == Init::He);
  CHECK(default_init(Activation::LeakyRelu) == Init::He);
  CHECK(default_init(Activation::Tanh) == Init::Xavier);
  CHECK(default_init(Activation::Sigmoid) == Init::Xavier);
  CHECK(default_init(Activation::Linear) == Init::Xavier);
  CHECK(error_of([] {
          Mlp(MlpShape{0, {}, 3, Activation::Relu});
        }) == "a network input of 0 features is outside 1..4096");
  CHECK(error_of([] {
          Mlp(MlpShape{2, {8, 1025}, 3, Activation::Relu});
        }) == "hidden layer 2 has 1025 units (allowed 1..1024)");
  CHECK(error_of([] {
          Mlp(MlpShape{2, {1, 1, 1, 1, 1, 1, 1}, 3, Activation::Relu});
        }) == "7 hidden layers is more than the 6 allowed");
  CHECK(error_of([] { Mlp(MlpShape{2, {4}, 1, Activation::Relu}); }) == "a classifier of 1 classes is outside 2..256");
  const Mlp mlp(MlpShape{2, {3}, 2, Activation::Relu});
  CHECK(error_of([&] { mlp_scores(mlp, RowMatrixXf::Zero(4, 3)); }) ==
        "inputs have 3 features but the network (2-3-2 relu) takes 2");
  CHECK(activate(Activation::LeakyRelu, -2) == doctest::Approx(-0.02));
  CHECK(activate(Activation::Sigmoid, 0) == 0.5f);
  CHECK(activate(Activation::Relu, -1) == 0);
}

TEST_CASE("by hand: 2 ReLU units, 3 classes, two points — scores, softmax loss and gradient entries") {
  // Point 1: x = (1, 2), y = 1.
  //   pre(0) = x W(0) + b(0) = (1·1 + 2·0.5 + 0, 1·(−1) + 2·1 − 2) = (2, −1); post(0) = ReLU = (2, 0)
  //   s = post(0) W(1) + b(1) = (2·1 + 0, 2·0 + 1, 2·(−1) + 0) = (2, 1, −2)
  //   Σ e^s = e² + e + e⁻² = 7.389056 + 2.718282 + 0.135335 = 10.242673
  //   p = (0.7213992, 0.2653879, 0.0132129), L₁ = log 10.242673 − s_y = 2.3265626 − 1 = 1.3265626
  // Point 2: x = (−1, 0), y = 0.
  //   pre(0) = (−1, 1 − 2) = (−1, −1): both units off, post(0) = (0, 0), s = b(1) = (0, 1, 0)
  //   L₂ = log(1 + e + 1) − 0 = log 4.7182818 = 1.5514447
  // L = (L₁ + L₂) / 2 = 1.4390037 (no regularization).
  // Backward, each point's ∂L/∂s = (p − onehot(y)) / 2:
  //   point 1: (0.7213992, −0.7346121, 0.0132129) / 2;   point 2: (−0.7880584, 0.5761169, 0.2119416) / 2
  //   db(1) = the sum: (−0.0333296, −0.0792476, 0.1125772)
  //   dW(1) row 0 = post(0)₀ of point 1 (2) · its ∂L/∂s = (0.7213992, −0.7346121, 0.0132129); row 1 = 0
  //   (unit 1 is 0 at both points), and point 2 adds nothing (both units 0).
  //   ∂L/∂post(0) of point 1 = W(1) (∂L/∂s)ᵀ: unit 0: (1·0.7213992 + 0 − 1·0.0132129) / 2 = 0.3540931;
  //   unit 1 is gated by ReLU' = 0 at pre −1. Point 2: both gated.
  //   dW(0) = xᵀ ∂L/∂pre(0): column 0 = (1, 2) · 0.3540931 = (0.3540931, 0.7081863), column 1 = 0;
  //   db(0) = (0.3540931, 0).
  const Mlp mlp = hand_net();
  RowMatrixXf x(2, 2);
  x << 1, 2,  //
      -1, 0;
  const std::vector<int> y = {1, 0};
  MlpWorkspace ws;
  VectorXf grad(mlp.num_params());
  const float loss = objective_and_gradient(mlp, x, y, NnObjective{}, grad, ws);
  const MlpActivations& a = ws.activations;
  CHECK(a.pre[0](0, 0) == doctest::Approx(2));
  CHECK(a.pre[0](0, 1) == doctest::Approx(-1));
  CHECK(a.post[0](0, 0) == doctest::Approx(2));
  CHECK(a.post[0](0, 1) == 0);
  CHECK(a.scores()(0, 0) == doctest::Approx(2));
  CHECK(a.scores()(0, 1) == doctest::Approx(1));
  CHECK(a.scores()(0, 2) == doctest::Approx(-2));
  CHECK(a.scores()(1, 1) == doctest::Approx(1));
  CHECK(std::abs(loss - 1.4390037) < 1e-5);
  // grad layout: W(0) 0..3, b(0) 4..5, W(1) 6..11, b(1) 12..14
  const double expected[15] = {0.3540931,  0,          0.7081863, 0,        // dW(0)
                               0.3540931,  0,                               // db(0)
                               0.7213992,  -0.7346121, 0.0132129, 0, 0, 0,  // dW(1)
                               -0.0333296, -0.0792476, 0.1125772};          // db(1)
  for (int k = 0; k < 15; ++k) {
    CAPTURE(k);
    CHECK(std::abs(grad[k] - expected[k]) < 1e-5);
  }
  VectorXf reference(mlp.num_params());
  CHECK(std::abs(reference_objective_and_gradient(mlp, x, y, NnObjective{}, reference) - 1.4390037) < 1e-5);
  for (int k = 0; k < 15; ++k) CHECK(std::abs(reference[k] - expected[k]) < 1e-5);
  CHECK(mlp_predict(mlp, x) == std::vector<int>{0, 1});
}

TEST_CASE("squared error: ½ Σ (s − onehot)², mean over rows, gradient (s − onehot) / N") {
  Eigen::MatrixXf s(2, 3);
  s << 1, 0.5f, -1,  //
      0, 0, 2;
  const std::vector<int> y = {0, 2};
  Eigen::MatrixXf ds(2, 3);
  // Row 0: ½ (0² + 0.5² + 1²) = 0.625; row 1: ½ (0 + 0 + 1²) = 0.5; mean 0.5625.
  CHECK(squared_error(s, y, ds) == doctest::Approx(0.5625));
  CHECK(ds(0, 1) == doctest::Approx(0.25));
  CHECK(ds(0, 2) == doctest::Approx(-0.5));
  CHECK(ds(1, 2) == doctest::Approx(0.5));
  CHECK(ds(0, 0) == 0);
  const VectorXf per = nn_per_example_loss(NnLoss::SquaredError, s, y, 1);
  CHECK(per[0] == doctest::Approx(0.625));
  CHECK(per[1] == doctest::Approx(0.5));
  CHECK(error_of([&] {
          squared_error(s, std::vector<int>{0, 3}, ds);
        }) == "mse loss: label 3 of example 1 is outside 0..2");
  // The other two are losses.hpp's.
  CHECK(nn_loss_and_gradient(NnLoss::Hinge, s, y, 1, ds) ==
        doctest::Approx(per_example_loss(LossKind::MulticlassHinge, s, y).mean()));
}

TEST_CASE("fast path = reference for every activation x loss x regularizer, 0-2 hidden layers, masked units") {
  Rng rng(7);
  for (const MlpShape& base : kCheckShapes)
    for (Activation activation : kAllActivations)
      for (NnLoss loss : kAllNnLosses)
        for (Regularizer reg : kAllRegularizers) {
          MlpShape shape = base;
          shape.activation = activation;
          Fixture f = random_fixture(shape, 7, rng);
          if (shape.hidden.size() == 2) {
            f.mlp.unit_on[0][1] = 0;
            f.mlp.unit_on[1][4] = 0;
          }
          CAPTURE(mlp_shape_text(shape));
          CAPTURE(std::string(nn_loss_name(loss)));
          CAPTURE(std::string(regularizer_name(reg)));
          const NnObjective objective{loss, 0.5f, {reg, 0.05f, 0.5f}};
          MlpWorkspace ws;
          VectorXf fast(f.mlp.num_params()), reference(f.mlp.num_params());
          const float fast_loss = objective_and_gradient(f.mlp, f.x, f.y, objective, fast, ws);
          const float reference_loss = reference_objective_and_gradient(f.mlp, f.x, f.y, objective, reference);
          CHECK(fast_loss == doctest::Approx(reference_loss).epsilon(1e-5));
          CHECK(mlp_objective(f.mlp, f.x, f.y, objective, ws) == fast_loss);
          CHECK(relative_difference(fast, reference) < 1e-5);
        }
}

TEST_CASE("gradient check: central differences for every activation x loss x regularizer") {
  Rng rng(11);
  for (const MlpShape& base : kCheckShapes)
    for (Activation activation : kAllActivations)
      for (NnLoss loss : kAllNnLosses)
        for (Regularizer reg : kAllRegularizers) {
          MlpShape shape = base;
          shape.activation = activation;
          CAPTURE(mlp_shape_text(shape));
          CAPTURE(std::string(nn_loss_name(loss)));
          CAPTURE(std::string(regularizer_name(reg)));
          const NnObjective objective{loss, 0.5f, {reg, 0.05f, 0.5f}};
          // Weights of std 0.5 keep the scores, and so the squared error, of order 1: the float
          // rounding of L (~1e-7 L) over 2h then stays far below the tolerance.
          // Redraw until no hidden pre-activation is within 0.1 of ReLU's kink and every hinge
          // is 0.2 from its own: moving one parameter by h = 0.01 moves a pre-activation by at
          // most 0.01 and a score by a few hundredths. |w| ≥ 0.05 keeps L1 off its kink.
          Fixture f;
          do {
            f = random_fixture(shape, 4, rng, 0.5);
            if (shape.hidden.size() == 2) f.mlp.unit_on[1][2] = 0;
          } while (!hidden_far_from_zero(f.mlp, f.x, 0.1f) ||
                   !far_from_kinks(mlp_scores(f.mlp, f.x), f.y, objective.margin, 0.2f));
          MlpWorkspace ws;
          VectorXf grad(f.mlp.num_params());
          objective_and_gradient(f.mlp, f.x, f.y, objective, grad, ws);
          const GradCheckResult r =
              check_gradient([&] { return double(mlp_objective(f.mlp, f.x, f.y, objective, ws)); },
                             span_of(f.mlp.params), span_of(grad));
          CAPTURE(r.worst);
          CAPTURE(r.worst_analytic);
          CAPTURE(r.worst_numeric);
          CHECK(r.checked == f.mlp.num_params());
          CHECK(r.max_relative_error < 1e-2);
          CHECK(r.norm_relative_error < 1e-3);
        }
}

TEST_CASE("an off unit outputs 0, its weights get no gradient and are not regularized") {
  Rng rng(3);
  Fixture f = random_fixture(MlpShape{3, {4, 3}, 2, Activation::Tanh}, 5, rng);
  const NnObjective objective{NnLoss::Softmax, 1, {Regularizer::L2, 0.1f, 1}};
  const float before = mlp_regularization(f.mlp, objective.reg);
  f.mlp.unit_on[0][2] = 0;
  CHECK(f.mlp.layer_touches_off_unit(0));
  CHECK(f.mlp.layer_touches_off_unit(1));
  CHECK_FALSE(f.mlp.layer_touches_off_unit(2));
  MlpWorkspace ws;
  VectorXf grad(f.mlp.num_params());
  objective_and_gradient(f.mlp, f.x, f.y, objective, grad, ws);
  CHECK(ws.activations.post[0].col(2).isZero());
  CHECK(f.mlp.weights_in(grad.data(), 0).col(2).isZero());  // weights in
  CHECK(f.mlp.bias_in(grad.data(), 0)(2) == 0);             // its bias
  CHECK(f.mlp.weights_in(grad.data(), 1).row(2).isZero());  // weights out
  CHECK_FALSE(f.mlp.weights_in(grad.data(), 0).col(1).isZero());
  // R loses exactly the unit's 3 weights in and 3 out.
  const double frozen = f.mlp.W(0).col(2).squaredNorm() + f.mlp.W(1).row(2).squaredNorm();
  CHECK(mlp_regularization(f.mlp, objective.reg) == doctest::Approx(before - 0.1 * frozen).epsilon(1e-5));
  CHECK_FALSE(f.mlp.all_units_on());
}

TEST_CASE("0 hidden layers is the linear model: scores = X W + 1 bᵀ") {
  Rng rng(5);
  const Fixture f = random_fixture(MlpShape{3, {}, 4, Activation::Relu}, 6, rng);
  const RowMatrixXf expected = (f.x * f.mlp.W(0)).rowwise() + f.mlp.b(0).transpose();
  CHECK(mlp_scores(f.mlp, f.x).isApprox(expected, 1e-6f));
}

TEST_CASE("init: He and Xavier spreads, biases 0, seeded") {
  Mlp mlp(MlpShape{400, {300}, 10, Activation::Relu});
  mlp.params.setConstant(5);
  init_mlp(mlp, Init::He, 1);
  CHECK(mlp.b(0).isZero());
  CHECK(mlp.b(1).isZero());
  const double he = std::sqrt(mlp.W(0).squaredNorm() / double(mlp.W(0).size()));
  CHECK(he == doctest::Approx(std::sqrt(2.0 / 400)).epsilon(0.01));
  init_mlp(mlp, Init::Xavier, 1);
  const double xavier = std::sqrt(mlp.W(1).squaredNorm() / double(mlp.W(1).size()));
  CHECK(xavier == doctest::Approx(std::sqrt(2.0 / 310)).epsilon(0.03));
  Mlp again(mlp.shape);
  init_mlp(again, Init::Xavier, 1);
  CHECK(std::memcmp(again.params.data(), mlp.params.data(), sizeof(float) * size_t(mlp.num_params())) == 0);
  init_mlp(again, Init::Xavier, 2);
  CHECK_FALSE(again.params == mlp.params);
}

TEST_CASE("evaluation: both losses whatever the objective, in blocks, with λ R(W)") {
  Rng rng(9);
  const Fixture f = random_fixture(MlpShape{2, {5}, 3, Activation::Sigmoid}, 25, rng);
  const std::vector<uint8_t> labels(f.y.begin(), f.y.end());
  const NnObjective objective{NnLoss::SquaredError, 2, {Regularizer::L1, 0.01f, 1}};
  const MlpEvaluation e = evaluate_mlp(f.mlp, f.x, labels, objective, 7);  // blocks of 7, 7, 7, 4
  const Eigen::MatrixXf s = mlp_scores(f.mlp, f.x);
  CHECK(e.count == 25);
  CHECK(e.cross_entropy ==
        doctest::Approx(per_example_loss(LossKind::SoftmaxCrossEntropy, s, f.y).mean()).epsilon(1e-5));
  CHECK(e.hinge == doctest::Approx(per_example_loss(LossKind::MulticlassHinge, s, f.y, {2}).mean()).epsilon(1e-5));
  CHECK(e.data_loss == doctest::Approx(nn_per_example_loss(NnLoss::SquaredError, s, f.y, 2).mean()).epsilon(1e-5));
  CHECK(e.regularization == doctest::Approx(0.01 * (f.mlp.W(0).cwiseAbs().sum() + f.mlp.W(1).cwiseAbs().sum())));
  MlpWorkspace ws;
  CHECK(e.objective() == doctest::Approx(mlp_objective(f.mlp, f.x, f.y, objective, ws)).epsilon(1e-5));
  const std::vector<int> predicted = mlp_predict(f.mlp, f.x);
  int correct = 0;
  for (int i = 0; i < 25; ++i) correct += predicted[size_t(i)] == f.y[size_t(i)];
  CHECK(e.accuracy == doctest::Approx(correct / 25.0));
  const MlpEvaluation whole = evaluate_mlp(f.mlp, f.x, labels, objective, 1000);
  CHECK(whole.cross_entropy == doctest::Approx(e.cross_entropy).epsilon(1e-6));
  CHECK(whole.accuracy == e.accuracy);
  CHECK(contains(error_of([&] {
                   evaluate_mlp(f.mlp, f.x, std::vector<uint8_t>{0, 1}, objective);
                 }),
                 "25 input rows but 2 labels"));
}

TEST_CASE("model file: bit-exact round trip with the unit mask and the feature spec, also in memory") {
  Rng rng(2);
  Fixture f = random_fixture(MlpShape{3, {4, 2}, 5, Activation::LeakyRelu}, 1, rng);
  f.mlp.unit_on[0][3] = 0;
  f.mlp.feature_spec = "x,y,xy";
  f.mlp.params[0] = -0.0f;
  f.mlp.params[1] = std::numeric_limits<float>::denorm_min();
  const std::vector<uint8_t> bytes = serialize_mlp(f.mlp);
  // 28 header + 2 widths + 6 mask bytes + 4 spec length + 6 spec + 4 P
  CHECK(bytes.size() == size_t(28 + 8 + 6 + 4 + 6 + 4 * f.mlp.num_params()));
  CHECK(std::memcmp(bytes.data(), "IMPLAYNN", 8) == 0);
  const std::string path = "/tmp/implay_test_mlp.bin";
  save_mlp(f.mlp, path);
  const Mlp loaded = load_mlp(path);
  std::remove(path.c_str());
  CHECK(loaded.shape == f.mlp.shape);
  CHECK(loaded.unit_on == f.mlp.unit_on);
  CHECK(loaded.feature_spec == "x,y,xy");
  REQUIRE(loaded.params.size() == f.mlp.params.size());
  CHECK(std::memcmp(loaded.params.data(), f.mlp.params.data(), sizeof(float) * size_t(f.mlp.num_params())) == 0);
  CHECK(std::signbit(loaded.params[0]));
  CHECK(serialize_mlp(parse_mlp(bytes, "<memory>")) == bytes);
  CHECK(contains(error_of([] { load_mlp("/tmp/implay_no_such_model.bin"); }), "/tmp/implay_no_such_model.bin"));
}

TEST_CASE("model file: wrong magic, version, sizes, mask bytes, truncation, trailing bytes and NaN rejected by name") {
  const Mlp mlp(MlpShape{2, {3}, 2, Activation::Relu});
  const std::vector<uint8_t> good = serialize_mlp(mlp);  // 28 + 4 + 3 + 4 + 0 + 4·17
  auto with = [&](size_t offset, uint32_t value) {
    std::vector<uint8_t> bad = good;
    for (int k = 0; k < 4; ++k) bad[offset + size_t(k)] = uint8_t(value >> (8 * k));
    return bad;
  };
  auto parse = [](const std::vector<uint8_t>& b) { return error_of([&] { parse_mlp(b, "m.bin"); }); };
  std::vector<uint8_t> magic = good;
  magic[7] = 'X';
  CHECK(parse(magic) == "m.bin: not a neural net model file (wrong magic number \"IMPLAYNX\", expected \"IMPLAYNN\")");
  CHECK(parse(with(8, 2)) == "m.bin: unsupported neural net model file version 2 (this build reads version 1)");
  CHECK(parse(with(12, 4097)) == "m.bin: input size 4097 in the header (a network takes 1..4096 features)");
  CHECK(parse(with(16, 1)) == "m.bin: class count 1 in the header (a network has 2..256 classes)");
  CHECK(contains(parse(with(20, 5)), "m.bin: activation code 5 in the header"));
  CHECK(parse(with(24, 7)) == "m.bin: 7 hidden layers in the header (at most 6)");
  CHECK(parse(with(28, 0)) == "m.bin: hidden layer 1 of 0 units in the header (allowed 1..1024)");
  std::vector<uint8_t> mask = good;
  mask[33] = 2;
  CHECK(parse(mask) == "m.bin: unit 2 of hidden layer 1 has on/off byte 2 (must be 0 or 1)");
  CHECK(parse(with(35, 5000)) == "m.bin: implausible feature spec length 5000 (at most 4096)");
  // The largest header (4096 inputs, 6 layers of 1024) with no parameters: truncated, not allocated.
  std::vector<uint8_t> huge(good.begin(), good.begin() + 24);
  for (int k = 0; k < 4; ++k) huge[12 + size_t(k)] = uint8_t(4096u >> (8 * k));
  for (uint32_t v : {6u, 1024u, 1024u, 1024u, 1024u, 1024u, 1024u})
    for (int k = 0; k < 4; ++k) huge.push_back(uint8_t(v >> (8 * k)));
  huge.insert(huge.end(), 6 * 1024, 1);
  huge.insert(huge.end(), 4, 0);
  CHECK(contains(parse(huge), "m.bin: truncated neural net model file"));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    CAPTURE(cut);
    CHECK(contains(parse(std::vector<uint8_t>(good.begin(), good.begin() + std::ptrdiff_t(cut))), "truncated"));
  }
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  CHECK(parse(trailing) == "m.bin: 1 unexpected bytes after the neural net model data");
  const uint32_t nan_bits = 0x7fc00000u;
  CHECK(parse(with(good.size() - 4, nan_bits)) ==
        "m.bin: neural net model parameter 16 is NaN (a diverged training run?); refusing the model");
}
