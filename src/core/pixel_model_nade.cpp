// pixel_model_nade.cpp — NADE (pixel_model_nade.hpp): the model's conditionals and sampler hook,
// the batched loss and gradient kernel, and the trainer. The file format is in pixel_model.cpp.
//
// Index: [kernels] [model] [loss] [trainer]
#include "core/pixel_model_nade.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/simd.hpp"

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace implay {

using Eigen::Index;

// -------------------------------------------------------------------------------------------
// [kernels]
// The two loops every (image, pixel) pair runs over the H hidden units. In wasm Eigen has no SIMD
// and LLVM does not vectorize a float sum (it would reorder the additions), so the wasm build has
// explicit simd128 versions; natively Eigen vectorizes the sum and SSE2 the masked update.

namespace {

double sigmoid(double a) { return a >= 0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a)); }
double softplus(double a) { return a > 0 ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a)); }

// relu_backward() below on units [from, n), one at a time: the reference and the SIMD tails.
void relu_backward_scalar(const float* a, const float* v, float g, float* dv, float* s, int from, int n) {
  for (int k = from; k < n; ++k) {
    dv[k] += g * std::max(a[k], 0.0f);
    s[k] += a[k] > 0 ? g * v[k] : 0.0f;
  }
}

#if IMPLAY_WASM_SIMD

// Σ_k v_k max(a_k, 0): the output layer's dot product with the ReLU applied on the fly.
float relu_dot(const float* a, const float* v, int n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t acc0 = zero, acc1 = zero;
  int k = 0;
  for (; k + 8 <= n; k += 8) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(v + k), wasm_f32x4_pmax(zero, wasm_v128_load(a + k))));
    acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(wasm_v128_load(v + k + 4), wasm_f32x4_pmax(zero, wasm_v128_load(a + k + 4))));
  }
  for (; k + 4 <= n; k += 4)
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(v + k), wasm_f32x4_pmax(zero, wasm_v128_load(a + k))));
  const v128_t acc = wasm_f32x4_add(acc0, acc1);
  float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
              wasm_f32x4_extract_lane(acc, 3);
  for (; k < n; ++k) sum += v[k] * std::max(a[k], 0.0f);
  return sum;
}

// dv += g max(a, 0) (∂L/∂V_:i of one image), s += g v ⊙ [a > 0] (its ∂L/∂a_i, summed into s).
void relu_backward(const float* a, const float* v, float g, float* dv, float* s, int n) {
  const v128_t zero = wasm_f32x4_splat(0.0f), gg = wasm_f32x4_splat(g);
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    const v128_t ak = wasm_v128_load(a + k);
    wasm_v128_store(dv + k, wasm_f32x4_add(wasm_v128_load(dv + k), wasm_f32x4_mul(gg, wasm_f32x4_pmax(zero, ak))));
    const v128_t delta = wasm_v128_and(wasm_f32x4_mul(gg, wasm_v128_load(v + k)), wasm_f32x4_gt(ak, zero));
    wasm_v128_store(s + k, wasm_f32x4_add(wasm_v128_load(s + k), delta));
  }
  relu_backward_scalar(a, v, g, dv, s, k, n);
}

#else

float relu_dot(const float* a, const float* v, int n) {
  using Eigen::ArrayXf;
  return (Eigen::Map<const ArrayXf>(v, n) * Eigen::Map<const ArrayXf>(a, n).max(0.0f)).sum();
}

#if defined(__SSE2__)
// SSE2 (every x86-64): g++ vectorizes neither `a > 0 ? x : 0` on floats (it may not speculate
// a comparison under -ftrapping-math) nor Eigen's select (scalar with a branch): 2x slower.
void relu_backward(const float* a, const float* v, float g, float* dv, float* s, int n) {
  const __m128 zero = _mm_setzero_ps(), gg = _mm_set1_ps(g);
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    const __m128 ak = _mm_loadu_ps(a + k);
    _mm_storeu_ps(dv + k, _mm_add_ps(_mm_loadu_ps(dv + k), _mm_mul_ps(gg, _mm_max_ps(ak, zero))));
    const __m128 delta = _mm_and_ps(_mm_mul_ps(gg, _mm_loadu_ps(v + k)), _mm_cmpgt_ps(ak, zero));
    _mm_storeu_ps(s + k, _mm_add_ps(_mm_loadu_ps(s + k), delta));
  }
  relu_backward_scalar(a, v, g, dv, s, k, n);
}
#else
void relu_backward(const float* a, const float* v, float g, float* dv, float* s, int n) {
  relu_backward_scalar(a, v, g, dv, s, 0, n);
}
#endif

#endif

void add_to(float* __restrict y, const float* __restrict x, int n) {  // y += x
  for (int k = 0; k < n; ++k) y[k] += x[k];
}
void subtract_from(float* __restrict y, const float* __restrict x, int n) {  // y −= x
  for (int k = 0; k < n; ++k) y[k] -= x[k];
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [model]

NadeModel::NadeModel(int rows, int cols, int hidden) {
  if (rows < 1 || cols < 1)
    throw Error("NADE of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels (both must be >= 1)");
  if (hidden < 1 || hidden > kMaxNadeHidden)
    throw Error("NADE of " + std::to_string(hidden) + " hidden units (must be 1.." + std::to_string(kMaxNadeHidden) + ")");
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
  return sigmoid(output_bias()[i] + relu_dot(a.data(), output_weights().col(i).data(), hidden_));
}

void NadeModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  Eigen::VectorXf a = hidden_bias();  // (H) carried from pixel to pixel
  for (int i = 0; i < dim(); ++i) {
    out[size_t(i)] = sigmoid(output_bias()[i] + relu_dot(a.data(), output_weights().col(i).data(), hidden_));
    if (image[size_t(i)]) add_to(a.data(), input_weights().col(i).data(), hidden_);
  }
}

void NadeModel::draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const {
  assert(int(image.size()) == dim() && start >= 0);
  Eigen::VectorXf a = hidden_bias();  // (H) carried from pixel to pixel
  for (int i = 0; i < dim(); ++i) {
    if (i >= start)
      image[size_t(i)] = draw(sigmoid(output_bias()[i] + relu_dot(a.data(), output_weights().col(i).data(), hidden_)));
    if (image[size_t(i)]) add_to(a.data(), input_weights().col(i).data(), hidden_);
  }
}

// -------------------------------------------------------------------------------------------
// [loss]

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
  Eigen::MatrixXf s;        // (H, B) S: running Σ_{k≤i} δ_k of every image
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
      const float logit = bi + relu_dot(ar, v, h);
      const float xi = x(r, i);
      loss += softplus(logit) - double(xi) * logit;
      if (grad) {
        const float g = (float(sigmoid(logit)) - xi) * inv_n;  // ∂L/∂logit
        db += g;
        relu_backward(ar, v, g, grad + hd + Index(i) * h, s.col(r).data(), h);
        if (xi != 0) subtract_from(grad + Index(i) * h, s.col(r).data(), h);  // −X_ri S_ri
      }
      if (xi != 0) add_to(ar, w, h);
    }
    if (grad) grad[2 * hd + h + i] = db;
  }
  if (grad) {
    Eigen::Map<Eigen::MatrixXf>(grad, h, d).noalias() += s * x;  // + T X: dW_:j += Σ_r X_rj T_r
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

// -------------------------------------------------------------------------------------------
// [trainer]

NadeTrainer::NadeTrainer(const BinaryImages& train, const NadeTrainOptions& options, const BinaryImages* validation)
    : SlicedAdamTrainer(train, adam_schedule_of(options), validation, "a NADE") {
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
  while (!trainer.step(1000)) {
  }
  if (history) *history = trainer.history();
  return trainer.model();
}

}  // namespace implay
