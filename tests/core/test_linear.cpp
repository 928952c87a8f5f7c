// test_linear.cpp — the linear model of core/linear/linear.hpp: the flat parameter vector and its views,
// scores and predictions by hand, gradient checks of the objective w.r.t. W and b for every
// loss × regularizer, the blocked evaluation, folding a feature mean into b, and the model file
// (bit-exact round trip; wrong magic, version, truncation and trailing bytes rejected by name).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/linear/linear.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using namespace implay::testing;  // error_of, contains, far_from_kinks
using Eigen::MatrixXf;
using Eigen::VectorXf;

LinearModel random_model(int c, int d, uint64_t seed) {
  LinearModel model(c, d);
  Rng rng(seed);
  for (Eigen::Index k = 0; k < model.params.size(); ++k) model.params[k] = float(rng.normal());
  model.feature_spec = "hog:cell=4,bins=9,norm=cell,scaling=unit";
  return model;
}

std::string temp_path(const char* name) { return std::string("/tmp/implay_test_") + name; }

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace

TEST_CASE("linear model: W (C, D) and b (C) are views of one flat vector") {
  LinearModel model(3, 4);
  CHECK(model.num_params() == 15);
  CHECK(model.params.size() == 15);
  CHECK(model.params.isZero());
  model.W()(1, 2) = 7.0f;  // row-major: index 1·4 + 2
  model.b()(2) = -1.0f;    // after the 12 weights
  CHECK(model.params[6] == 7.0f);
  CHECK(model.params[14] == -1.0f);
  CHECK(error_of([] { LinearModel(0, 3); }).find("at least 1 class") != std::string::npos);
}

TEST_CASE("init_spread_2d: the lines pass through distinct points and the handles sit apart") {
  for (int C : {3, 4, 5}) {
    CAPTURE(C);
    LinearModel m(C, 2);
    init_spread_2d(m, 0.35f, 11);
    std::vector<std::pair<double, double>> handles;  // each line's point nearest the origin
    for (int c = 0; c < C; ++c) {
      const double w0 = m.W()(c, 0), w1 = m.W()(c, 1), n2 = w0 * w0 + w1 * w1;
      CHECK(std::sqrt(n2) >= 0.8 - 1e-6);
      CHECK(std::sqrt(n2) < 1.6);
      const double hx = -m.b()(c) * w0 / n2, hy = -m.b()(c) * w1 / n2;
      CHECK(std::hypot(hx, hy) == doctest::Approx(0.35).epsilon(1e-5));
      CHECK(w0 * hx + w1 * hy + m.b()(c) == doctest::Approx(0.0).scale(1.0));
      handles.push_back({hx, hy});
    }
    // On a circle of radius 0.35 at equal angles: neighbours are 2 · 0.35 · sin(π/C) apart
    // (0.61 for 3 classes, 0.41 for 5), never on top of each other as with b = 0.
    const double apart = 2 * 0.35 * std::sin(3.14159265358979 / C);
    for (int i = 0; i < C; ++i)
      for (int j = i + 1; j < C; ++j)
        CHECK(std::hypot(handles[size_t(i)].first - handles[size_t(j)].first,
                         handles[size_t(i)].second - handles[size_t(j)].second) >= apart - 1e-5);
  }
  // Seeded: the same seed gives the same start, another seed another one.
  LinearModel a(3, 2), b(3, 2), c(3, 2);
  init_spread_2d(a, 0.35f, 5);
  init_spread_2d(b, 0.35f, 5);
  init_spread_2d(c, 0.35f, 6);
  CHECK(a.params == b.params);
  CHECK(a.params != c.params);
}

TEST_CASE("linear model: scores = X W^T + b and argmax predictions, by hand") {
  LinearModel model(2, 3);
  model.W() << 1, 0, -1,  //
      0.5f, 0.5f, 0.5f;
  model.b() << 0.25f, -1.0f;
  RowMatrixXf x(3, 3);  // (N, D)
  x << 1, 2, 3,         //
      2, 0, 0,          //
      0, 0, 0;
  const MatrixXf s = scores(model, x);
  CHECK(s(0, 0) == -1.75f);  // 1 − 3 + .25
  CHECK(s(0, 1) == 2.0f);    // 3 − 1
  CHECK(s(1, 0) == 2.25f);
  CHECK(s(1, 1) == 0.0f);
  CHECK(s(2, 0) == 0.25f);
  CHECK(s(2, 1) == -1.0f);
  CHECK(predict(model, x) == std::vector<int>{1, 0, 0});
  RowMatrixXf wrong(1, 2);
  CHECK(error_of([&] { scores(model, wrong); }) == "features have 2 columns but the linear model expects 3 (its D)");
}

TEST_CASE("gradient check: the objective w.r.t. W and b for every loss x regularizer") {
  Rng rng(42);
  const int n = 6, d = 5;
  for (LossKind loss : kAllLossKinds) {
    for (Regularizer reg : kAllRegularizers) {
      CAPTURE(loss_kind_name(loss));
      CAPTURE(regularizer_name(reg));
      const int c = loss == LossKind::BinaryLogistic ? 2 : 4;
      ObjectiveOptions options;
      options.loss = loss;
      options.loss_options.margin = 0.5f;
      options.regularization = {reg, 0.1f, 0.5f};
      LinearModel model(c, d);
      RowMatrixXf x(n, d);  // (N, D) features in [−1, 1]
      std::vector<int> y(static_cast<size_t>(n));
      // Redraw until every hinge is ≥ 0.05 from its kink and every |w| ≥ 0.05: moving one
      // parameter by h = 0.01 moves a score by at most 0.01 (|x| ≤ 1, the bias by 1).
      do {
        for (Eigen::Index k = 0; k < model.params.size(); ++k) {
          const float v = float(rng.normal());
          model.params[k] = v >= 0 ? v + 0.05f : v - 0.05f;
        }
        for (int i = 0; i < n; ++i) {
          for (int j = 0; j < d; ++j) x(i, j) = float(2 * rng.uniform() - 1);
          y[size_t(i)] = int(rng.below(uint64_t(c)));
        }
      } while (!far_from_kinks(scores(model, x), y, options.loss_options.margin, 0.05f));
      VectorXf grad(model.num_params());
      ObjectiveParts parts;
      const float total = objective(model, x, y, options, grad, &parts);
      CHECK(total == doctest::Approx(parts.data_loss + parts.regularization));
      CHECK(objective(model, x, y, options) == total);
      if (reg == Regularizer::None) CHECK(parts.regularization == 0.0f);
      const GradCheckResult r = check_gradient([&] { return double(objective(model, x, y, options)); },
                                               std::span<float>(model.params.data(), size_t(model.params.size())),
                                               std::span<const float>(grad.data(), size_t(grad.size())));
      CAPTURE(r.worst);
      CAPTURE(r.worst_analytic);
      CAPTURE(r.worst_numeric);
      CHECK(r.checked == c * d + c);
      CHECK(r.max_relative_error < 1e-2);
      CHECK(r.norm_relative_error < 1e-3);
    }
  }
}

TEST_CASE("the bias is not regularized") {
  LinearModel model(2, 2);
  model.W().setConstant(1.0f);
  model.b() << 100.0f, -100.0f;
  ObjectiveOptions options;
  options.regularization = {Regularizer::L2, 1.0f};
  RowMatrixXf x = RowMatrixXf::Zero(1, 2);
  VectorXf grad(6);
  ObjectiveParts parts;
  objective(model, x, std::vector<int>{0}, options, grad, &parts);
  CHECK(parts.regularization == 4.0f);           // Σ W² only
  CHECK(grad.head(4).isApproxToConstant(2.0f));  // 2λW (the data gradient w.r.t. W is 0 at x = 0)
}

TEST_CASE("evaluate: cross-entropy, hinge, own loss and accuracy over blocks equal one pass") {
  const LinearModel model = random_model(3, 4, 9);
  Rng rng(1);
  RowMatrixXf x(25, 4);
  std::vector<uint8_t> labels(25);
  std::vector<int> y(25);
  for (int i = 0; i < 25; ++i) {
    for (int j = 0; j < 4; ++j) x(i, j) = float(rng.normal());
    labels[size_t(i)] = uint8_t(rng.below(3));
    y[size_t(i)] = labels[size_t(i)];
  }
  ObjectiveOptions options;
  options.loss = LossKind::StructuredHinge;
  options.loss_options.margin = 2.0f;
  options.regularization = {Regularizer::L1, 0.01f};
  const MatrixXf s = scores(model, x);
  const Evaluation e = evaluate(model, x, labels, options, 7);  // blocks of 7, 7, 7, 4
  CHECK(e.count == 25);
  CHECK(e.cross_entropy == doctest::Approx(per_example_loss(LossKind::SoftmaxCrossEntropy, s, y).mean()).epsilon(1e-5));
  CHECK(e.hinge == doctest::Approx(per_example_loss(LossKind::MulticlassHinge, s, y, {2.0f}).mean()).epsilon(1e-5));
  CHECK(e.data_loss == doctest::Approx(per_example_loss(LossKind::StructuredHinge, s, y, {2.0f}).mean()).epsilon(1e-5));
  CHECK(e.regularization == doctest::Approx(0.01 * model.W().cwiseAbs().sum()).epsilon(1e-5));
  CHECK(e.objective() == doctest::Approx(objective(model, x, y, options)).epsilon(1e-5));
  const std::vector<int> predicted = predict(model, x);
  int correct = 0;
  for (int i = 0; i < 25; ++i) correct += predicted[size_t(i)] == y[size_t(i)];
  CHECK(e.accuracy == doctest::Approx(correct / 25.0));
  const Evaluation one = evaluate(model, x, labels, options, 1000);
  CHECK(one.cross_entropy == doctest::Approx(e.cross_entropy).epsilon(1e-6));
  CHECK(one.accuracy == e.accuracy);
}

TEST_CASE("fold_mean_into_bias gives the same scores on raw features as before on centred ones") {
  LinearModel model = random_model(3, 4, 2);
  Eigen::RowVectorXf mean(4);
  mean << 0.5f, -1.0f, 2.0f, 0.25f;
  RowMatrixXf raw(2, 4);
  raw << 1, 2, 3, 4,  //
      0, -1, 0.5f, 2;
  const RowMatrixXf centred = raw.rowwise() - mean;
  const MatrixXf before = scores(model, centred);
  fold_mean_into_bias(model, mean);
  CHECK(scores(model, raw).isApprox(before, 1e-5f));
}

TEST_CASE("model file: save and load round-trip bit for bit, also in memory") {
  LinearModel model = random_model(10, 7, 3);
  model.params[0] = -0.0f;
  model.params[1] = std::numeric_limits<float>::denorm_min();
  model.params[2] = std::numeric_limits<float>::max();
  const std::vector<uint8_t> bytes = serialize_linear_model(model);
  CHECK(bytes.size() == 24 + model.feature_spec.size() + 4 * 80);  // 10·7 + 10 parameters
  CHECK(std::memcmp(bytes.data(), "IMPLAYLM", 8) == 0);
  CHECK(bytes[8] == 1);  // version 1, little-endian

  const std::string path = temp_path("model.bin");
  save_linear_model(model, path);
  const LinearModel loaded = load_linear_model(path);
  std::remove(path.c_str());
  CHECK(loaded.num_classes == 10);
  CHECK(loaded.dim == 7);
  CHECK(loaded.feature_spec == model.feature_spec);
  REQUIRE(loaded.params.size() == model.params.size());
  CHECK(std::memcmp(loaded.params.data(), model.params.data(), sizeof(float) * 80) == 0);
  CHECK(std::signbit(loaded.params[0]));
  CHECK(serialize_linear_model(parse_linear_model(bytes, "memory")) == bytes);
}

TEST_CASE("model file: wrong magic, wrong version, truncated and trailing bytes are rejected by name") {
  const LinearModel model = random_model(3, 2, 4);
  const std::vector<uint8_t> good = serialize_linear_model(model);

  std::vector<uint8_t> bad = good;
  bad[0] = 'X';
  CHECK(error_of([&] { parse_linear_model(bad, "m.bin"); }) ==
        "m.bin: not a linear model file (wrong magic number \"XMPLAYLM\", expected \"IMPLAYLM\")");
  const std::vector<uint8_t> idx = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28};  // an MNIST header
  CHECK(
      contains(error_of([&] { parse_linear_model(idx, "images.idx"); }), "wrong magic number \"\\x00\\x00\\x08\\x03"));

  bad = good;
  bad[8] = 2;
  CHECK(error_of([&] { parse_linear_model(bad, "m.bin"); }) ==
        "m.bin: unsupported linear model file version 2 (this build reads version 1)");

  const std::vector<uint8_t> cut(good.begin(), good.end() - 1);
  CHECK(contains(error_of([&] { parse_linear_model(cut, "m.bin"); }),
                 "m.bin: truncated linear model file: a 3 x 2 model needs"));
  const std::vector<uint8_t> header_only(good.begin(), good.begin() + 12);
  CHECK(contains(error_of([&] { parse_linear_model(header_only, "m.bin"); }),
                 "m.bin: truncated linear model file (12 bytes"));
  CHECK(contains(error_of([&] { parse_linear_model(std::vector<uint8_t>{}, "empty.bin"); }), "empty.bin: truncated"));

  bad = good;
  bad.push_back(0);
  CHECK(contains(error_of([&] { parse_linear_model(bad, "m.bin"); }), "m.bin: 1 unexpected bytes after the"));

  bad = good;
  bad[12] = 0;  // C = 0
  CHECK(contains(error_of([&] { parse_linear_model(bad, "m.bin"); }),
                 "m.bin: class count 0 in the header (a model has 1..256 classes)"));

  // Through files: the message names the path.
  const std::string path = temp_path("truncated.bin");
  write_bytes(path, cut);
  CHECK(contains(error_of([&] { load_linear_model(path); }), path + ": truncated"));
  std::remove(path.c_str());
  CHECK(contains(error_of([&] { load_linear_model(temp_path("missing.bin")); }), "missing.bin: cannot open file"));
}
