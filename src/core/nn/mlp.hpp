// mlp.hpp — the multilayer perceptron for classification: one flat parameter vector with named
// views of every layer's W (in, out) and b (out), seeded initialization, a batched forward pass
// that keeps every layer's numbers for the Neural-net lab, the training objective with its
// gradient (a GEMM fast path and a plain-loop reference that the tests compare), a blocked
// evaluation and a versioned binary file. mlp_train.hpp trains it; features2d.hpp makes 2-D inputs.
//
// Index: [activations] [losses] [shape] [model] [init] [forward] [objective] [evaluation] [save/load]
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/linear/linear.hpp"
#include "core/linear/losses.hpp"
#include "core/matrix.hpp"

namespace implay {

// -------------------------------------------------------------------------------------------
// [activations]
// φ applied to every hidden unit's pre-activation a; the output layer has none (its values are
// the class scores).

enum class Activation {
  Relu,       // φ(a) = max(0, a)                        φ'(a) = [a > 0]
  LeakyRelu,  // φ(a) = a if a > 0, else 0.01 a          φ'(a) = 1 if a > 0, else 0.01
  Tanh,       // φ(a) = tanh a                           φ'(a) = 1 − φ(a)²
  Sigmoid,    // φ(a) = σ(a) = 1 / (1 + e^{−a})          φ'(a) = φ(a) (1 − φ(a))
  Linear,     // φ(a) = a (the net stays linear in x)    φ'(a) = 1
};

inline constexpr Activation kAllActivations[] = {Activation::Relu, Activation::LeakyRelu, Activation::Tanh,
                                                 Activation::Sigmoid, Activation::Linear};
inline constexpr float kLeakySlope = 0.01f;  // the slope of LeakyRelu for a ≤ 0

// "relu", "leaky", "tanh", "sigmoid", "linear" (exactly these); parse throws implay::Error
// naming the value and the valid ones.
const char* activation_name(Activation activation);
Activation parse_activation(std::string_view name);
// φ(a) of one value (for the lab's read-outs; the forward pass applies the same formulas).
float activate(Activation activation, float a);

// -------------------------------------------------------------------------------------------
// [losses]
// The data loss L_i on the output scores s (C) of example i with label y; the objective takes
// their mean over the batch.

enum class NnLoss {
  Softmax,  // softmax cross-entropy, losses.hpp's softmax_cross_entropy: L_i = logsumexp(s) − s_y
  Hinge,    // multiclass SVM (Weston–Watkins), losses.hpp's multiclass_hinge:
            //   L_i = Σ_{j≠y} max(0, s_j − s_y + Δ)
  // TF Playground's squared error on one-hot targets, with the ½:  L_i = ½ Σ_c (s_c − [c = y])²,
  // so ∂L_i/∂s_c = s_c − [c = y]  (the mean over the batch divides both by N).
  SquaredError,
};

inline constexpr NnLoss kAllNnLosses[] = {NnLoss::Softmax, NnLoss::Hinge, NnLoss::SquaredError};

// "softmax", "svm", "mse" (exactly these); parse throws implay::Error naming the value.
const char* nn_loss_name(NnLoss loss);
NnLoss parse_nn_loss(std::string_view name);

// The squared error above: mean over the N rows of scores (N, C), dscores (N, C) = ∂mean/∂scores.
// Throws implay::Error for labels.size() != N or a label outside 0..C−1, as losses.hpp does.
float squared_error(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                    Eigen::Ref<Eigen::MatrixXf> dscores);
// The one dispatch point: the mean loss of `loss` (Δ = margin for Hinge) and its gradient.
float nn_loss_and_gradient(NnLoss loss, const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                           float margin, Eigen::Ref<Eigen::MatrixXf> dscores);
// Per-example L_i (N), no gradient; their mean is what nn_loss_and_gradient returns.
Eigen::VectorXf nn_per_example_loss(NnLoss loss, const Eigen::Ref<const Eigen::MatrixXf>& scores,
                                    std::span<const int> labels, float margin);

// -------------------------------------------------------------------------------------------
// [shape]

inline constexpr int kMaxHiddenLayers = 6;    // hidden layers L: 0..6 (0 = the linear model)
inline constexpr int kMaxHiddenUnits = 1024;  // units of one hidden layer: 1..1024 (the lab keeps 2-D nets ≤ 256)
inline constexpr int kMaxMlpInputs = 4096;    // D: 1..4096 (MNIST 784)
inline constexpr int kMaxMlpClasses = 256;    // C: 2..256 (labels are bytes)

struct MlpShape {
  int input_dim = 2;                         // D, the length of an input (feature) vector
  std::vector<int> hidden;                   // (L) units of each hidden layer, input side first
  int num_classes = 2;                       // C, the units of the output layer
  Activation activation = Activation::Relu;  // φ of every hidden unit

  bool operator==(const MlpShape&) const = default;
};

// Throws implay::Error naming the bad value and the allowed range: D outside 1..4096, more than
// 6 hidden layers, a width outside 1..1024, C outside 2..256.
void check_mlp_shape(const MlpShape& shape);
// "784-100-10 relu": the layer widths, input to output, then φ (for messages and the CLI).
std::string mlp_shape_text(const MlpShape& shape);

// -------------------------------------------------------------------------------------------
// [model]
// Layers l = 0..L, L = hidden.size(); layer L is the output layer. Layer l maps in_l inputs to
// out_l outputs: in_0 = D, in_l = hidden[l − 1], out_l = hidden[l] for l < L, out_L = C.
// The flat layout, layer after layer: W(0) (in_0, out_0) row-major, b(0) (out_0), W(1), b(1), ...
// so that a batch X (M, in) gives X W + 1 bᵀ = (M, out) exactly as the lecture writes it.
// Gradients and optimizer state use the same layout.

struct Mlp {
  MlpShape shape;
  Eigen::VectorXf params;                     // (P) every W(l) then b(l), layer after layer
  std::vector<std::vector<uint8_t>> unit_on;  // (L) one (hidden[l]) per hidden layer: 1 = on, 0 = off.
                                              // An off unit outputs 0 and gets no gradient; its
                                              // weights in and out are frozen and not regularized
  std::string feature_spec;                   // how the inputs were made, saved with the model:
                                              // features2d.hpp's list ("x,y,xy"), features.hpp's
                                              // spec ("pixels:scaling=unit"), "raw"; "" = unknown

  Mlp() = default;
  // All parameters 0, every unit on. Throws implay::Error as check_mlp_shape.
  explicit Mlp(const MlpShape& shape);

  int num_hidden_layers() const { return int(shape.hidden.size()); }  // L
  int layer_in(int l) const;                                          // in_l
  int layer_out(int l) const;                                         // out_l
  Eigen::Index param_offset(int l) const;  // index of W(l)(0, 0) in params; b(l) starts in_l·out_l later
  Eigen::Index num_params() const { return param_offset(num_hidden_layers() + 1); }  // P

  Eigen::Map<RowMatrixXf> W(int l) { return weights_in(params.data(), l); }               // (in_l, out_l)
  Eigen::Map<const RowMatrixXf> W(int l) const { return weights_in(params.data(), l); }   // (in_l, out_l)
  Eigen::Map<Eigen::VectorXf> b(int l) { return bias_in(params.data(), l); }              // (out_l)
  Eigen::Map<const Eigen::VectorXf> b(int l) const { return bias_in(params.data(), l); }  // (out_l)
  // The same views of any vector laid out like params (a gradient, optimizer state): flat (P).
  Eigen::Map<RowMatrixXf> weights_in(float* flat, int l) const;               // (in_l, out_l)
  Eigen::Map<const RowMatrixXf> weights_in(const float* flat, int l) const;   // (in_l, out_l)
  Eigen::Map<Eigen::VectorXf> bias_in(float* flat, int l) const;              // (out_l)
  Eigen::Map<const Eigen::VectorXf> bias_in(const float* flat, int l) const;  // (out_l)

  bool all_units_on() const;
  // Whether any weight of layer l touches an off unit (one of its inputs or of its outputs).
  bool layer_touches_off_unit(int l) const;
};

// -------------------------------------------------------------------------------------------
// [init]

enum class Init {
  He,      // W ~ N(0, 2 / in_l): keeps the variance of ReLU layers (He et al., 2015)
  Xavier,  // W ~ N(0, 2 / (in_l + out_l)): Glorot & Bengio's, for tanh, sigmoid and linear units
};

// "he", "xavier"; parse throws implay::Error naming the value.
const char* init_name(Init init);
Init parse_init(std::string_view name);
// He for Relu and LeakyRelu, Xavier for Tanh, Sigmoid and Linear.
Init default_init(Activation activation);

// Every weight drawn as above from a seeded implay::Rng (the same numbers natively and in wasm),
// layer by layer in the flat order; biases 0. The unit mask is left as it is.
void init_mlp(Mlp& mlp, Init init, uint64_t seed);

// -------------------------------------------------------------------------------------------
// [forward]

// Every layer's numbers for a batch of M inputs, kept for backprop and for the lab to show.
struct MlpActivations {
  std::vector<RowMatrixXf> pre;   // (L + 1) pre[l] (M, out_l) = post[l − 1] W(l) + 1 b(l)ᵀ, post[−1] = X
  std::vector<RowMatrixXf> post;  // (L + 1) post[l] (M, out_l) = φ(pre[l]) with off units 0;
                                  // post[L] = pre[L], the scores (M, C)
  const RowMatrixXf& scores() const { return post.back(); }  // (M, C)
};

// Runs X (M, D) through the net into `out` (its matrices are reused: no allocation when M is
// unchanged). Throws implay::Error when X has not D columns.
void forward(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, MlpActivations& out);
// The class scores (M, C) of X (M, D).
RowMatrixXf mlp_scores(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X);
// Predicted class per row (M): argmax of the scores, ties → the smallest class.
std::vector<int> mlp_predict(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X);

// -------------------------------------------------------------------------------------------
// [objective]

// What training minimizes: L = (1/N) Σ_i L_i(s_i, y_i) + λ R(W), R over the weights of every
// layer (biases never; weights of off units neither).
struct NnObjective {
  NnLoss loss = NnLoss::Softmax;                  // the data loss L_i
  float margin = 1;                               // Δ of Hinge (> 0)
  RegularizationOptions reg{Regularizer::L2, 0};  // λ R(W) (losses.hpp); the lab and the CLI offer none, l2, l1
};

// The buffers of one forward + backward pass, reused from batch to batch.
struct MlpWorkspace {
  MlpActivations activations;      // the forward pass of the latest batch
  std::vector<RowMatrixXf> dpre;   // (L + 1) dpre[l] (M, out_l) = ∂L/∂pre[l]
  Eigen::MatrixXf scores;          // (M, C) column-major copy of the scores for losses.hpp
  Eigen::MatrixXf dscores;         // (M, C) ∂(data loss)/∂scores
  Eigen::VectorXf masked_weights;  // (in_l · out_l) a layer's weights with those of off units 0
};

// λ R(W) of the net (off units' weights left out).
float mlp_regularization(const Mlp& mlp, const RegularizationOptions& reg);

// L at the net's parameters on the batch X (M, D) / labels (M), and its gradient grad (P) laid
// out like params, by backprop with Eigen GEMMs: dW(l) = post[l − 1]ᵀ dpre[l],
// db(l) = Σ_rows dpre[l], dpre[l − 1] = (dpre[l] W(l)ᵀ) ⊙ φ'(pre[l − 1]) ⊙ on, plus λ ∂R/∂W.
// `ws` keeps the forward pass (ws.activations). Throws implay::Error for a dimension mismatch, a
// label count ≠ M or a label outside 0..C−1.
float objective_and_gradient(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                             const NnObjective& objective, Eigen::Ref<Eigen::VectorXf> grad, MlpWorkspace& ws);
// L alone, the same number (a forward pass only).
float mlp_objective(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                    const NnObjective& objective, MlpWorkspace& ws);
// The same L and gradient by plain nested loops in double (no Eigen products, no workspace,
// nothing shared with the fast path but the parameter layout): the reference the tests compare
// objective_and_gradient with. Slow; for small nets.
float reference_objective_and_gradient(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X,
                                       std::span<const int> labels, const NnObjective& objective,
                                       Eigen::Ref<Eigen::VectorXf> grad);

// -------------------------------------------------------------------------------------------
// [evaluation]

// linear.hpp's Evaluation: count, cross_entropy and hinge (at the objective's Δ) whatever loss
// was trained, data_loss (the objective's own), regularization (λ R(W)), accuracy, objective().
using MlpEvaluation = Evaluation;

// Adds rows [first, first + count) of X (N, D) / labels (N) to a running evaluation.
// Throws implay::Error for N != labels.size() or a label ≥ C.
void evaluate_mlp_rows(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                       const NnObjective& objective, int first, int count, MlpEvaluation& running, MlpWorkspace& ws);
// All of X (N, D) in blocks of block_rows rows. (For the confusion matrix: metrics.hpp's
// confusion_matrix(mlp_predict(mlp, X), labels, C).)
MlpEvaluation evaluate_mlp(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                           const NnObjective& objective = {}, int block_rows = 1024);

// -------------------------------------------------------------------------------------------
// [save/load]
// File format, version 1, all integers and floats little-endian:
//   offset 0   8 bytes   magic "IMPLAYNN" (ImPlay Neural Net)
//          8   u32       version = 1
//         12   u32       D (input_dim)      1..4096
//         16   u32       C (num_classes)    2..256
//         20   u32       activation         0 relu, 1 leaky, 2 tanh, 3 sigmoid, 4 linear
//         24   u32       L (hidden layers)  0..6
//         28   L × u32   hidden widths      each 1..1024
//              Σ widths bytes  unit_on, one byte per hidden unit: 1 on, 0 off
//              u32       S = byte length of feature_spec, ≤ 4096
//              S bytes   feature_spec (UTF-8, not 0-terminated)
//              P × f32   params in the flat order, bit-exact, every one finite
//   and nothing after. Anything else is rejected with a message naming the source and problem.

inline constexpr char kMlpMagic[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'N', 'N'};
inline constexpr uint32_t kMlpVersion = 1;
inline constexpr uint32_t kMaxMlpSpecBytes = 4096;

std::vector<uint8_t> serialize_mlp(const Mlp& mlp);
// `source` names the bytes in error messages (a path, a URL, "<memory>"). Throws implay::Error.
Mlp parse_mlp(std::span<const uint8_t> bytes, const std::string& source);
// File forms. Throw implay::Error naming the path when it cannot be written or read.
void save_mlp(const Mlp& mlp, const std::string& path);
Mlp load_mlp(const std::string& path);

}  // namespace implay
