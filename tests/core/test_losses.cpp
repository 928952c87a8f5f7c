// test_losses.cpp — the losses and regularizers of core/linear/losses.hpp: the lecture's worked example
// (SVM 2.9 / 0 / 12.9, softmax 2.04, doubling W, L2 preferring spread-out weights), hand-computed
// structured SVM, one-vs-all and BCE cases, numerical stability, error messages, and
// central-difference gradient checks of every loss w.r.t. the scores and of every regularizer.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/linear/linear.hpp"
#include "core/linear/losses.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using Eigen::MatrixXf;
using Eigen::VectorXf;
using implay::testing::error_of;
using implay::testing::far_from_kinks;

// The lecture's three images, one row each (cat, car, frog); the columns are the class scores
// (cat, car, frog), labels 0, 1, 2.
MatrixXf lecture_scores() {
  MatrixXf s(3, 3);        // (N, C)
  s << 3.2f, 5.1f, -1.7f,  //
      1.3f, 4.9f, 2.0f,    //
      2.2f, 2.5f, -3.1f;
  return s;
}
const std::vector<int> kLectureLabels = {0, 1, 2};

}  // namespace

TEST_CASE("lecture example: SVM losses 2.9, 0 and 12.9, mean 5.27 with delta 1") {
  const MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  const float mean = multiclass_hinge(s, kLectureLabels, {1.0f}, ds);
  const VectorXf each = per_example_loss(LossKind::MulticlassHinge, s, kLectureLabels);
  CHECK(each[0] == doctest::Approx(2.9).epsilon(1e-6));   // max(0, 5.1 − 3.2 + 1) + max(0, −1.7 − 3.2 + 1)
  CHECK(each[1] == 0.0f);                                 // max(0, 1.3 − 4.9 + 1) + max(0, 2.0 − 4.9 + 1)
  CHECK(each[2] == doctest::Approx(12.9).epsilon(1e-6));  // max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1)
  CHECK(mean == doctest::Approx(15.8 / 3).epsilon(1e-6));
  CHECK(std::round(mean * 100) / 100 == doctest::Approx(5.27));
  // Gradient: +1/N on each violating class, −(violations)/N on the true class.
  CHECK(ds(0, 0) == doctest::Approx(-1.0 / 3));
  CHECK(ds(0, 1) == doctest::Approx(1.0 / 3));
  CHECK(ds(0, 2) == 0.0f);
  CHECK(ds.row(1).isZero());
  CHECK(ds(2, 2) == doctest::Approx(-2.0 / 3));
  CHECK(ds(2, 0) == doctest::Approx(1.0 / 3));
  CHECK(ds(2, 1) == doctest::Approx(1.0 / 3));
}

TEST_CASE("lecture example: softmax cross-entropy of the cat image is about 2.04") {
  const MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  softmax_cross_entropy(s, kLectureLabels, ds);
  const VectorXf each = per_example_loss(LossKind::SoftmaxCrossEntropy, s, kLectureLabels);
  const double expected = -std::log(std::exp(3.2) / (std::exp(3.2) + std::exp(5.1) + std::exp(-1.7)));
  CHECK(expected == doctest::Approx(2.0404).epsilon(1e-4));
  CHECK(each[0] == doctest::Approx(expected).epsilon(1e-6));
  // dscores = (p − onehot(y)) / N: the probabilities of the cat row.
  const double z = std::exp(3.2) + std::exp(5.1) + std::exp(-1.7);
  CHECK(ds(0, 0) == doctest::Approx((std::exp(3.2) / z - 1) / 3).epsilon(1e-5));
  CHECK(ds(0, 1) == doctest::Approx(std::exp(5.1) / z / 3).epsilon(1e-5));
  CHECK(ds.row(0).sum() == doctest::Approx(0).epsilon(1e-6));
}

TEST_CASE("softmax probabilities of the lecture's cat scores: 0.13, 0.87, 0.00; huge scores do not overflow") {
  const MatrixXf p = softmax_probabilities(lecture_scores());
  const double z = std::exp(3.2) + std::exp(5.1) + std::exp(-1.7);
  CHECK(p(0, 0) == doctest::Approx(std::exp(3.2) / z).epsilon(1e-6));
  CHECK(p(0, 1) == doctest::Approx(std::exp(5.1) / z).epsilon(1e-6));
  CHECK(p(0, 0) == doctest::Approx(0.1295).epsilon(1e-3));
  for (Eigen::Index i = 0; i < p.rows(); ++i) CHECK(p.row(i).sum() == doctest::Approx(1).epsilon(1e-6));
  MatrixXf big(1, 2);
  big << 1000.0f, 999.0f;  // e^1000 overflows a float; the max is taken off first
  const MatrixXf q = softmax_probabilities(big);
  CHECK(q(0, 0) == doctest::Approx(1 / (1 + std::exp(-1.0))).epsilon(1e-6));
}

TEST_CASE("lecture example: doubling W keeps the car image's SVM loss at 0") {
  // A 1-feature model whose W column is the car image's scores: x = 1, b = 0.
  LinearModel model(3, 1);
  model.W() << 1.3f, 4.9f, 2.0f;
  RowMatrixXf x(1, 1);
  x << 1.0f;
  const std::vector<int> car = {1};
  CHECK(per_example_loss(LossKind::MulticlassHinge, scores(model, x), car)[0] == 0.0f);
  model.W() *= 2;  // scores (2.6, 9.8, 4.0): margins grow, the loss stays 0 — W is not unique
  const MatrixXf doubled = scores(model, x);
  CHECK(doubled(0, 1) == doctest::Approx(9.8));
  CHECK(per_example_loss(LossKind::MulticlassHinge, doubled, car)[0] == 0.0f);
}

TEST_CASE("lecture example: L2 prefers w2 = (.25,.25,.25,.25) to w1 = (1,0,0,0); L1 ties them") {
  VectorXf x(4), w1(4), w2(4);
  x << 1, 1, 1, 1;
  w1 << 1, 0, 0, 0;
  w2 << 0.25f, 0.25f, 0.25f, 0.25f;
  CHECK(w1.dot(x) == 1.0f);
  CHECK(w2.dot(x) == 1.0f);  // the same score: the data loss cannot tell them apart
  RegularizationOptions l2{Regularizer::L2, 1.0f};
  CHECK(regularization(l2, w1) == 1.0f);
  CHECK(regularization(l2, w2) == 0.25f);
  RegularizationOptions l1{Regularizer::L1, 1.0f};
  CHECK(regularization(l1, w1) == 1.0f);
  CHECK(regularization(l1, w2) == 1.0f);
  RegularizationOptions elastic{Regularizer::ElasticNet, 2.0f, 0.5f};  // 2·(0.5·Σw² + Σ|w|)
  CHECK(regularization(elastic, w2) == doctest::Approx(2 * (0.5 * 0.25 + 1)));
  CHECK(regularization({Regularizer::None, 5.0f}, w1) == 0.0f);
}

TEST_CASE("structured SVM (Crammer-Singer) on the lecture scores: only the worst wrong class") {
  const MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  const float mean = structured_hinge(s, kLectureLabels, {1.0f}, ds);
  const VectorXf each = per_example_loss(LossKind::StructuredHinge, s, kLectureLabels);
  CHECK(each[0] == doctest::Approx(2.9).epsilon(1e-6));  // 1 + 5.1 − 3.2
  CHECK(each[1] == 0.0f);                                // 1 + 2.0 − 4.9 < 0
  CHECK(each[2] == doctest::Approx(6.6).epsilon(1e-6));  // 1 + max(2.2, 2.5) + 3.1 (WW adds 6.3 more)
  CHECK(mean == doctest::Approx(9.5 / 3).epsilon(1e-6));
  CHECK(ds(2, 1) == doctest::Approx(1.0 / 3));
  CHECK(ds(2, 2) == doctest::Approx(-1.0 / 3));
  CHECK(ds(2, 0) == 0.0f);

  // A tie for the worst wrong class: the gradient goes to the smaller index.
  MatrixXf tie(1, 3);
  tie << 1.0f, 2.0f, 2.0f;
  MatrixXf dtie(1, 3);
  CHECK(structured_hinge(tie, std::vector<int>{0}, {1.0f}, dtie) == doctest::Approx(2.0));
  CHECK(dtie(0, 1) == 1.0f);
  CHECK(dtie(0, 2) == 0.0f);
  CHECK(dtie(0, 0) == -1.0f);
}

TEST_CASE("one-vs-all hinge on the lecture scores: one binary SVM per class") {
  const MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  const float mean = one_vs_all_hinge(s, kLectureLabels, {1.0f}, ds);
  const VectorXf each = per_example_loss(LossKind::OneVsAllHinge, s, kLectureLabels);
  // cat: own score 3.2 ≥ 1 → 0; car 5.1 should be ≤ −1 → 6.1; frog −1.7 ≤ −1 → 0.
  CHECK(each[0] == doctest::Approx(6.1).epsilon(1e-6));
  // car image: cat 1.3 → 2.3; own 4.9 → 0; frog 2.0 → 3.0.
  CHECK(each[1] == doctest::Approx(5.3).epsilon(1e-6));
  // frog image: cat 2.2 → 3.2; car 2.5 → 3.5; own −3.1 → 1 + 3.1 = 4.1.
  CHECK(each[2] == doctest::Approx(10.8).epsilon(1e-6));
  CHECK(mean == doctest::Approx(22.2 / 3).epsilon(1e-6));
  CHECK(ds(2, 2) == doctest::Approx(-1.0 / 3));  // raise the own score
  CHECK(ds(2, 0) == doctest::Approx(1.0 / 3));   // lower the others
  CHECK(ds(0, 0) == 0.0f);                       // satisfied
}

TEST_CASE("binary logistic (BCE): z = s1 - s0, hand-computed values, and equal to 2-class softmax") {
  MatrixXf s(4, 2);  // (N, 2)
  s << 0.0f, 0.0f,   // z = 0: p = ½ → log 2 for either label
      0.0f, 2.0f,    // z = 2, y = 1: log(1 + e^−2)
      1.0f, -1.0f,   // z = −2, y = 1: log(1 + e^−2) + 2
      1.0f, -1.0f;   // z = −2, y = 0: log(1 + e^−2)
  const std::vector<int> y = {1, 1, 1, 0};
  MatrixXf ds(4, 2);
  const float mean = binary_logistic(s, y, ds);
  const VectorXf each = per_example_loss(LossKind::BinaryLogistic, s, y);
  const double small = std::log1p(std::exp(-2.0));  // 0.126928
  CHECK(each[0] == doctest::Approx(std::log(2.0)).epsilon(1e-6));
  CHECK(each[1] == doctest::Approx(small).epsilon(1e-6));
  CHECK(each[2] == doctest::Approx(small + 2).epsilon(1e-6));
  CHECK(each[3] == doctest::Approx(small).epsilon(1e-6));
  CHECK(mean == doctest::Approx((std::log(2.0) + 3 * small + 2) / 4).epsilon(1e-6));
  // ∂L/∂z = σ(z) − y, split +/− over the two columns, divided by N.
  CHECK(ds(0, 1) == doctest::Approx((0.5 - 1) / 4));
  CHECK(ds(0, 0) == doctest::Approx((1 - 0.5) / 4));

  // The lecture's point: with two classes, softmax cross-entropy is logistic regression.
  Rng rng(7);
  MatrixXf r(20, 2);
  std::vector<int> labels(20);
  for (int i = 0; i < 20; ++i) {
    r(i, 0) = float(4 * rng.normal());
    r(i, 1) = float(4 * rng.normal());
    labels[size_t(i)] = int(rng.below(2));
  }
  MatrixXf d_bce(20, 2), d_softmax(20, 2);
  CHECK(binary_logistic(r, labels, d_bce) ==
        doctest::Approx(softmax_cross_entropy(r, labels, d_softmax)).epsilon(1e-6));
  CHECK(d_bce.isApprox(d_softmax, 1e-5f));
}

TEST_CASE("softmax and BCE stay finite for huge scores") {
  MatrixXf s(2, 2);
  s << 1000.0f, 1001.0f,  //
      -1000.0f, 1000.0f;
  const std::vector<int> y = {0, 0};
  MatrixXf ds(2, 2);
  const VectorXf ce = per_example_loss(LossKind::SoftmaxCrossEntropy, s, y);
  CHECK(ce[0] == doctest::Approx(1 + std::log1p(std::exp(-1.0))));
  CHECK(ce[1] == doctest::Approx(2000.0));
  CHECK(std::isfinite(softmax_cross_entropy(s, y, ds)));
  CHECK(ds.allFinite());
  const VectorXf bce = per_example_loss(LossKind::BinaryLogistic, s, y);
  CHECK(bce[1] == doctest::Approx(2000.0));
  CHECK(std::isfinite(binary_logistic(s, y, ds)));
  CHECK(ds.allFinite());
}

TEST_CASE("the margin delta scales the hinge losses") {
  const MatrixXf s = lecture_scores();
  // Δ = 2: cat image 5.1 − 3.2 + 2 = 3.9 (frog still −2.9 < 0); one-vs-all: car 2 + 5.1, frog 2 − 1.7.
  CHECK(per_example_loss(LossKind::MulticlassHinge, s, kLectureLabels, {2.0f})[0] == doctest::Approx(3.9));
  CHECK(per_example_loss(LossKind::StructuredHinge, s, kLectureLabels, {2.0f})[0] == doctest::Approx(3.9));
  CHECK(per_example_loss(LossKind::OneVsAllHinge, s, kLectureLabels, {2.0f})[0] == doctest::Approx(7.4));  // 7.1 + 0.3
}

TEST_CASE("loss names parse both ways, bad input is named in the error") {
  for (LossKind kind : kAllLossKinds) CHECK(parse_loss_kind(loss_kind_name(kind)) == kind);
  for (Regularizer kind : kAllRegularizers) CHECK(parse_regularizer(regularizer_name(kind)) == kind);
  CHECK(error_of([] { parse_loss_kind("hinge"); }).find("\"hinge\"") != std::string::npos);
  CHECK(error_of([] { parse_regularizer("L3"); }).find("\"L3\"") != std::string::npos);

  const MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  CHECK(error_of([&] {
          multiclass_hinge(s, std::vector<int>{0, 1}, {}, ds);
        }) == "svm loss: scores have 3 rows but 2 labels were given");
  CHECK(error_of([&] {
          softmax_cross_entropy(s, std::vector<int>{0, 3, 1}, ds);
        }) == "softmax loss: label 3 of example 1 is outside 0..2");
  CHECK(error_of([&] { binary_logistic(s, kLectureLabels, ds); }).find("exactly 2 score columns") != std::string::npos);
}

TEST_CASE("per-example losses average to the batch loss for every loss") {
  Rng rng(3);
  MatrixXf s(9, 2);
  std::vector<int> y(9);
  for (int i = 0; i < 9; ++i) {
    s(i, 0) = float(rng.normal());
    s(i, 1) = float(rng.normal());
    y[size_t(i)] = int(rng.below(2));
  }
  MatrixXf ds(9, 2);
  for (LossKind kind : kAllLossKinds) {
    CAPTURE(loss_kind_name(kind));
    const LossOptions options{0.7f};
    CHECK(loss_and_gradient(kind, s, y, options, ds) ==
          doctest::Approx(per_example_loss(kind, s, y, options).mean()).epsilon(1e-6));
  }
}

TEST_CASE("gradient check: every loss w.r.t. the scores, away from the hinge kinks") {
  Rng rng(11);
  for (LossKind kind : kAllLossKinds) {
    CAPTURE(loss_kind_name(kind));
    const int n = 6, c = kind == LossKind::BinaryLogistic ? 2 : 4;
    const LossOptions options{0.8f};
    MatrixXf s(n, c);  // (N, C)
    std::vector<int> y(static_cast<size_t>(n));
    do {  // redraw until every kink is ≥ 0.05 away; the check moves scores by h = 0.01
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < c; ++j) s(i, j) = float(2 * rng.normal());
        y[size_t(i)] = int(rng.below(uint64_t(c)));
      }
    } while (!far_from_kinks(s, y, options.margin, 0.05f));
    MatrixXf ds(n, c);
    loss_and_gradient(kind, s, y, options, ds);
    MatrixXf probe = s;
    const GradCheckResult r = check_gradient(
        [&] {
          MatrixXf scratch(n, c);
          return double(loss_and_gradient(kind, probe, y, options, scratch));
        },
        std::span<float>(probe.data(), size_t(probe.size())), std::span<const float>(ds.data(), size_t(ds.size())));
    CAPTURE(r.worst);
    CAPTURE(r.worst_analytic);
    CAPTURE(r.worst_numeric);
    CHECK(r.checked == n * c);
    CHECK(r.max_relative_error < 1e-2);
    CHECK(r.norm_relative_error < 1e-3);
  }
}

TEST_CASE("gradient check: every regularizer w.r.t. the weights, away from |w| = 0") {
  Rng rng(5);
  VectorXf w(12);  // (C·D) some weights, |w| ≥ 0.1 so the check (h = 0.01) never crosses 0
  for (Eigen::Index k = 0; k < w.size(); ++k) {
    const float v = float(rng.normal());
    w[k] = v >= 0 ? v + 0.1f : v - 0.1f;
  }
  for (Regularizer kind : kAllRegularizers) {
    CAPTURE(regularizer_name(kind));
    const RegularizationOptions options{kind, 0.3f, 0.7f};
    VectorXf dw = VectorXf::Constant(12, 0.25f);  // it adds: start from a data gradient
    regularization(options, w, dw);
    dw.array() -= 0.25f;
    const GradCheckResult r = check_gradient([&] { return double(regularization(options, w)); },
                                             std::span<float>(w.data(), 12), std::span<const float>(dw.data(), 12));
    CHECK(r.max_relative_error < 1e-2);
    CHECK(r.norm_relative_error < 1e-3);
    if (kind == Regularizer::None) CHECK(dw.isZero());
  }
}

TEST_CASE("gradient check catches a wrong gradient: L2 without its factor 2, softmax without 1/N") {
  VectorXf w(6);
  w << 0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 1.5f;
  const RegularizationOptions l2{Regularizer::L2, 0.5f};
  const VectorXf half = 0.5f * w;  // λ·W instead of 2λ·W
  const GradCheckResult r = check_gradient([&] { return double(regularization(l2, w)); }, std::span<float>(w.data(), 6),
                                           std::span<const float>(half.data(), 6));
  CHECK(r.max_relative_error == doctest::Approx(0.5).epsilon(1e-2));
  CHECK(r.norm_relative_error == doctest::Approx(0.5).epsilon(1e-2));

  MatrixXf s = lecture_scores();
  MatrixXf ds(3, 3);
  softmax_cross_entropy(s, kLectureLabels, ds);
  const MatrixXf unscaled = 3 * ds;  // forgot the mean's 1/N
  const GradCheckResult q = check_gradient(
      [&] {
        MatrixXf scratch(3, 3);
        return double(softmax_cross_entropy(s, kLectureLabels, scratch));
      },
      std::span<float>(s.data(), 9), std::span<const float>(unscaled.data(), 9));
  CHECK(q.norm_relative_error == doctest::Approx(2.0 / 3).epsilon(1e-2));
}
