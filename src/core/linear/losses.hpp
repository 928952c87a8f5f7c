// losses.hpp — classification losses on a batch of scores (N, C) with analytic gradients, and the
// weight regularizers: the pieces of L = (1/N) Σ_i L_i + λ R(W). linear.hpp puts them together
// for the linear model s = Wx + b; grad_check.hpp tests every one of them.
//
// Index: [losses] kinds, names, loss-and-gradient per kind, one dispatch point, per-example
//        [regularizers] R(W) and its gradient
#pragma once
#include <Eigen/Core>
#include <span>
#include <string_view>

namespace implay {

// -------------------------------------------------------------------------------------------
// [losses]
// Conventions for all of them: scores (N, C), row i = the C class scores s of example i;
// labels (N) with y_i in 0..C−1; Δ = LossOptions::margin. Every function returns the MEAN over
// the batch, (1/N) Σ_i L_i (accumulated in double), and writes dscores (N, C) = ∂mean/∂scores.
// Hinge subgradients at a kink (a margin exactly 0) are taken as 0: an inactive term.

enum class LossKind {
  // Multiclass SVM of Weston & Watkins (CS231n's "SVM"):
  //   L_i = Σ_{j≠y} max(0, s_j − s_y + Δ)
  MulticlassHinge,
  // One-vs-all: C independent binary SVMs, class j's score should be ≥ Δ for its own examples
  // and ≤ −Δ for the others:  L_i = Σ_j max(0, Δ − t_j s_j),  t_j = +1 if j = y, −1 otherwise
  OneVsAllHinge,
  // Structured SVM of Crammer & Singer: only the most violating wrong class counts:
  //   L_i = max(0, Δ + max_{j≠y} s_j − s_y)
  // (Gradient: ties for the max wrong class go to the smallest j.)
  StructuredHinge,
  // Softmax cross-entropy (natural log), computed with a stable log-sum-exp (max subtracted):
  //   L_i = −log(e^{s_y} / Σ_j e^{s_j}) = logsumexp(s) − s_y
  SoftmaxCrossEntropy,
  // Binary logistic regression (BCE) for C = 2, on the same two score columns as every other
  // loss: z = s_1 − s_0 is the logit of class 1, p = σ(z) = P(y = 1 | x), and
  //   L_i = −[y log p + (1 − y) log(1 − p)] = softplus(z) − y z.
  // Why two columns and not one: the model, argmax prediction (s_1 > s_0 ⇔ p > ½), the class
  // templates and the save format stay the same for every loss. The price is one redundant
  // direction (only w_1 − w_0 matters); it also shows the lecture's point that 2-class softmax
  // IS logistic regression: this loss equals SoftmaxCrossEntropy when C = 2.
  BinaryLogistic,
};

inline constexpr LossKind kAllLossKinds[] = {LossKind::MulticlassHinge, LossKind::OneVsAllHinge,
                                             LossKind::StructuredHinge, LossKind::SoftmaxCrossEntropy,
                                             LossKind::BinaryLogistic};

// "svm", "ova", "structured", "softmax", "bce" (for the CLI and URLs; exactly these).
const char* loss_kind_name(LossKind kind);
// Human-readable, for the UI: "Multiclass SVM (Weston–Watkins)", ...
const char* loss_kind_title(LossKind kind);
// Throws implay::Error naming the bad value and the valid ones.
LossKind parse_loss_kind(std::string_view name);

struct LossOptions {
  float margin = 1.0f;  // Δ of the three hinge losses (ignored by softmax and BCE); Δ > 0
};

// Each throws implay::Error when labels.size() != N or a label is outside 0..C−1 (naming the
// example and the label); BinaryLogistic also when C != 2. dscores must be (N, C) (asserted).
float multiclass_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores);
float one_vs_all_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores);
float structured_hinge(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                       const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores);
float softmax_cross_entropy(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                            Eigen::Ref<Eigen::MatrixXf> dscores);
float binary_logistic(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                      Eigen::Ref<Eigen::MatrixXf> dscores);

// The one dispatch point: the mean loss of `kind` and its gradient, as the functions above.
float loss_and_gradient(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                        const LossOptions& options, Eigen::Ref<Eigen::MatrixXf> dscores);

// Per-example losses L_i (N) of `kind`, no gradient: the rows of the lab's tables. Their mean is
// what loss_and_gradient returns. Same errors as above.
Eigen::VectorXf per_example_loss(LossKind kind, const Eigen::Ref<const Eigen::MatrixXf>& scores,
                                 std::span<const int> labels, const LossOptions& options = {});

// Softmax of each row of scores (N, C): p_ij = e^{s_ij − max_j s_i} / Σ_k e^{s_ik − max_j s_i},
// the class probabilities the labs show ((N, C), every row sums to 1).
Eigen::MatrixXf softmax_probabilities(const Eigen::Ref<const Eigen::MatrixXf>& scores);

// -------------------------------------------------------------------------------------------
// [regularizers]
// R(W) sums over the weights only: the bias is never regularized (it does not make the model
// more complex; it only shifts the decision boundaries).

enum class Regularizer {
  None,        // R = 0
  L2,          // R = Σ W²          ∂R/∂W = 2W   (prefers small, spread-out weights)
  L1,          // R = Σ |W|         ∂R/∂W = sign(W), 0 at W = 0   (prefers sparse weights)
  ElasticNet,  // R = β Σ W² + Σ |W|
};

inline constexpr Regularizer kAllRegularizers[] = {Regularizer::None, Regularizer::L2, Regularizer::L1,
                                                   Regularizer::ElasticNet};

// "none", "l2", "l1", "elastic" (exactly these); parse throws implay::Error naming the value.
const char* regularizer_name(Regularizer kind);
Regularizer parse_regularizer(std::string_view name);

struct RegularizationOptions {
  Regularizer kind = Regularizer::L2;  // which R
  float lambda = 1e-5f;                // λ: strength; the objective adds λ R(W) (λ ≥ 0). The
                                       // default is the trainer's: in 5 epochs on MNIST larger λ
                                       // only underfits (1e-4 costs ≈ 0.2% test accuracy)
  float beta = 1.0f;                   // β of ElasticNet, the weight of Σ W² beside Σ |W| (β ≥ 0)
};

// λ R(W) (accumulated in double). weights: (C·D) all entries of W, in any order (R is a sum over
// entries, so the layout does not matter).
float regularization(const RegularizationOptions& options, const Eigen::Ref<const Eigen::VectorXf>& weights);
// λ R(W), and ADDS λ ∂R/∂W to dweights (C·D), so it can follow the data loss's gradient.
float regularization(const RegularizationOptions& options, const Eigen::Ref<const Eigen::VectorXf>& weights,
                     Eigen::Ref<Eigen::VectorXf> dweights);

}  // namespace implay
