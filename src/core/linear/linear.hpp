// linear.hpp — the linear classifier s = Wx + b: one flat parameter vector with named views of
// W and b, batched scores and predictions, the training objective L = (1/N) Σ L_i + λ R(W) with
// its gradient (losses.hpp), a blocked evaluation (cross-entropy, hinge, accuracy), and a small
// versioned binary file format. linear_train.hpp trains it; features.hpp makes its inputs.
//
// Index: [model] [objective] [evaluation] [save/load]
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/linear/losses.hpp"
#include "core/matrix.hpp"

namespace implay {

// -------------------------------------------------------------------------------------------
// [model]

// Views of a flat vector laid out like LinearModel::params: W (C, D) row-major first (row c is
// the template of class c, an image for pixel features), then b (C). Gradients and optimizer
// state use the same layout, so SGD, save/load and gradient checks treat them as one vector.
// flat: the first of its (C·D + C) floats, e.g. params.data() or grad.data().
inline Eigen::Map<RowMatrixXf> weights_view(float* flat, int num_classes, int dim) {  // (C, D)
  return Eigen::Map<RowMatrixXf>(flat, num_classes, dim);
}
inline Eigen::Map<const RowMatrixXf> weights_view(const float* flat, int num_classes, int dim) {  // (C, D)
  return Eigen::Map<const RowMatrixXf>(flat, num_classes, dim);
}
inline Eigen::Map<Eigen::VectorXf> bias_view(float* flat, int num_classes, int dim) {  // (C)
  return Eigen::Map<Eigen::VectorXf>(flat + Eigen::Index(num_classes) * dim, num_classes);
}
inline Eigen::Map<const Eigen::VectorXf> bias_view(const float* flat, int num_classes, int dim) {  // (C)
  return Eigen::Map<const Eigen::VectorXf>(flat + Eigen::Index(num_classes) * dim, num_classes);
}

struct LinearModel {
  int num_classes = 0;       // C
  int dim = 0;               // D, the length of a feature vector
  Eigen::VectorXf params;    // (C·D + C): W (C, D) row-major, then b (C)
  std::string feature_spec;  // how the inputs were made (features.hpp's feature_spec()), saved with
                             // the model so a loaded model gets the same features; "" = unknown

  LinearModel() = default;
  // All parameters 0. Throws implay::Error for C < 1 or D < 1.
  LinearModel(int num_classes, int dim);

  Eigen::Index num_params() const { return Eigen::Index(num_classes) * dim + num_classes; }
  Eigen::Map<RowMatrixXf> W() { return weights_view(params.data(), num_classes, dim); }               // (C, D)
  Eigen::Map<const RowMatrixXf> W() const { return weights_view(params.data(), num_classes, dim); }   // (C, D)
  Eigen::Map<Eigen::VectorXf> b() { return bias_view(params.data(), num_classes, dim); }              // (C)
  Eigen::Map<const Eigen::VectorXf> b() const { return bias_view(params.data(), num_classes, dim); }  // (C)
};

// W ~ N(0, std²) from a seeded implay::Rng (the same numbers natively and in wasm), b = 0.
void init_weights(LinearModel& model, float std, uint64_t seed);

// A start for a 2-D model (dim 2) whose lines do not all cross at the origin: class c's w points
// at angle φ + 2πc/C with a length in [0.8, 1.6) (φ and the lengths from `seed`), and its line
// w·x + b = 0 passes through the point `radius` along w. Each class starts owning one sector of
// the plane and the handles (each line's point nearest the origin) sit 2·radius·sin(π/C) apart.
void init_spread_2d(LinearModel& model, float radius, uint64_t seed);

// scores (N, C) = X Wᵀ + 1 bᵀ for features X (N, D). Throws implay::Error when X has not D
// columns. The second form writes into out, which must be (N, C) (asserted).
Eigen::MatrixXf scores(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features);
void scores(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, Eigen::Ref<Eigen::MatrixXf> out);

// Predicted class per row (N): argmax of the scores, ties → the smallest class.
std::vector<int> predict(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features);

// For a model trained on mean-subtracted features x − μ: the same scores from raw features,
// W(x − μ) + b = Wx + (b − Wμ), so the model can be saved and used without μ. mean: (D).
void fold_mean_into_bias(LinearModel& model, const Eigen::Ref<const Eigen::RowVectorXf>& mean);

// -------------------------------------------------------------------------------------------
// [objective]

// What training minimizes: L = (1/N) Σ_i L_i(s_i, y_i) + λ R(W), s_i = W x_i + b.
struct ObjectiveOptions {
  LossKind loss = LossKind::SoftmaxCrossEntropy;  // the data loss L_i
  LossOptions loss_options;                       // its margin Δ (hinge losses)
  RegularizationOptions regularization;           // λ R(W); b is not regularized
};

// The terms of L, for the lab's read-outs.
struct ObjectiveParts {
  float data_loss = 0;       // (1/N) Σ L_i
  float regularization = 0;  // λ R(W)
};

// L at the model's parameters on the batch features (N, D) / labels (N), and its gradient
// grad (C·D + C), laid out like params: dW = dSᵀ X + λ ∂R/∂W, db = Σ_i dS_i. `parts`, when not
// null, receives the two terms. Errors as scores() and the loss functions.
float objective(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, std::span<const int> labels,
                const ObjectiveOptions& options, Eigen::Ref<Eigen::VectorXf> grad, ObjectiveParts* parts = nullptr);
// L alone (no gradient): the same number.
float objective(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features, std::span<const int> labels,
                const ObjectiveOptions& options, ObjectiveParts* parts = nullptr);

// -------------------------------------------------------------------------------------------
// [evaluation]

// Both losses the lab plots, whichever one was optimized, the optimized objective and accuracy.
struct Evaluation {
  int count = 0;              // examples evaluated
  double cross_entropy = 0;   // mean softmax cross-entropy (natural log)
  double hinge = 0;           // mean multiclass (Weston–Watkins) hinge with the objective's Δ
  double data_loss = 0;       // mean of the objective's own loss L_i (= one of the two above
                              // for svm, softmax and, when C = 2, bce)
  double regularization = 0;  // λ R(W) of the model (does not depend on the examples)
  double accuracy = 0;        // fraction of argmax predictions equal to the label

  double objective() const { return data_loss + regularization; }  // L on these examples
};

// Evaluates features (N, D) against labels (N) in blocks of block_rows rows (the scores of a
// 60 000-example set are never held at once). Throws implay::Error for N != labels.size(), a
// label ≥ C or a dimension mismatch.
Evaluation evaluate(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features,
                    std::span<const uint8_t> labels, const ObjectiveOptions& objective = {}, int block_rows = 1024);

// Adds a block of examples to a running evaluation from their scores (n, C) and labels (n): the
// cross-entropy, the multiclass hinge at hinge_options.margin and the accuracy are computed here,
// own_losses (n) are the objective's own L_i (the data_loss column). Shared with the MLP (nn/mlp.hpp).
void accumulate_evaluation(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                           const LossOptions& hinge_options, const Eigen::Ref<const Eigen::VectorXf>& own_losses,
                           Evaluation& running);

// Adds rows [first, first + count) of features/labels to a running evaluation (its means become
// means over all rows added so far): the slice evaluate() and the trainer are made of.
void evaluate_rows(const LinearModel& model, const Eigen::Ref<const RowMatrixXf>& features,
                   std::span<const uint8_t> labels, const ObjectiveOptions& objective, int first, int count,
                   Evaluation& running);

// -------------------------------------------------------------------------------------------
// [save/load]
// File format, version 1, all integers and floats little-endian:
//   offset 0   8 bytes  magic "IMPLAYLM" (ImPlay Linear Model)
//          8   u32      version = 1
//         12   u32      C (num_classes)  1..256
//         16   u32      D (dim)          1..16777216
//         20   u32      S = byte length of feature_spec, ≤ 65536
//         24   S bytes  feature_spec (UTF-8, not 0-terminated)
//    24 + S   (C·D + C) f32  params (W row-major, then b), bit-exact
//   and nothing after. Anything else is rejected with a message naming the source and problem.

inline constexpr char kLinearModelMagic[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'L', 'M'};
inline constexpr uint32_t kLinearModelVersion = 1;

std::vector<uint8_t> serialize_linear_model(const LinearModel& model);
// `source` names the bytes in error messages (a path or a URL). Throws implay::Error for a wrong
// magic, an unsupported version, implausible sizes, truncated data, trailing bytes or a NaN or
// infinite parameter.
LinearModel parse_linear_model(std::span<const uint8_t> bytes, const std::string& source);

// File forms. Throw implay::Error naming the path when it cannot be written or read.
void save_linear_model(const LinearModel& model, const std::string& path);
LinearModel load_linear_model(const std::string& path);

}  // namespace implay
