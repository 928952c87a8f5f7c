// pixel_model_nade.cpp — NADE (pixel_model_nade.hpp): the model's conditionals and sampler hook,
// the batched loss and gradient kernel, and the trainer. The file format is in pixel_model_io.cpp.
//
// Index: [kernels] [model] [loss] [trainer]
#include "core/pixel/pixel_model_nade.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/pixel/logistic.hpp"
#include "core/pixel/train_kernels.hpp"
#include "core/rng.hpp"

namespace implay {

using Eigen::Index;

// [SECTION] kernels ------------------------------------------------------------------------------
// The loops every (image, pixel) pair runs over the H hidden units. The ReLU layer's two,
// relu_dot_f32 (forward) and relu_backward_f32 (its gradient), are SIMD kernels in
// train_kernels.hpp; the two plain adds below are vectorized by the compiler.

namespace {

void add_to(float* __restrict y, const float* __restrict x, int n) {  // y += x
  for (int k = 0; k < n; ++k) y[k] += x[k];
}
void subtract_from(float* __restrict y, const float* __restrict x, int n) {  // y −= x
  for (int k = 0; k < n; ++k) y[k] -= x[k];
}

}  // namespace

// [SECTION] model --------------------------------------------------------------------------------

NadeModel::NadeModel(int rows, int cols, int hidden) {
  if (rows < 1 || cols < 1)
    throw Error("NADE of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels (both must be >= 1)");
  if (hidden < 1 || hidden > kMaxNadeHidden)
    throw Error("NADE of " + std::to_string(hidden) + " hidden units (must be 1.." + std::to_string(kMaxNadeHidden) +
                ")");
  check_model_params(
      nade_param_count(uint64_t(rows) * uint64_t(cols), uint64_t(hidden)), "NADE",
      std::to_string(rows) + "x" + std::to_string(cols) + " pixels and " + std::to_string(hidden) + " hidden units");
  rows_ = rows;
  cols_ = cols;
  hidden_ = hidden;
  params = Eigen::VectorXf::Zero(num_params());
}

void NadeModel::init_from_marginals(const BinaryImages& train, float alpha, float scale, uint64_t seed) {
  if (train.rows != rows_ || train.cols != cols_)
    throw Error("training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols) + " for a " +
                std::to_string(rows_) + "x" + std::to_string(cols_) + " NADE");
  const IndependentModel marginals(train, alpha);
  Rng rng(seed);
  params.setZero();
  for (Index k = 0; k < 2 * hd(); ++k) params[k] = float(scale * rng.normal());  // W and V
  Eigen::Map<Eigen::VectorXf> b = output_bias();
  for (int i = 0; i < dim(); ++i) {
    const double p = std::clamp(marginals.probability({}, i), 1e-6, 1 - 1e-6);
    b[i] = float(std::log(p / (1 - p)));
  }
}

double NadeModel::probability(std::span<const uint8_t> image, int i) const {
  Eigen::VectorXf a = hidden_bias();  // (H) a_i = c + Σ_{j<i} W_:j x_j
  for (int j = 0; j < i; ++j)
    if (image[size_t(j)]) add_to(a.data(), input_weights().col(j).data(), hidden_);
  return sigmoid(output_bias()[i] + relu_dot_f32(a.data(), output_weights().col(i).data(), size_t(hidden_)));
}

void NadeModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  Eigen::VectorXf a = hidden_bias();  // (H) carried from pixel to pixel
  for (int i = 0; i < dim(); ++i) {
    const float logit = output_bias()[i] + relu_dot_f32(a.data(), output_weights().col(i).data(), size_t(hidden_));
    out[size_t(i)] = sigmoid(logit);
    if (image[size_t(i)]) add_to(a.data(), input_weights().col(i).data(), hidden_);
  }
}

void NadeModel::draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const {
  assert(int(image.size()) == dim() && start >= 0);
  Eigen::VectorXf a = hidden_bias();  // (H) carried from pixel to pixel
  for (int i = 0; i < dim(); ++i) {
    if (i >= start) {
      const float logit = output_bias()[i] + relu_dot_f32(a.data(), output_weights().col(i).data(), size_t(hidden_));
      image[size_t(i)] = draw(sigmoid(logit));
    }
    if (image[size_t(i)]) add_to(a.data(), input_weights().col(i).data(), hidden_);
  }
}

// [SECTION] loss ---------------------------------------------------------------------------------

namespace {

// The sweep adds W_:j for x_j ≠ 0 (the whole column): a value other than 0 or 1 would be wrong
// silently, so it is rejected (one pass over B·D floats, nothing next to the O(BDH) sweep).
void check_batch(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  if (x.cols() != model.dim())
    throw Error("NADE batch of " + std::to_string(x.cols()) + " pixels per image (expected " +
                std::to_string(model.dim()) + ")");
  for (Index j = 0; j < x.cols(); ++j)
    for (Index n = 0; n < x.rows(); ++n)
      if (x(n, j) != 0.0f && x(n, j) != 1.0f)
        throw Error("NADE batch value " + std::to_string(x(n, j)) + " at image " + std::to_string(n) + ", pixel " +
                    std::to_string(j) + " (pixels must be 0 or 1)");
}

// The sweep of nade_loss() over the pixels, position outer and image inner so that W_:i, V_:i and
// dV_:i stay in cache while the B images use them. grad: (P) or nullptr for the loss alone.
double nade_sweep(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, float* grad) {
  const int d = model.dim(), h = model.hidden();
  const Index n = x.rows();
  Eigen::MatrixXf a(h, n);  // (H, B) a_i of every image, column r = image r
  a.colwise() = model.hidden_bias();
  Eigen::MatrixXf s;  // (H, B) S: running Σ_{k≤i} δ_k of every image
  const Index hd = Index(h) * d;
  if (grad) {
    s.setZero(h, n);
    std::fill(grad, grad + model.num_params(), 0.0f);
  }
  const float inv_n = 1.0f / float(n);
  double loss = 0;
  for (int i = 0; i < d; ++i) {
    const float* w = model.input_weights().col(i).data();
    const float* v = model.output_weights().col(i).data();
    const float bi = model.output_bias()[i];
    float db = 0;
    for (Index r = 0; r < n; ++r) {
      float* ar = a.col(r).data();
      const float logit = bi + relu_dot_f32(ar, v, size_t(h));
      const float xi = x(r, i);
      loss += softplus(logit) - double(xi) * logit;
      if (grad) {
        const float g = (float(sigmoid(logit)) - xi) * inv_n;  // ∂L/∂logit
        db += g;
        relu_backward_f32(ar, v, g, grad + hd + Index(i) * h, s.col(r).data(), size_t(h));
        if (xi != 0) subtract_from(grad + Index(i) * h, s.col(r).data(), h);  // −X_ri S_ri
      }
      if (xi != 0) add_to(ar, w, h);
    }
    if (grad) grad[2 * hd + h + i] = db;
  }
  if (grad) {
    Eigen::Map<Eigen::MatrixXf>(grad, h, d).noalias() += s * x;         // + T X: dW_:j += Σ_r X_rj T_r
    Eigen::Map<Eigen::VectorXf>(grad + 2 * hd, h) = s.rowwise().sum();  // dc = Σ_r T_r
  }
  return loss / double(n);
}

}  // namespace

double nade_loss(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> grad) {
  check_batch(model, x);
  assert(grad.size() == model.num_params() && grad.innerStride() == 1);
  return nade_sweep(model, x, grad.data());
}

double nade_loss(const NadeModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  check_batch(model, x);
  return nade_sweep(model, x, nullptr);
}

// [SECTION] trainer ------------------------------------------------------------------------------

NadeTrainer::NadeTrainer(const BinaryImages& train, const NadeTrainOptions& options, const BinaryImages* validation)
    : SlicedPixelTrainer(train, options, validation, "a NADE") {
  model_ = NadeModel(train.rows, train.cols, options.hidden);
  model_.init_from_marginals(train, options.init_alpha, options.init_scale, options.seed);
  allocate_optimizer(model_.num_params());
}

double NadeTrainer::minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) {
  return nade_loss(model_, x, grad);
}

NadeModel train_nade(const BinaryImages& train, const NadeTrainOptions& options, const BinaryImages* validation,
                     std::vector<TrainEpochStats>* history) {
  NadeTrainer trainer(train, options, validation);
  run_to_end(trainer, history);
  return trainer.model();
}

}  // namespace implay
