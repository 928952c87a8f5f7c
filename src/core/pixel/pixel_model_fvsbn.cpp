// pixel_model_fvsbn.cpp — the FVSBN of pixel_model.hpp: its conditionals and sampler hook, the
// sparse forward/backward kernels its loss and gradient run on, and its trainer
// (pixel_model_fvsbn.hpp; the minibatch machinery it shares with NADE's is pixel_trainer.cpp).
// The other models are in pixel_model_counts.cpp and pixel_model_nade.cpp.
//
// Index: [FVSBN model] [FVSBN loss] [FVSBN trainer]
#include "core/pixel/pixel_model_fvsbn.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/pixel/logistic.hpp"
#include "core/pixel/train_kernels.hpp"

namespace implay {

using Eigen::Index;

// [SECTION] FVSBN model --------------------------------------------------------------------------

FvsbnModel::FvsbnModel(int rows, int cols) {
  if (rows < 1 || cols < 1)
    throw Error("FVSBN of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels (both must be >= 1)");
  check_model_params(fvsbn_param_count(uint64_t(rows) * uint64_t(cols)), "FVSBN",
                     std::to_string(rows) + "x" + std::to_string(cols) + " pixels");
  rows_ = rows;
  cols_ = cols;
  params = Eigen::VectorXf::Zero(num_params());
}

void FvsbnModel::init_from_marginals(const BinaryImages& train, float alpha) {
  const IndependentModel marginals(train, alpha);
  if (train.rows != rows_ || train.cols != cols_)
    throw Error("training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols) + " for a " +
                std::to_string(rows_) + "x" + std::to_string(cols_) + " FVSBN");
  params.setZero();
  Eigen::Map<Eigen::VectorXf> b = bias();
  for (int i = 0; i < dim(); ++i) {
    const double p = std::clamp(marginals.probability({}, i), 1e-6, 1 - 1e-6);
    b[i] = float(std::log(p / (1 - p)));
  }
}

double FvsbnModel::probability(std::span<const uint8_t> image, int i) const {
  float a = bias()[i];
  for (int j = 0; j < i; ++j)
    if (image[size_t(j)]) a += weight(i, j);
  return sigmoid(a);
}

void FvsbnModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  Eigen::VectorXf a = bias();  // (D) logits: b plus the columns of the ink pixels
  for (int j = 0; j + 1 < dim(); ++j)
    if (image[size_t(j)]) a.tail(dim() - 1 - j) += weight_column(j);
  for (int i = 0; i < dim(); ++i) out[size_t(i)] = sigmoid(a[i]);
}

void FvsbnModel::draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const {
  assert(int(image.size()) == dim() && start >= 0);
  Eigen::VectorXf a = bias();  // (D) logits given the pixels so far, summed in increasing j as probability()
  for (int j = 0; j < dim(); ++j) {
    if (j >= start) image[size_t(j)] = draw(sigmoid(a[j]));
    if (image[size_t(j)] && j + 1 < dim()) a.tail(dim() - 1 - j) += weight_column(j);
  }
}

void fvsbn_logits_reference(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                            Eigen::Ref<Eigen::MatrixXf> logits) {
  const int d = model.dim();
  assert(x.cols() == d && logits.rows() == x.rows() && logits.cols() == d);
  const float* b = model.params.data() + model.num_weights();
  // Column i of A uses only the first i columns of X: the triangle costs B·D(D−1)/2 MACs.
  Eigen::VectorXf w_row(d);  // (i) row i of W, gathered from the columns
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < i; ++j) w_row[j] = model.weight(i, j);
    logits.col(i).setConstant(b[i]);
    if (i > 0) logits.col(i).noalias() += x.leftCols(i) * w_row.head(i);
  }
}

// [SECTION] FVSBN loss ---------------------------------------------------------------------------

namespace {

constexpr int kFvsbnChunk = 32;  // output pixels per pass of the sparse kernels (8 wasm registers)

void check_batch(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  if (x.cols() != model.dim())
    throw Error("FVSBN batch of " + std::to_string(x.cols()) + " pixels per image (expected " +
                std::to_string(model.dim()) + ")");
}

// W_ij = params[column_base(j) + i] for i > j: column j's offset shifted by the j + 1 rows it lacks.
int32_t column_base(const FvsbnModel& model, int j) { return int32_t(model.weight_column_offset(j) - j - 1); }

// The ink pixels of a batch of binary images X (B, D), listed both ways round.
struct BatchInk {
  std::vector<int32_t> image_start;    // (B + 1): image n's ink is [image_start[n], image_start[n + 1])
  std::vector<int32_t> image_columns;  // column_base(j) of each ink pixel j of the image, j increasing
  std::vector<int32_t> image_pixels;   // the pixels j themselves
  std::vector<int32_t> pixel_start;    // (D + 1): pixel j's ink is [pixel_start[j], pixel_start[j + 1])
  std::vector<int32_t> pixel_rows;     // n·D of each image n with ink at j, n increasing
  std::vector<uint8_t> pixels;         // (B, D) row-major 0/1, X itself
};

BatchInk batch_ink(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  check_batch(model, x);
  assert(model.num_params() < (Index(1) << 31));  // int32 offsets
  const int b = int(x.rows()), d = model.dim();
  BatchInk ink;
  ink.image_start.assign(size_t(b) + 1, 0);
  ink.pixel_start.assign(size_t(d) + 1, 0);
  ink.pixels.assign(size_t(b) * size_t(d), 0);
  for (int j = 0; j < d; ++j) {
    ink.pixel_start[size_t(j)] = int32_t(ink.pixel_rows.size());
    for (int n = 0; n < b; ++n) {
      const float v = x(n, j);
      if (v == 0.0f) continue;
      if (v != 1.0f)
        throw Error("FVSBN batch value " + std::to_string(v) + " at image " + std::to_string(n) + ", pixel " +
                    std::to_string(j) + " (pixels must be 0 or 1)");
      ink.pixel_rows.push_back(n * d);
      ink.pixels[size_t(n) * size_t(d) + size_t(j)] = 1;
      ++ink.image_start[size_t(n) + 1];
    }
  }
  ink.pixel_start[size_t(d)] = int32_t(ink.pixel_rows.size());
  for (int n = 0; n < b; ++n) ink.image_start[size_t(n) + 1] += ink.image_start[size_t(n)];
  std::vector<int32_t> next(ink.image_start.begin(), ink.image_start.end() - 1);  // (B) fill cursors
  ink.image_columns.resize(ink.pixel_rows.size());
  ink.image_pixels.resize(ink.pixel_rows.size());
  for (int j = 0; j < d; ++j)
    for (int32_t k = ink.pixel_start[size_t(j)]; k < ink.pixel_start[size_t(j) + 1]; ++k) {
      const int32_t at = next[size_t(ink.pixel_rows[size_t(k)] / d)]++;
      ink.image_pixels[size_t(at)] = j;
      ink.image_columns[size_t(at)] = column_base(model, j);
    }
  return ink;
}

// A (B, D) row-major: A_ni = b_i + Σ_{ink j < i} W_ij, by chunks [c0, c1) of kFvsbnChunk output
// pixels: every ink pixel j < c0 adds its column's rows c0..c1−1 (add_rows_f32, the hot loop:
// B·D²/2 × ink fraction adds instead of B·D²/2 multiply-adds), those inside the chunk add the
// rows after them. Each A_ni sums b_i and then the columns in increasing j.
void sparse_logits(const FvsbnModel& model, const BatchInk& ink, RowMatrixXf& a) {
  const int b = int(ink.image_start.size()) - 1, d = model.dim();
  const float* w = model.params.data();
  const float* bias = w + model.num_weights();
  a.resize(b, d);
  std::vector<int32_t> before(size_t(b), 0);  // (B) ink pixels of image n before the chunk
  for (int c0 = 0; c0 < d; c0 += kFvsbnChunk) {
    const int c1 = std::min(d, c0 + kFvsbnChunk);
    for (int n = 0; n < b; ++n) {
      float* out = a.data() + size_t(n) * size_t(d) + size_t(c0);
      const int32_t first = ink.image_start[size_t(n)], end = ink.image_start[size_t(n) + 1];
      std::copy(bias + c0, bias + c1, out);
      add_rows_f32(w + c0, ink.image_columns.data() + first, size_t(before[size_t(n)]), size_t(c1 - c0), out);
      int32_t k = first + before[size_t(n)];
      for (; k < end && ink.image_pixels[size_t(k)] < c1; ++k) {
        const float* column = w + ink.image_columns[size_t(k)];
        for (int i = ink.image_pixels[size_t(k)] + 1; i < c1; ++i) out[i - c0] += column[i];
      }
      before[size_t(n)] = k - first;
    }
  }
}

// dW_ij = Σ_{n: X_nj = 1} dA_ni for i > j into grad's packed columns, by the same chunks of rows
// i: a chunk of dA (B × 32 floats) stays in cache while every column j < c0 sums the rows of
// its ink images (add_rows_f32); the triangle inside the chunk is summed directly. da: (B, D)
// row-major.
void sparse_weight_gradient(const FvsbnModel& model, const BatchInk& ink, const RowMatrixXf& da, float* grad) {
  const int d = model.dim();
  for (int c0 = 0; c0 < d; c0 += kFvsbnChunk) {
    const int c1 = std::min(d, c0 + kFvsbnChunk);
    for (int j = 0; j < c0; ++j) {
      float* out = grad + column_base(model, j) + c0;
      std::fill(out, out + (c1 - c0), 0.0f);
      const int32_t first = ink.pixel_start[size_t(j)];
      add_rows_f32(da.data() + c0, ink.pixel_rows.data() + first, size_t(ink.pixel_start[size_t(j) + 1] - first),
                   size_t(c1 - c0), out);
    }
    for (int j = c0; j < c1; ++j) {
      float* column = grad + column_base(model, j);
      for (int i = j + 1; i < c1; ++i) {
        float sum = 0;
        for (int32_t k = ink.pixel_start[size_t(j)]; k < ink.pixel_start[size_t(j) + 1]; ++k)
          sum += da.data()[ink.pixel_rows[size_t(k)] + i];
        column[i] = sum;
      }
    }
  }
}

}  // namespace

void fvsbn_logits(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  Eigen::Ref<Eigen::MatrixXf> logits) {
  assert(logits.rows() == x.rows() && logits.cols() == model.dim());
  RowMatrixXf a;
  sparse_logits(model, batch_ink(model, x), a);
  logits = a;
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  Eigen::Ref<Eigen::VectorXf> grad) {
  assert(grad.size() == model.num_params());
  const BatchInk ink = batch_ink(model, x);
  const int d = model.dim();
  const Index n = x.rows();
  RowMatrixXf a;  // (B, D) logits, then dA
  sparse_logits(model, ink, a);
  // softplus(a) = max(a, 0) + log1p(e), σ(a) = 1/(1 + e) or e/(1 + e) with e = exp(−|a|): one
  // exp and one log1p per pixel, in float (the loss is summed in double).
  double loss = 0;
  const float inv_n = 1.0f / float(n);
  float* av = a.data();
  for (size_t k = 0; k < size_t(a.size()); ++k) {
    const float ak = av[k], xk = float(ink.pixels[k]);
    const float e = std::exp(-std::fabs(ak));
    loss += double(std::max(ak, 0.0f) + std::log1p(e)) - double(xk * ak);
    const float s = ak >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
    av[k] = (s - xk) * inv_n;  // dL/dA
  }
  float* g = grad.data();
  sparse_weight_gradient(model, ink, a, g);
  Eigen::Map<Eigen::VectorXf>(g + model.num_weights(), d) = a.colwise().sum().transpose();
  return loss / double(n);
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  const BatchInk ink = batch_ink(model, x);
  RowMatrixXf a;
  sparse_logits(model, ink, a);
  double loss = 0;
  const float* av = a.data();
  for (size_t k = 0; k < size_t(a.size()); ++k) loss += softplus(av[k]) - double(ink.pixels[k]) * av[k];
  return loss / double(x.rows());
}

// [SECTION] FVSBN trainer ------------------------------------------------------------------------

FvsbnTrainer::FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation)
    : SlicedPixelTrainer(train, options, validation, "an FVSBN") {
  model_ = FvsbnModel(train.rows, train.cols);
  model_.init_from_marginals(train, options.init_alpha);
  allocate_optimizer(model_.num_params());
}

double FvsbnTrainer::minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) {
  return fvsbn_loss(model_, x, grad);
}

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation,
                       std::vector<TrainEpochStats>* history) {
  FvsbnTrainer trainer(train, options, validation);
  run_to_end(trainer, history);
  return trainer.model();
}

}  // namespace implay
