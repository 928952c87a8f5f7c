// losses.cpp — the classification losses and regularizers of losses.hpp. Each loss is one
// per-example kernel (loss of one score row, optionally its gradient) driven by one batch loop,
// so the mean, the gradient and the per-example table can never disagree.
#include "core/linear/losses.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace implay {
namespace {

using Eigen::Index;

void check_batch(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels) {
  const Index n = scores.rows(), c = scores.cols();
  if (Index(labels.size()) != n)
    throw Error(std::string(loss_kind_name(kind)) + " loss: scores have " + std::to_string(n) + " rows but " +
                std::to_string(labels.size()) + " labels were given");
  if (c < 1) throw Error(std::string(loss_kind_name(kind)) + " loss: scores have no class column");
  if (kind == LossKind::BinaryLogistic && c != 2)
    throw Error("bce loss needs exactly 2 score columns (z = s1 - s0 is the logit of class 1), got " +
                std::to_string(c));
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= c)
      throw Error(std::string(loss_kind_name(kind)) + " loss: label " + std::to_string(labels[i]) + " of example " +
                  std::to_string(i) + " is outside 0.." + std::to_string(c - 1));
}

// Loss of example i (row i of scores, label y), in double. When grad is not null it receives
// ∂L_i/∂s (C), unscaled by 1/N. Scores are read in double so the loss value carries no float
// round-off beyond that of the scores themselves (this keeps gradient checks sharp).
double row_loss(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores, Index i, int y, double margin,
                double* grad) {
  const Index c = scores.cols();
  if (grad)
    for (Index j = 0; j < c; ++j) grad[j] = 0;
  const double sy = scores(i, y);
  switch (kind) {
    case LossKind::MulticlassHinge: {
      double loss = 0;
      for (Index j = 0; j < c; ++j) {
        if (j == y) continue;
        const double m = double(scores(i, j)) - sy + margin;  // s_j − s_y + Δ
        if (m > 0) {
          loss += m;
          if (grad) {
            grad[j] += 1;
            grad[y] -= 1;
          }
        }
      }
      return loss;
    }
    case LossKind::OneVsAllHinge: {
      double loss = 0;
      for (Index j = 0; j < c; ++j) {
        const double t = j == y ? 1.0 : -1.0;
        const double m = margin - t * double(scores(i, j));  // Δ − t_j s_j
        if (m > 0) {
          loss += m;
          if (grad) grad[j] = -t;
        }
      }
      return loss;
    }
    case LossKind::StructuredHinge: {
      Index worst = -1;  // the highest-scoring wrong class; ties → smallest index
      for (Index j = 0; j < c; ++j)
        if (j != y && (worst < 0 || scores(i, j) > scores(i, worst))) worst = j;
      if (worst < 0) return 0;                                  // C = 1: no wrong class
      const double m = margin + double(scores(i, worst)) - sy;  // Δ + max_{j≠y} s_j − s_y
      if (m <= 0) return 0;
      if (grad) {
        grad[worst] = 1;
        grad[y] = -1;
      }
      return m;
    }
    case LossKind::SoftmaxCrossEntropy: {
      double top = scores(i, 0);
      for (Index j = 1; j < c; ++j) top = std::max(top, double(scores(i, j)));
      double sum = 0;  // Σ_j e^{s_j − max}: every term ≤ 1, the largest = 1, so no overflow
      for (Index j = 0; j < c; ++j) sum += std::exp(double(scores(i, j)) - top);
      if (grad) {
        for (Index j = 0; j < c; ++j) grad[j] = std::exp(double(scores(i, j)) - top) / sum;  // p_j
        grad[y] -= 1;                                                                        // p − onehot(y)
      }
      return top + std::log(sum) - sy;  // logsumexp(s) − s_y
    }
    case LossKind::BinaryLogistic: {
      const double z = double(scores(i, 1)) - double(scores(i, 0));  // logit of class 1
      // softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}), finite for any z.
      const double softplus = std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));
      if (grad) {
        const double p = z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z));  // σ(z)
        const double dz = p - y;                                                             // ∂L/∂z
        grad[1] = dz;
        grad[0] = -dz;
      }
      return softplus - y * z;
    }
  }
  return 0;
}

// The batch loop shared by every loss: mean of L_i and dscores = (1/N) ∂L_i/∂s per row.
float mean_loss_and_gradient(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores,
                             std::span<const int> labels, double margin, Eigen::Ref<Eigen::MatrixXf> dscores) {
  check_batch(kind, scores, labels);
  assert(dscores.rows() == scores.rows() && dscores.cols() == scores.cols());
  const Index n = scores.rows(), c = scores.cols();
  if (n == 0) return 0.0f;
  std::vector<double> grad(static_cast<size_t>(c));  // (C) ∂L_i/∂s of one example
  const double inv_n = 1.0 / double(n);
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    total += row_loss(kind, scores, i, labels[size_t(i)], margin, grad.data());
    for (Index j = 0; j < c; ++j) dscores(i, j) = float(grad[size_t(j)] * inv_n);
  }
  return float(total * inv_n);
}

}  // namespace

const char* loss_kind_name(LossKind kind) {
  switch (kind) {
    case LossKind::MulticlassHinge: return "svm";
    case LossKind::OneVsAllHinge: return "ova";
    case LossKind::StructuredHinge: return "structured";
    case LossKind::SoftmaxCrossEntropy: return "softmax";
    case LossKind::BinaryLogistic: return "bce";
  }
  return "?";
}

const char* loss_kind_title(LossKind kind) {
  switch (kind) {
    case LossKind::MulticlassHinge: return "Multiclass SVM (Weston-Watkins)";
    case LossKind::OneVsAllHinge: return "One-vs-all hinge";
    case LossKind::StructuredHinge: return "Structured SVM (Crammer-Singer)";
    case LossKind::SoftmaxCrossEntropy: return "Softmax cross-entropy";
    case LossKind::BinaryLogistic: return "Binary logistic (BCE, 2 classes)";
  }
  return "?";
}

LossKind parse_loss_kind(std::string_view name) {
  for (LossKind kind : kAllLossKinds)
    if (name == loss_kind_name(kind)) return kind;
  throw Error("unknown loss \"" + std::string(name) + "\" (expected svm, ova, structured, softmax or bce)");
}

float multiclass_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(LossKind::MulticlassHinge, scores, labels, options.margin, dscores);
}

float one_vs_all_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(LossKind::OneVsAllHinge, scores, labels, options.margin, dscores);
}

float structured_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(LossKind::StructuredHinge, scores, labels, options.margin, dscores);
}

float softmax_cross_entropy(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                            Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(LossKind::SoftmaxCrossEntropy, scores, labels, 0.0, dscores);
}

float binary_logistic(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                      Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(LossKind::BinaryLogistic, scores, labels, 0.0, dscores);
}

float loss_and_gradient(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                        const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores) {
  return mean_loss_and_gradient(kind, scores, labels, options.margin, dscores);
}

Eigen::VectorXf per_example_loss(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores,
                                 std::span<const int> labels, const LossOptions& options) {
  check_batch(kind, scores, labels);
  Eigen::VectorXf out(scores.rows());  // (N)
  for (Index i = 0; i < scores.rows(); ++i)
    out[i] = float(row_loss(kind, scores, i, labels[size_t(i)], options.margin, nullptr));
  return out;
}

Eigen::MatrixXf softmax_probabilities(const Eigen::Ref<const Eigen::MatrixXf>& scores) {
  Eigen::MatrixXf p(scores.rows(), scores.cols());  // (N, C)
  for (Index i = 0; i < scores.rows(); ++i) {
    p.row(i) = (scores.row(i).array() - scores.row(i).maxCoeff()).exp().matrix();  // max subtracted: no overflow
    p.row(i) /= p.row(i).sum();
  }
  return p;
}

// -------------------------------------------------------------------------------------------
// [regularizers]

const char* regularizer_name(Regularizer kind) {
  switch (kind) {
    case Regularizer::None: return "none";
    case Regularizer::L2: return "l2";
    case Regularizer::L1: return "l1";
    case Regularizer::ElasticNet: return "elastic";
  }
  return "?";
}

Regularizer parse_regularizer(std::string_view name) {
  for (Regularizer kind : kAllRegularizers)
    if (name == regularizer_name(kind)) return kind;
  throw Error("unknown regularizer \"" + std::string(name) + "\" (expected none, l2, l1 or elastic)");
}

namespace {

// λ R(W); when dweights is not null, adds λ ∂R/∂W to it.
float regularize(const RegularizationOptions& options, const Eigen::Ref<const Eigen::VectorXf>& w,
                 Eigen::Ref<Eigen::VectorXf>* dw) {
  const float lambda = options.lambda;
  if (options.kind == Regularizer::None || lambda == 0.0f) return 0.0f;
  const double l2 = options.kind == Regularizer::L2           ? 1.0
                    : options.kind == Regularizer::ElasticNet ? options.beta
                                                              : 0.0;
  const bool l1 = options.kind == Regularizer::L1 || options.kind == Regularizer::ElasticNet;
  double sum_sq = 0, sum_abs = 0;
  for (Index k = 0; k < w.size(); ++k) {
    const double v = w[k];
    sum_sq += v * v;
    sum_abs += std::abs(v);
  }
  if (dw) {
    assert(dw->size() == w.size());
    const float two_l2 = float(2 * l2) * lambda;
    const float l1_lambda = l1 ? lambda : 0.0f;
    for (Index k = 0; k < w.size(); ++k) {
      const float v = w[k];
      const float sign = v > 0 ? 1.0f : v < 0 ? -1.0f : 0.0f;  // subgradient 0 at the kink
      (*dw)[k] += two_l2 * v + l1_lambda * sign;
    }
  }
  return float(double(lambda) * (l2 * sum_sq + (l1 ? sum_abs : 0.0)));
}

}  // namespace

float regularization(const RegularizationOptions& options, const Eigen::Ref<const Eigen::VectorXf>& weights) {
  return regularize(options, weights, nullptr);
}

float regularization(const RegularizationOptions& options, const Eigen::Ref<const Eigen::VectorXf>& weights,
                     Eigen::Ref<Eigen::VectorXf> dweights) {
  return regularize(options, weights, &dweights);
}

}  // namespace implay
