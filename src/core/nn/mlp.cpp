// mlp.cpp — the MLP of mlp.hpp: names, the squared-error loss, the layout and its views, init,
// the GEMM forward and backward passes, the plain-loop reference, evaluation and the model file
// (read through binary_io.hpp's checked reader).
//
// Index: [names] [losses] [shape] [model] [init] [forward] [objective] [reference] [evaluation]
//        [save/load]
#include "core/nn/mlp.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/binary_io.hpp"
#include "core/checked.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"
#include "core/rng.hpp"

namespace implay {

using Eigen::Index;

// [SECTION] names --------------------------------------------------------------------------------

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::Relu: return "relu";
    case Activation::LeakyRelu: return "leaky";
    case Activation::Tanh: return "tanh";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Linear: return "linear";
  }
  return "?";
}

Activation parse_activation(std::string_view name) {
  for (Activation activation : kAllActivations)
    if (name == activation_name(activation)) return activation;
  throw Error("unknown activation \"" + std::string(name) + "\" (expected relu, leaky, tanh, sigmoid or linear)");
}

float activate(Activation activation, float a) {
  switch (activation) {
    case Activation::Relu: return a > 0 ? a : 0.0f;
    case Activation::LeakyRelu: return a > 0 ? a : kLeakySlope * a;
    case Activation::Tanh: return std::tanh(a);
    case Activation::Sigmoid: return 1.0f / (1.0f + std::exp(-a));
    case Activation::Linear: return a;
  }
  return a;
}

const char* nn_loss_name(NnLoss loss) {
  switch (loss) {
    case NnLoss::Softmax: return "softmax";
    case NnLoss::Hinge: return "svm";
    case NnLoss::SquaredError: return "mse";
  }
  return "?";
}

NnLoss parse_nn_loss(std::string_view name) {
  for (NnLoss loss : kAllNnLosses)
    if (name == nn_loss_name(loss)) return loss;
  throw Error("unknown loss \"" + std::string(name) + "\" (expected softmax, svm or mse)");
}

const char* init_name(Init init) { return init == Init::He ? "he" : "xavier"; }

Init parse_init(std::string_view name) {
  if (name == "he") return Init::He;
  if (name == "xavier") return Init::Xavier;
  throw Error("unknown initialization \"" + std::string(name) + "\" (expected he or xavier)");
}

Init default_init(Activation activation) {
  return activation == Activation::Relu || activation == Activation::LeakyRelu ? Init::He : Init::Xavier;
}

// [SECTION] losses -------------------------------------------------------------------------------

namespace {

void check_squared_error_batch(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels) {
  if (Index(labels.size()) != scores.rows())
    throw Error("mse loss: scores have " + std::to_string(scores.rows()) + " rows but " +
                std::to_string(labels.size()) + " labels were given");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= scores.cols())
      throw Error("mse loss: label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                  " is outside 0.." + std::to_string(scores.cols() - 1));
}

// ½ Σ_c (s_c − [c = y])² of row i, in double.
double squared_error_row(const Eigen::Ref<const Eigen::MatrixXf>& scores, Index i, int y) {
  double sum = 0;
  for (Index c = 0; c < scores.cols(); ++c) {
    const double e = double(scores(i, c)) - (c == y ? 1.0 : 0.0);
    sum += e * e;
  }
  return 0.5 * sum;
}

}  // namespace

float squared_error(const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                    Eigen::Ref<Eigen::MatrixXf> dscores) {
  check_squared_error_batch(scores, labels);
  assert(dscores.rows() == scores.rows() && dscores.cols() == scores.cols());
  const Index n = scores.rows();
  if (n == 0) return 0.0f;
  const float inv_n = 1.0f / float(n);
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    const int y = labels[size_t(i)];
    total += squared_error_row(scores, i, y);
    for (Index c = 0; c < scores.cols(); ++c) dscores(i, c) = (scores(i, c) - (c == y ? 1.0f : 0.0f)) * inv_n;
  }
  return float(total / double(n));
}

float nn_loss_and_gradient(NnLoss loss, const Eigen::Ref<const Eigen::MatrixXf>& scores, std::span<const int> labels,
                           float margin, Eigen::Ref<Eigen::MatrixXf> dscores) {
  switch (loss) {
    case NnLoss::Softmax: return softmax_cross_entropy(scores, labels, dscores);
    case NnLoss::Hinge: return multiclass_hinge(scores, labels, LossOptions{margin}, dscores);
    case NnLoss::SquaredError: return squared_error(scores, labels, dscores);
  }
  return 0;
}

Eigen::VectorXf nn_per_example_loss(NnLoss loss, const Eigen::Ref<const Eigen::MatrixXf>& scores,
                                    std::span<const int> labels, float margin) {
  switch (loss) {
    case NnLoss::Softmax: return per_example_loss(LossKind::SoftmaxCrossEntropy, scores, labels);
    case NnLoss::Hinge: return per_example_loss(LossKind::MulticlassHinge, scores, labels, LossOptions{margin});
    case NnLoss::SquaredError: break;
  }
  check_squared_error_batch(scores, labels);
  Eigen::VectorXf out(scores.rows());  // (N)
  for (Index i = 0; i < scores.rows(); ++i) out[i] = float(squared_error_row(scores, i, labels[size_t(i)]));
  return out;
}

// [SECTION] shape --------------------------------------------------------------------------------

void check_mlp_shape(const MlpShape& shape) {
  if (shape.input_dim < 1 || shape.input_dim > kMaxMlpInputs)
    throw Error("a network input of " + std::to_string(shape.input_dim) + " features is outside 1.." +
                std::to_string(kMaxMlpInputs));
  if (shape.hidden.size() > size_t(kMaxHiddenLayers))
    throw Error(std::to_string(shape.hidden.size()) + " hidden layers is more than the " +
                std::to_string(kMaxHiddenLayers) + " allowed");
  for (size_t l = 0; l < shape.hidden.size(); ++l)
    if (shape.hidden[l] < 1 || shape.hidden[l] > kMaxHiddenUnits)
      throw Error("hidden layer " + std::to_string(l + 1) + " has " + std::to_string(shape.hidden[l]) +
                  " units (allowed 1.." + std::to_string(kMaxHiddenUnits) + ")");
  if (shape.num_classes < 2 || shape.num_classes > kMaxMlpClasses)
    throw Error("a classifier of " + std::to_string(shape.num_classes) + " classes is outside 2.." +
                std::to_string(kMaxMlpClasses));
}

std::string mlp_shape_text(const MlpShape& shape) {
  std::string out = std::to_string(shape.input_dim);
  for (int width : shape.hidden) {
    out += '-';
    out += std::to_string(width);
  }
  out += '-';
  out += std::to_string(shape.num_classes);
  if (!shape.hidden.empty()) {
    out += ' ';
    out += activation_name(shape.activation);
  }
  return out;
}

// [SECTION] model --------------------------------------------------------------------------------

Mlp::Mlp(const MlpShape& shape_) : shape(shape_) {
  check_mlp_shape(shape);
  params = Eigen::VectorXf::Zero(num_params());
  unit_on.resize(shape.hidden.size());
  for (size_t l = 0; l < shape.hidden.size(); ++l) unit_on[l].assign(size_t(shape.hidden[l]), 1);
}

int Mlp::layer_in(int l) const {
  assert(l >= 0 && l <= num_hidden_layers());
  return l == 0 ? shape.input_dim : shape.hidden[size_t(l - 1)];
}

int Mlp::layer_out(int l) const {
  assert(l >= 0 && l <= num_hidden_layers());
  return l == num_hidden_layers() ? shape.num_classes : shape.hidden[size_t(l)];
}

Index Mlp::param_offset(int l) const {
  assert(l >= 0 && l <= num_hidden_layers() + 1);
  Index offset = 0;  // ≤ 4096·1024 + 5·1024² + 1024·256 + biases: no overflow
  for (int k = 0; k < l; ++k) offset += Index(layer_in(k) + 1) * layer_out(k);
  return offset;
}

Eigen::Map<RowMatrixXf> Mlp::weights_in(float* flat, int l) const {
  return Eigen::Map<RowMatrixXf>(flat + param_offset(l), layer_in(l), layer_out(l));
}
Eigen::Map<const RowMatrixXf> Mlp::weights_in(const float* flat, int l) const {
  return Eigen::Map<const RowMatrixXf>(flat + param_offset(l), layer_in(l), layer_out(l));
}
Eigen::Map<Eigen::VectorXf> Mlp::bias_in(float* flat, int l) const {
  return Eigen::Map<Eigen::VectorXf>(flat + param_offset(l) + Index(layer_in(l)) * layer_out(l), layer_out(l));
}
Eigen::Map<const Eigen::VectorXf> Mlp::bias_in(const float* flat, int l) const {
  return Eigen::Map<const Eigen::VectorXf>(flat + param_offset(l) + Index(layer_in(l)) * layer_out(l), layer_out(l));
}

bool Mlp::all_units_on() const {
  for (const std::vector<uint8_t>& layer : unit_on)
    if (std::find(layer.begin(), layer.end(), uint8_t(0)) != layer.end()) return false;
  return true;
}

bool Mlp::layer_touches_off_unit(int l) const {
  auto any_off = [&](int hidden_layer) {
    const std::vector<uint8_t>& on = unit_on[size_t(hidden_layer)];
    return std::find(on.begin(), on.end(), uint8_t(0)) != on.end();
  };
  return (l > 0 && any_off(l - 1)) || (l < num_hidden_layers() && any_off(l));
}

// [SECTION] init ---------------------------------------------------------------------------------

void init_mlp(Mlp& mlp, Init init, uint64_t seed) {
  assert(mlp.params.size() == mlp.num_params());
  Rng rng(seed);
  for (int l = 0; l <= mlp.num_hidden_layers(); ++l) {
    const int in = mlp.layer_in(l), out = mlp.layer_out(l);
    const double variance = init == Init::He ? 2.0 / in : 2.0 / (in + out);
    const double std = std::sqrt(variance);
    Eigen::Map<RowMatrixXf> W = mlp.W(l);
    for (Index k = 0; k < W.size(); ++k) W.data()[k] = float(std * rng.normal());
    mlp.b(l).setZero();
  }
}

// [SECTION] forward ------------------------------------------------------------------------------

namespace {

void check_input(const Mlp& mlp, Index cols) {
  if (cols != mlp.shape.input_dim)
    throw Error("inputs have " + std::to_string(cols) + " features but the network (" + mlp_shape_text(mlp.shape) +
                ") takes " + std::to_string(mlp.shape.input_dim));
  assert(mlp.params.size() == mlp.num_params());
  assert(mlp.unit_on.size() == mlp.shape.hidden.size());
}

// post (M, out) = φ(pre), element by element (Eigen's vectorized array functions).
void apply_activation(Activation activation, const RowMatrixXf& pre, RowMatrixXf& post) {
  post.resize(pre.rows(), pre.cols());
  switch (activation) {
    case Activation::Relu: post.array() = pre.array().max(0.0f); break;
    case Activation::LeakyRelu: post.array() = (pre.array() > 0).select(pre.array(), kLeakySlope * pre.array()); break;
    case Activation::Tanh: post.array() = pre.array().tanh(); break;
    case Activation::Sigmoid: post.array() = (1.0f + (-pre.array()).exp()).inverse(); break;
    case Activation::Linear: post = pre; break;
  }
}

// d (M, out) ⊙= φ'(pre), with φ' from pre (ReLU, leaky) or from post = φ(pre) (tanh, sigmoid).
void multiply_by_derivative(Activation activation, const RowMatrixXf& pre, const RowMatrixXf& post, RowMatrixXf& d) {
  switch (activation) {
    case Activation::Relu: d.array() = (pre.array() > 0).select(d.array(), 0.0f); break;
    case Activation::LeakyRelu: d.array() = (pre.array() > 0).select(d.array(), kLeakySlope * d.array()); break;
    case Activation::Tanh: d.array() *= 1.0f - post.array().square(); break;
    case Activation::Sigmoid: d.array() *= post.array() * (1.0f - post.array()); break;
    case Activation::Linear: break;
  }
}

// Columns of m (M, out) that belong to off units become 0.
void zero_off_units(const std::vector<uint8_t>& on, Eigen::Ref<RowMatrixXf> m) {
  for (size_t j = 0; j < on.size(); ++j)
    if (!on[j]) m.col(Index(j)).setZero();
}

}  // namespace

void forward(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, MlpActivations& out) {
  check_input(mlp, X.cols());
  const int L = mlp.num_hidden_layers();
  out.pre.resize(size_t(L + 1));
  out.post.resize(size_t(L + 1));
  for (int l = 0; l <= L; ++l) {
    RowMatrixXf& pre = out.pre[size_t(l)];
    pre.resize(X.rows(), mlp.layer_out(l));
    if (l == 0)
      pre.noalias() = X * mlp.W(0);  // (M, D)·(D, out_0): one GEMM
    else
      pre.noalias() = out.post[size_t(l - 1)] * mlp.W(l);
    pre.rowwise() += mlp.b(l).transpose();
    RowMatrixXf& post = out.post[size_t(l)];
    if (l == L) {
      post = pre;  // the scores
    } else {
      apply_activation(mlp.shape.activation, pre, post);
      zero_off_units(mlp.unit_on[size_t(l)], post);
    }
  }
}

RowMatrixXf mlp_scores(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X) {
  MlpActivations a;
  forward(mlp, X, a);
  return std::move(a.post.back());
}

std::vector<int> mlp_predict(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X) {
  return argmax_rows(mlp_scores(mlp, X));
}

// [SECTION] objective ----------------------------------------------------------------------------

namespace {

// λ R of layer l's weights (those of off units left out) and, when grad (P) is not null, adds
// λ ∂R/∂W to its W(l) entries. masked: scratch for the masked copy.
float layer_regularization(const Mlp& mlp, int l, const RegularizationOptions& reg, float* grad,
                           Eigen::VectorXf& masked) {
  if (reg.kind == Regularizer::None || reg.lambda == 0.0f) return 0.0f;
  const int in = mlp.layer_in(l), out = mlp.layer_out(l);
  const Index count = Index(in) * out, offset = mlp.param_offset(l);
  std::optional<Eigen::Map<Eigen::VectorXf>> dw;  // (in·out) the gradient's W(l)
  if (grad) dw.emplace(grad + offset, count);
  if (!mlp.layer_touches_off_unit(l)) {
    const Eigen::Map<const Eigen::VectorXf> w(mlp.params.data() + offset, count);  // (in·out)
    return dw ? regularization(reg, w, *dw) : regularization(reg, w);
  }
  // A frozen weight is 0 in the copy: it adds nothing to R and gets 2λ·0 + λ·sign(0) = 0.
  masked = mlp.params.segment(offset, count);
  Eigen::Map<RowMatrixXf> m(masked.data(), in, out);  // (in, out)
  if (l > 0) {
    const std::vector<uint8_t>& on = mlp.unit_on[size_t(l - 1)];  // the layer's inputs
    for (int i = 0; i < in; ++i)
      if (!on[size_t(i)]) m.row(i).setZero();
  }
  if (l < mlp.num_hidden_layers()) zero_off_units(mlp.unit_on[size_t(l)], m);  // its outputs
  return dw ? regularization(reg, masked, *dw) : regularization(reg, masked);
}

// The data loss of the forward pass in ws.activations; fills ws.dscores when with_gradient.
float data_loss(const NnObjective& objective, std::span<const int> labels, MlpWorkspace& ws) {
  ws.scores = ws.activations.scores();  // (M, C) column-major for losses.hpp
  ws.dscores.resize(ws.scores.rows(), ws.scores.cols());
  return nn_loss_and_gradient(objective.loss, ws.scores, labels, objective.margin, ws.dscores);
}

}  // namespace

float mlp_regularization(const Mlp& mlp, const RegularizationOptions& reg) {
  Eigen::VectorXf masked;
  float total = 0;
  for (int l = 0; l <= mlp.num_hidden_layers(); ++l) total += layer_regularization(mlp, l, reg, nullptr, masked);
  return total;
}

float mlp_objective(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                    const NnObjective& objective, MlpWorkspace& ws) {
  forward(mlp, X, ws.activations);
  float total = data_loss(objective, labels, ws);
  for (int l = 0; l <= mlp.num_hidden_layers(); ++l)
    total += layer_regularization(mlp, l, objective.reg, nullptr, ws.masked_weights);
  return total;
}

float objective_and_gradient(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                             const NnObjective& objective, Eigen::Ref<Eigen::VectorXf> grad, MlpWorkspace& ws) {
  assert(grad.size() == mlp.num_params());
  forward(mlp, X, ws.activations);
  float total = data_loss(objective, labels, ws);
  const MlpActivations& a = ws.activations;
  const int L = mlp.num_hidden_layers();
  ws.dpre.resize(size_t(L + 1));
  ws.dpre[size_t(L)] = ws.dscores;  // (M, C)
  for (int l = L; l >= 0; --l) {
    const RowMatrixXf& d = ws.dpre[size_t(l)];  // (M, out_l) ∂L/∂pre[l]
    Eigen::Map<RowMatrixXf> dW = mlp.weights_in(grad.data(), l);
    if (l == 0)
      dW.noalias() = X.transpose() * d;  // (D, M)·(M, out_0)
    else
      dW.noalias() = a.post[size_t(l - 1)].transpose() * d;
    mlp.bias_in(grad.data(), l) = d.colwise().sum().transpose();
    if (l == 0) break;
    RowMatrixXf& below = ws.dpre[size_t(l - 1)];  // (M, in_l): ∂L/∂post[l − 1], then ∂L/∂pre[l − 1]
    below.resize(d.rows(), mlp.layer_in(l));
    below.noalias() = d * mlp.W(l).transpose();
    multiply_by_derivative(mlp.shape.activation, a.pre[size_t(l - 1)], a.post[size_t(l - 1)], below);
    zero_off_units(mlp.unit_on[size_t(l - 1)], below);
  }
  for (int l = 0; l <= L; ++l) total += layer_regularization(mlp, l, objective.reg, grad.data(), ws.masked_weights);
  return total;
}

// [SECTION] reference ----------------------------------------------------------------------------
// Example by example, unit by unit, in double: nothing here calls the fast path's helpers, so a
// slip in one (a transposed view, a missing 1/M, a mask forgotten in backprop) shows as a mismatch.

namespace {

double reference_phi(Activation activation, double a) {
  switch (activation) {
    case Activation::Relu: return a > 0 ? a : 0.0;
    case Activation::LeakyRelu: return a > 0 ? a : 0.01 * a;
    case Activation::Tanh: return std::tanh(a);
    case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-a));
    case Activation::Linear: return a;
  }
  return a;
}

double reference_phi_prime(Activation activation, double a) {
  switch (activation) {
    case Activation::Relu: return a > 0 ? 1.0 : 0.0;
    case Activation::LeakyRelu: return a > 0 ? 1.0 : 0.01;
    case Activation::Tanh: return 1.0 - std::tanh(a) * std::tanh(a);
    case Activation::Sigmoid: return reference_phi(activation, a) * (1.0 - reference_phi(activation, a));
    case Activation::Linear: return 1.0;
  }
  return 1.0;
}

}  // namespace

float reference_objective_and_gradient(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X,
                                       std::span<const int> labels, const NnObjective& objective,
                                       Eigen::Ref<Eigen::VectorXf> grad) {
  check_input(mlp, X.cols());
  const Index M = X.rows();
  const int L = mlp.num_hidden_layers(), C = mlp.shape.num_classes;
  if (Index(labels.size()) != M)
    throw Error("reference: " + std::to_string(M) + " inputs but " + std::to_string(labels.size()) + " labels");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= C) throw Error("reference: label " + std::to_string(labels[i]) + " out of range");
  const float* theta = mlp.params.data();
  auto weight = [&](int l, int k, int j) {  // W(l)(k, j)
    return double(theta[mlp.param_offset(l) + Index(k) * mlp.layer_out(l) + j]);
  };
  auto bias = [&](int l, int j) {
    return double(theta[mlp.param_offset(l) + Index(mlp.layer_in(l)) * mlp.layer_out(l) + j]);
  };
  auto on = [&](int hidden_layer, int unit) { return mlp.unit_on[size_t(hidden_layer)][size_t(unit)] != 0; };

  std::vector<double> g(size_t(mlp.num_params()), 0.0);  // (P) the gradient, accumulated in double
  double loss = 0;
  std::vector<std::vector<double>> pre(size_t(L + 1)), post(size_t(L + 1));
  for (Index i = 0; i < M; ++i) {
    // Forward, one unit at a time.
    for (int l = 0; l <= L; ++l) {
      const int in = mlp.layer_in(l), out = mlp.layer_out(l);
      pre[size_t(l)].assign(size_t(out), 0.0);
      post[size_t(l)].assign(size_t(out), 0.0);
      for (int j = 0; j < out; ++j) {
        double z = bias(l, j);
        for (int k = 0; k < in; ++k) z += (l == 0 ? double(X(i, k)) : post[size_t(l - 1)][size_t(k)]) * weight(l, k, j);
        pre[size_t(l)][size_t(j)] = z;
        post[size_t(l)][size_t(j)] = l == L ? z : on(l, j) ? reference_phi(mlp.shape.activation, z) : 0.0;
      }
    }
    // The data loss of this example and ∂L_i/∂s (C).
    const std::vector<double>& s = post[size_t(L)];
    const int y = labels[size_t(i)];
    std::vector<double> delta(size_t(C), 0.0);
    switch (objective.loss) {
      case NnLoss::Softmax: {
        const double top = *std::max_element(s.begin(), s.end());
        double sum = 0;
        for (int c = 0; c < C; ++c) sum += std::exp(s[size_t(c)] - top);
        loss += std::log(sum) + top - s[size_t(y)];
        for (int c = 0; c < C; ++c) delta[size_t(c)] = std::exp(s[size_t(c)] - top) / sum - (c == y ? 1.0 : 0.0);
        break;
      }
      case NnLoss::Hinge:
        for (int c = 0; c < C; ++c) {
          const double margin = s[size_t(c)] - s[size_t(y)] + double(objective.margin);
          if (c == y || margin <= 0) continue;
          loss += margin;
          delta[size_t(c)] += 1;
          delta[size_t(y)] -= 1;
        }
        break;
      case NnLoss::SquaredError:
        for (int c = 0; c < C; ++c) {
          const double e = s[size_t(c)] - (c == y ? 1.0 : 0.0);
          loss += 0.5 * e * e;
          delta[size_t(c)] = e;
        }
        break;
    }
    for (double& v : delta) v /= double(M);
    // Backward, layer by layer: delta holds ∂L/∂pre[l].
    for (int l = L; l >= 0; --l) {
      const int in = mlp.layer_in(l), out = mlp.layer_out(l);
      const Index w0 = mlp.param_offset(l), b0 = w0 + Index(in) * out;
      std::vector<double> below(size_t(in), 0.0);
      for (int k = 0; k < in; ++k) {
        const double input = l == 0 ? double(X(i, k)) : post[size_t(l - 1)][size_t(k)];
        for (int j = 0; j < out; ++j) {
          g[size_t(w0 + Index(k) * out + j)] += input * delta[size_t(j)];
          below[size_t(k)] += weight(l, k, j) * delta[size_t(j)];
        }
      }
      for (int j = 0; j < out; ++j) g[size_t(b0 + j)] += delta[size_t(j)];
      if (l == 0) break;
      for (int k = 0; k < in; ++k)
        below[size_t(k)] =
            on(l - 1, k) ? below[size_t(k)] * reference_phi_prime(mlp.shape.activation, pre[size_t(l - 1)][size_t(k)])
                         : 0.0;
      delta = below;
    }
  }
  loss /= double(M > 0 ? M : 1);
  // λ R(W) over the weights that are not frozen (bias never).
  const RegularizationOptions& reg = objective.reg;
  if (reg.kind != Regularizer::None) {
    const double l2 = reg.kind == Regularizer::L2 ? 1.0 : reg.kind == Regularizer::ElasticNet ? double(reg.beta) : 0.0;
    const double l1 = reg.kind == Regularizer::L1 || reg.kind == Regularizer::ElasticNet ? 1.0 : 0.0;
    const double lambda = reg.lambda;
    for (int l = 0; l <= L; ++l)
      for (int k = 0; k < mlp.layer_in(l); ++k)
        for (int j = 0; j < mlp.layer_out(l); ++j) {
          if ((l > 0 && !on(l - 1, k)) || (l < L && !on(l, j))) continue;
          const double w = weight(l, k, j);
          loss += lambda * (l2 * w * w + l1 * std::abs(w));
          g[size_t(mlp.param_offset(l) + Index(k) * mlp.layer_out(l) + j)] +=
              lambda * (2 * l2 * w + l1 * (w > 0   ? 1.0
                                           : w < 0 ? -1.0
                                                   : 0.0));
        }
  }
  assert(grad.size() == mlp.num_params());
  for (Index p = 0; p < grad.size(); ++p) grad[p] = float(g[size_t(p)]);
  return float(loss);
}

// [SECTION] evaluation ---------------------------------------------------------------------------

void evaluate_mlp_rows(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                       const NnObjective& objective, int first, int count, MlpEvaluation& running, MlpWorkspace& ws) {
  if (Index(labels.size()) != X.rows())
    throw Error("evaluation: " + std::to_string(X.rows()) + " input rows but " + std::to_string(labels.size()) +
                " labels");
  assert(first >= 0 && count >= 0 && Index(first) + count <= X.rows());
  running.regularization = mlp_regularization(mlp, objective.reg);
  if (count == 0) return;
  forward(mlp, X.middleRows(first, count), ws.activations);
  ws.scores = ws.activations.scores();                                                              // (count, C)
  const std::vector<int> y(labels.begin() + first, labels.begin() + first + count);                 // (count)
  const Eigen::VectorXf own = nn_per_example_loss(objective.loss, ws.scores, y, objective.margin);  // (count)
  accumulate_evaluation(ws.scores, y, LossOptions{objective.margin}, own, running);
}

MlpEvaluation evaluate_mlp(const Mlp& mlp, const Eigen::Ref<const RowMatrixXf>& X, std::span<const uint8_t> labels,
                           const NnObjective& objective, int block_rows) {
  check_input(mlp, X.cols());
  block_rows = std::max(block_rows, 1);
  MlpWorkspace ws;
  MlpEvaluation out;
  evaluate_mlp_rows(mlp, X, labels, objective, 0, 0, out, ws);  // checks, and λ R(W) even for N = 0
  for (Index first = 0; first < X.rows(); first += block_rows) {
    const int count = int(std::min<Index>(block_rows, X.rows() - first));
    evaluate_mlp_rows(mlp, X, labels, objective, int(first), count, out, ws);
  }
  return out;
}

// [SECTION] save/load ----------------------------------------------------------------------------

std::vector<uint8_t> serialize_mlp(const Mlp& mlp) {
  check_mlp_shape(mlp.shape);
  assert(mlp.params.size() == mlp.num_params() && mlp.unit_on.size() == mlp.shape.hidden.size());
  if (mlp.feature_spec.size() > kMaxMlpSpecBytes)
    throw Error("feature spec of " + std::to_string(mlp.feature_spec.size()) + " bytes is too long to save (at most " +
                std::to_string(kMaxMlpSpecBytes) + ")");
  ByteWriter w;
  w.bytes(kMlpMagic, 8);
  w.u32(kMlpVersion);
  w.u32(uint32_t(mlp.shape.input_dim));
  w.u32(uint32_t(mlp.shape.num_classes));
  w.u32(uint32_t(mlp.shape.activation));
  w.u32(uint32_t(mlp.shape.hidden.size()));
  for (int width : mlp.shape.hidden) w.u32(uint32_t(width));
  for (const std::vector<uint8_t>& layer : mlp.unit_on)
    for (uint8_t on : layer) w.out.push_back(on ? 1 : 0);
  w.u32(uint32_t(mlp.feature_spec.size()));
  w.bytes(mlp.feature_spec.data(), mlp.feature_spec.size());
  for (Index k = 0; k < mlp.params.size(); ++k) w.f32(mlp.params[k]);
  return std::move(w.out);
}

Mlp parse_mlp(std::span<const uint8_t> bytes, const std::string& source) {
  const char* what = "neural net model";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMlpMagic, 8) != 0) {
    if (bytes.size() < 8 && (bytes.empty() || std::memcmp(bytes.data(), kMlpMagic, bytes.size()) == 0))
      throw Error(source + ": truncated neural net model file (" + std::to_string(bytes.size()) + " bytes)");
    throw Error(source + ": not a neural net model file (wrong magic number " +
                printable_bytes(bytes.first(std::min<size_t>(8, bytes.size()))) + ", expected \"IMPLAYNN\")");
  }
  ByteReader r{bytes, source, what, 8};
  const uint32_t version = r.u32();
  if (version != kMlpVersion)
    throw Error(source + ": unsupported neural net model file version " + std::to_string(version) +
                " (this build reads version " + std::to_string(kMlpVersion) + ")");
  const uint32_t d = r.u32(), c = r.u32(), activation = r.u32(), layers = r.u32();
  // Every count is checked against its range before it sizes anything (and so cannot overflow).
  if (d < 1 || d > uint32_t(kMaxMlpInputs))
    throw Error(source + ": input size " + std::to_string(d) + " in the header (a network takes 1.." +
                std::to_string(kMaxMlpInputs) + " features)");
  if (c < 2 || c > uint32_t(kMaxMlpClasses))
    throw Error(source + ": class count " + std::to_string(c) + " in the header (a network has 2.." +
                std::to_string(kMaxMlpClasses) + " classes)");
  if (activation >= std::size(kAllActivations))
    throw Error(source + ": activation code " + std::to_string(activation) +
                " in the header (0 relu, 1 leaky, 2 tanh, 3 sigmoid, 4 linear)");
  if (layers > uint32_t(kMaxHiddenLayers))
    throw Error(source + ": " + std::to_string(layers) + " hidden layers in the header (at most " +
                std::to_string(kMaxHiddenLayers) + ")");
  MlpShape shape;
  shape.input_dim = int(d);
  shape.num_classes = int(c);
  shape.activation = Activation(activation);
  for (uint32_t l = 0; l < layers; ++l) {
    const uint32_t width = r.u32();
    if (width < 1 || width > uint32_t(kMaxHiddenUnits))
      throw Error(source + ": hidden layer " + std::to_string(l + 1) + " of " + std::to_string(width) +
                  " units in the header (allowed 1.." + std::to_string(kMaxHiddenUnits) + ")");
    shape.hidden.push_back(int(width));
  }
  // The mask and the spec are read before the parameters are allocated; the parameters' bytes
  // are checked to be there (4 P, P ≤ 12 M by the ranges above) before the model is.
  std::vector<std::vector<uint8_t>> unit_on(shape.hidden.size());
  for (size_t l = 0; l < shape.hidden.size(); ++l) {
    const std::span<const uint8_t> mask = r.take(size_t(shape.hidden[l]));
    for (size_t j = 0; j < mask.size(); ++j)
      if (mask[j] > 1)
        throw Error(source + ": unit " + std::to_string(j + 1) + " of hidden layer " + std::to_string(l + 1) +
                    " has on/off byte " + std::to_string(mask[j]) + " (must be 0 or 1)");
    unit_on[l].assign(mask.begin(), mask.end());
  }
  const uint32_t spec_bytes = r.u32();
  if (spec_bytes > kMaxMlpSpecBytes)
    throw Error(source + ": implausible feature spec length " + std::to_string(spec_bytes) + " (at most " +
                std::to_string(kMaxMlpSpecBytes) + ")");
  const std::span<const uint8_t> spec = r.take(spec_bytes);
  Mlp probe;  // the layout alone, to count P before allocating it
  probe.shape = shape;
  const size_t num_params = size_t(probe.num_params());
  r.need(checked_mul(num_params, 4, source + ": neural net parameters"));
  Mlp mlp(shape);
  mlp.unit_on = std::move(unit_on);
  mlp.feature_spec.assign(spec.begin(), spec.end());
  for (Index k = 0; k < mlp.params.size(); ++k) mlp.params[k] = r.f32();
  r.end();
  check_finite_params(mlp.params, source, what);
  return mlp;
}

void save_mlp(const Mlp& mlp, const std::string& path) {
  write_file_bytes(path, serialize_mlp(mlp));  // idx.hpp: errors name the path
}

Mlp load_mlp(const std::string& path) { return parse_mlp(read_file_bytes(path), path); }

}  // namespace implay
