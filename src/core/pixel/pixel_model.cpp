// pixel_model.cpp — the autoregressive pixel models of pixel_model.hpp: binarizing, counting
// (independent and context models), the FVSBN forward/backward pass, chain-rule evaluation,
// sampling and the four file formats. pixel_model_fvsbn.cpp holds the FVSBN trainer,
// pixel_model_nade.cpp the NADE model, its loss and trainer.
#include "core/pixel/pixel_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <fstream>
#include <utility>

#include "core/checked.hpp"
#include "core/error.hpp"
#include "core/data/idx.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/rng.hpp"
#include "core/pixel/train_kernels.hpp"

namespace implay {

using Eigen::Index;

// -------------------------------------------------------------------------------------------
// [binary images]

std::vector<uint8_t> binarize(std::span<const uint8_t> pixels, int threshold) {
  std::vector<uint8_t> out(pixels.size());
  for (size_t k = 0; k < pixels.size(); ++k) out[k] = pixels[k] >= threshold ? 1 : 0;
  return out;
}

BinaryImages binarize(const LabeledImages& images, int threshold) {
  BinaryImages out;
  out.count = images.count;
  out.rows = images.rows;
  out.cols = images.cols;
  out.pixels = binarize(std::span<const uint8_t>(images.pixels), threshold);
  return out;
}

BinaryImages binary_images_from_idx(const IdxArray& a, const std::string& source, int threshold) {
  if (a.dims.size() != 3 || a.dims[0] < 1 || a.dims[1] < 1 || a.dims[2] < 1) {
    std::string shape;
    for (int n : a.dims) {
      if (!shape.empty()) shape += 'x';
      shape += std::to_string(n);
    }
    throw Error(source + ": holds an IDX array of " + shape +
                "; expected images: 3 dimensions, N x rows x cols, each at least 1");
  }
  check_image_pixels(a.dims[1], a.dims[2], source);
  BinaryImages out;
  out.count = a.dims[0];
  out.rows = a.dims[1];
  out.cols = a.dims[2];
  // A file written with 0/1 pixels would binarize to blank images at 128.
  const bool already_binary = std::all_of(a.data.begin(), a.data.end(), [](uint8_t v) { return v <= 1; });
  out.pixels = already_binary ? a.data : binarize(a.data, threshold);
  return out;
}

// -------------------------------------------------------------------------------------------
// [interface]

const char* pixel_model_kind_name(PixelModelKind kind) {
  switch (kind) {
    case PixelModelKind::Independent: return "independent";
    case PixelModelKind::ContextCounts: return "context";
    case PixelModelKind::Fvsbn: return "fvsbn";
    case PixelModelKind::Nade: return "nade";
  }
  return "?";
}

void PixelModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  for (int i = 0; i < dim(); ++i) out[size_t(i)] = probability(image, i);
}

void PixelModel::draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const {
  assert(int(image.size()) == dim() && start >= 0);
  for (int i = start; i < dim(); ++i) image[size_t(i)] = draw(probability(image, i));
}

namespace {

void check_image(const PixelModel& model, std::span<const uint8_t> image) {
  if (int(image.size()) != model.dim())
    throw Error("image of " + std::to_string(image.size()) + " pixels for a " + std::to_string(model.rows()) + "x" +
                std::to_string(model.cols()) + " model (expected " + std::to_string(model.dim()) + ")");
}

void check_training_set(const BinaryImages& train, float alpha) {
  if (train.count < 1 || train.dim() < 1) throw Error("cannot count an empty training set");
  if (!(alpha >= 0)) throw Error("smoothing alpha = " + std::to_string(alpha) + " (must be >= 0)");
}

double smoothed(uint32_t n1, uint32_t n, float alpha) {  // (n1 + α) / (n + 2α); 1/2 when 0/0
  const double den = double(n) + 2.0 * alpha;
  return den > 0 ? (double(n1) + alpha) / den : 0.5;
}

}  // namespace

std::vector<double> conditional_map(const PixelModel& model, std::span<const uint8_t> image) {
  check_image(model, image);
  std::vector<double> out(static_cast<size_t>(model.dim()));
  model.conditionals(image, out);
  return out;
}

// -------------------------------------------------------------------------------------------
// [independent]

IndependentModel::IndependentModel(const BinaryImages& train, float alpha_) {
  check_training_set(train, alpha_);
  alpha = alpha_;
  rows_ = train.rows;
  cols_ = train.cols;
  total = uint32_t(train.count);
  ones.assign(static_cast<size_t>(train.dim()), 0u);
  for (int n = 0; n < train.count; ++n) {
    std::span<const uint8_t> x = train.image(n);
    for (size_t i = 0; i < x.size(); ++i) ones[i] += x[i];
  }
}

double IndependentModel::probability(std::span<const uint8_t>, int i) const {
  return smoothed(ones[size_t(i)], total, alpha);
}

// -------------------------------------------------------------------------------------------
// [context counts]

const char* context_neighbour_name(int k) {
  static const char* names[kMaxContextNeighbours] = {"W", "N", "NW", "NE", "WW", "NN", "NWW", "NNE", "NEE", "NNW", "WWW", "NNWW"};
  return k >= 0 && k < kMaxContextNeighbours ? names[k] : "?";
}

int ContextModel::context_of(std::span<const uint8_t> image, int i) const {
  const int r = i / cols_, c = i % cols_;
  int context = 0;
  for (int k = 0; k < options.neighbours; ++k) {
    const int rr = r + kContextTemplate[size_t(k)][0], cc = c + kContextTemplate[size_t(k)][1];
    if (rr < 0 || cc < 0 || cc >= cols_) continue;  // outside: 0 (rr ≤ r always)
    context |= int(image[size_t(rr * cols_ + cc)] != 0) << k;
  }
  return context;
}

ContextModel::ContextModel(const BinaryImages& train, const ContextOptions& options_) {
  if (options_.neighbours < 1 || options_.neighbours > kMaxContextNeighbours)
    throw Error("context template of " + std::to_string(options_.neighbours) + " neighbours (must be 1.." +
                std::to_string(kMaxContextNeighbours) + ")");
  check_training_set(train, options_.alpha);
  options = options_;
  rows_ = train.rows;
  cols_ = train.cols;
  const uint64_t cells = uint64_t(num_tables()) * uint64_t(num_contexts());
  if (cells > kMaxContextCells)
    throw Error("position-dependent context tables of " + std::to_string(train.rows) + "x" + std::to_string(train.cols) +
                " pixels x 2^" + std::to_string(options.neighbours) + " contexts: " + std::to_string(cells) +
                " cells, at most " + std::to_string(kMaxContextCells) + " (use fewer neighbours or smaller images)");
  ones.assign(cells, 0u);
  totals.assign(cells, 0u);
  add_counts(train, 1);
}

void ContextModel::add_counts(const BinaryImages& images, uint32_t weight) {
  if (images.count == 0) return;
  if (images.rows != rows_ || images.cols != cols_)
    throw Error("cannot add counts of " + std::to_string(images.rows) + "x" + std::to_string(images.cols) +
                " images to a model of " + std::to_string(rows_) + "x" + std::to_string(cols_));
  // Each image is copied into a zero border (2 rows above, 3 columns left, 2 right: the template's
  // reach), so a context is K loads at fixed offsets without bounds checks, the same index as
  // context_of(); K is a template argument so the loads unroll.
  constexpr int kTop = 2, kLeft = 3, kRight = 2;
  const int pw = cols_ + kLeft + kRight;  // padded row width
  std::vector<uint8_t> padded(size_t(rows_ + kTop) * size_t(pw), 0);  // (rows + 2, pw)
  std::array<int, kMaxContextNeighbours> delta{};  // neighbour k at padded offset p + delta[k]
  for (int k = 0; k < options.neighbours; ++k)
    delta[size_t(k)] = kContextTemplate[size_t(k)][0] * pw + kContextTemplate[size_t(k)][1];
  const size_t table_stride = options.position_dependent ? size_t(num_contexts()) : 0;
  auto count_image = [&]<int K>(std::integral_constant<int, K>) {
    for (int r = 0; r < rows_; ++r) {
      const uint8_t* row = padded.data() + (r + kTop) * pw + kLeft;
      for (int c = 0; c < cols_; ++c) {
        uint32_t context = 0;
        for (int k = 0; k < K; ++k) context |= uint32_t(row[c + delta[size_t(k)]]) << k;
        const size_t cell = size_t(r * cols_ + c) * table_stride + context;
        ones[cell] += weight * row[c];
        totals[cell] += weight;
      }
    }
  };
  for (int n = 0; n < images.count; ++n) {
    std::span<const uint8_t> x = images.image(n);
    for (int r = 0; r < rows_; ++r)
      for (int c = 0; c < cols_; ++c) padded[size_t((r + kTop) * pw + c + kLeft)] = x[size_t(r * cols_ + c)] != 0;
    [&]<int... K>(std::integer_sequence<int, K...>) {
      ((options.neighbours == K + 1 ? count_image(std::integral_constant<int, K + 1>{}) : void()), ...);
    }(std::make_integer_sequence<int, kMaxContextNeighbours>{});
  }
}

void ContextModel::aggregate_counts(int k, std::vector<uint32_t>& ones_out, std::vector<uint32_t>& totals_out) const {
  if (k < 1 || k > options.neighbours)
    throw Error("aggregation to " + std::to_string(k) + " neighbours (must be 1.." + std::to_string(options.neighbours) + ")");
  const size_t small = size_t(1) << k, big = size_t(num_contexts());
  ones_out.assign(size_t(num_tables()) * small, 0u);
  totals_out.assign(size_t(num_tables()) * small, 0u);
  for (size_t t = 0; t < size_t(num_tables()); ++t)
    for (size_t c = 0; c < big; ++c) {
      ones_out[t * small + (c & (small - 1))] += ones[t * big + c];
      totals_out[t * small + (c & (small - 1))] += totals[t * big + c];
    }
}

double ContextModel::probability(std::span<const uint8_t> image, int i) const {
  const int t = options.position_dependent ? i : 0;
  const int c = context_of(image, i);
  return smoothed(count_ones(t, c), count_total(t, c), options.alpha);
}

// -------------------------------------------------------------------------------------------
// [fvsbn]

namespace {
double sigmoid(double a) { return a >= 0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a)); }
double softplus(double a) { return a > 0 ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a)); }
}  // namespace

uint64_t fvsbn_param_count(uint64_t d) { return d * (d - 1) / 2 + d; }
uint64_t nade_param_count(uint64_t d, uint64_t hidden) { return 2 * hidden * d + hidden + d; }

void check_model_params(uint64_t params, const std::string& model, const std::string& shape) {
  if (params > uint64_t(kMaxModelParams))
    throw Error(model + " of " + shape + " would need " + std::to_string(params) + " parameters; at most " +
                std::to_string(kMaxModelParams) + " are accepted (an FVSBN up to about 76x76 pixels, MNIST's 28x28 "
                "needs 307,720)");
}

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

void fvsbn_logits(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::MatrixXf> logits) {
  assert(logits.rows() == x.rows() && logits.cols() == model.dim());
  RowMatrixXf a;
  sparse_logits(model, batch_ink(model, x), a);
  logits = a;
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> grad) {
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

// -------------------------------------------------------------------------------------------
// [evaluation]

namespace {
double nll_term(double p, uint8_t x) {  // −log p(x_i | x_<i)
  return -std::log(x ? p : 1.0 - p);
}
}  // namespace

std::vector<double> surprise_map(const PixelModel& model, std::span<const uint8_t> image) {
  std::vector<double> out = conditional_map(model, image);
  for (size_t i = 0; i < out.size(); ++i) out[i] = nll_term(out[i], image[i]);
  return out;
}

LogLikelihood log_likelihood(const PixelModel& model, std::span<const uint8_t> image) {
  double nll = 0;
  for (double s : surprise_map(model, image)) nll += s;
  return {-nll, nll / std::log(2.0) / double(model.dim())};
}

double mean_nll(const PixelModel& model, const BinaryImages& images, int first, int count) {
  if (images.dim() != model.dim())
    throw Error("images of " + std::to_string(images.rows) + "x" + std::to_string(images.cols) + " for a " +
                std::to_string(model.rows()) + "x" + std::to_string(model.cols()) + " model");
  if (first < 0 || first > images.count) throw Error("first image " + std::to_string(first) + " outside the set");
  if (count < 0 || first + count > images.count) count = images.count - first;
  if (count == 0) return 0;
  double sum = 0;
  const bool batched = model.kind() == PixelModelKind::Fvsbn || model.kind() == PixelModelKind::Nade;
  if (batched) {  // the loss kernels: sums of ink columns (FVSBN), B images per weight column (NADE)
    constexpr int kBlock = 256;
    for (int s = first; s < first + count; s += kBlock) {
      const int b = std::min(kBlock, first + count - s);
      Eigen::MatrixXf x(b, model.dim());
      for (int r = 0; r < b; ++r) {
        std::span<const uint8_t> img = images.image(s + r);
        for (int j = 0; j < model.dim(); ++j) x(r, j) = img[size_t(j)];
      }
      const double loss = model.kind() == PixelModelKind::Fvsbn ? fvsbn_loss(static_cast<const FvsbnModel&>(model), x)
                                                                : nade_loss(static_cast<const NadeModel&>(model), x);
      sum += loss * b;
    }
  } else {
    for (int n = first; n < first + count; ++n) sum -= log_likelihood(model, images.image(n)).nats;
  }
  return sum / count;
}

// -------------------------------------------------------------------------------------------
// [sampling]

std::vector<uint8_t> sample_completions(const PixelModel& model, std::span<const uint8_t> prefix, int start,
                                        const SampleOptions& options) {
  check_image(model, prefix);
  const int d = model.dim();
  if (start < 0 || start > d) throw Error("start pixel " + std::to_string(start) + " outside 0.." + std::to_string(d));
  if (options.count < 1) throw Error("sample count " + std::to_string(options.count) + " (must be >= 1)");
  std::vector<uint8_t> out(size_t(options.count) * size_t(d));
  Rng rng(options.seed);
  const PixelDraw draw = [&rng, t = options.temperature](double p) -> uint8_t {
    const double u = rng.uniform();
    if (t <= 0) return p > 0.5 ? 1 : 0;
    if (t == 1.0f) return u < p ? 1 : 0;
    const double pc = std::clamp(p, 1e-300, 1 - 1e-16);
    const double logit = std::log(pc) - std::log1p(-pc);
    return u < sigmoid(logit / t) ? 1 : 0;
  };
  for (int k = 0; k < options.count; ++k) {
    std::span<uint8_t> x(out.data() + size_t(k) * size_t(d), size_t(d));
    std::copy(prefix.begin(), prefix.begin() + start, x.begin());
    model.draw_pixels(x, start, draw);
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// [save/load]

namespace {

constexpr char kMagicIndependent[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'I', 'B'};
constexpr char kMagicContext[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'C', 'X'};
constexpr char kMagicFvsbn[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'F', 'V'};
constexpr char kMagicNade[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'N', 'A'};
constexpr uint32_t kMaxSide = 4096;

struct Writer {
  std::vector<uint8_t> out;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void u32(uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(uint8_t(v >> (8 * k)));
  }
  void f32(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    u32(bits);
  }
};

struct Reader {
  std::span<const uint8_t> in;
  const std::string& source;
  const char* what;
  size_t pos = 0;
  void need(size_t n) {
    if (in.size() - pos < n)
      throw Error(source + ": truncated " + what + " file (" + std::to_string(in.size()) + " bytes, needs at least " +
                  std::to_string(pos + n) + ")");
  }
  uint32_t u32() {
    need(4);
    const uint8_t* p = in.data() + pos;
    pos += 4;
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
  }
  float f32() {
    const uint32_t bits = u32();
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  void end() {
    if (pos != in.size())
      throw Error(source + ": " + std::to_string(in.size() - pos) + " unexpected bytes after the " + what + " data");
  }
};

// A loaded model with a NaN or an infinity would give NaN probabilities everywhere.
void check_finite_params(const Eigen::VectorXf& params, const std::string& source, const char* what) {
  for (Index k = 0; k < params.size(); ++k)
    if (!std::isfinite(params[k]))
      throw Error(source + ": " + what + " parameter " + std::to_string(k) + " is " +
                  (std::isnan(params[k]) ? "NaN" : "infinite") + " (a diverged training run?); refusing the model");
}

void write_header(Writer& w, const char* magic, const PixelModel& m) {
  w.bytes(magic, 8);
  w.u32(kPixelModelVersion);
  w.u32(uint32_t(m.rows()));
  w.u32(uint32_t(m.cols()));
}

std::string printable(std::span<const uint8_t> bytes) {
  std::string s = "\"";
  for (uint8_t b : bytes) {
    if (b >= 32 && b < 127) {
      s += char(b);
    } else {
      static const char* hex = "0123456789abcdef";
      s += "\\x";
      s += hex[b >> 4];
      s += hex[b & 15];
    }
  }
  return s + "\"";
}

}  // namespace

std::vector<uint8_t> serialize_pixel_model(const PixelModel& model) {
  Writer w;
  switch (model.kind()) {
    case PixelModelKind::Independent: {
      const auto& m = static_cast<const IndependentModel&>(model);
      write_header(w, kMagicIndependent, m);
      w.f32(m.alpha);
      w.u32(m.total);
      for (uint32_t v : m.ones) w.u32(v);
      break;
    }
    case PixelModelKind::ContextCounts: {
      const auto& m = static_cast<const ContextModel&>(model);
      write_header(w, kMagicContext, m);
      w.u32(uint32_t(m.options.neighbours));
      w.u32(m.options.position_dependent ? 1u : 0u);
      w.f32(m.options.alpha);
      for (uint32_t v : m.ones) w.u32(v);
      for (uint32_t v : m.totals) w.u32(v);
      break;
    }
    case PixelModelKind::Fvsbn: {
      const auto& m = static_cast<const FvsbnModel&>(model);
      write_header(w, kMagicFvsbn, m);
      for (int i = 1; i < m.dim(); ++i)  // W row by row (memory: by column)
        for (int j = 0; j < i; ++j) w.f32(m.weight(i, j));
      for (Index k = m.num_weights(); k < m.params.size(); ++k) w.f32(m.params[k]);
      break;
    }
    case PixelModelKind::Nade: {
      const auto& m = static_cast<const NadeModel&>(model);
      write_header(w, kMagicNade, m);
      w.u32(uint32_t(m.hidden()));
      for (Index k = 0; k < m.params.size(); ++k) w.f32(m.params[k]);
      break;
    }
  }
  return std::move(w.out);
}

std::unique_ptr<PixelModel> parse_pixel_model(std::span<const uint8_t> bytes, const std::string& source) {
  const char* what = "pixel model";
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicIndependent, 8) == 0) what = "independent pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicContext, 8) == 0) what = "context pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicFvsbn, 8) == 0) what = "FVSBN pixel model";
  else if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicNade, 8) == 0) what = "NADE pixel model";
  else if (bytes.size() < 8 && (bytes.empty() || std::memcmp(bytes.data(), kMagicFvsbn, std::min<size_t>(6, bytes.size())) == 0))
    throw Error(source + ": truncated pixel model file (" + std::to_string(bytes.size()) + " bytes)");
  else
    throw Error(source + ": not a pixel model file (wrong magic number " +
                printable(bytes.first(std::min<size_t>(8, bytes.size()))) +
                ", expected \"IMPLAYIB\", \"IMPLAYCX\", \"IMPLAYFV\" or \"IMPLAYNA\")");
  Reader r{bytes, source, what, 8};
  const uint32_t version = r.u32();
  if (version != kPixelModelVersion)
    throw Error(source + ": " + what + " file version " + std::to_string(version) + " is not supported (this build reads " +
                std::to_string(kPixelModelVersion) + ")");
  const uint32_t rows = r.u32(), cols = r.u32();
  if (rows < 1 || rows > kMaxSide || cols < 1 || cols > kMaxSide)
    throw Error(source + ": implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) + " (each 1.." +
                std::to_string(kMaxSide) + ")");
  const size_t d = size_t(rows) * cols;  // ≤ 4096², no overflow
  auto read_counts = [&](std::vector<uint32_t>& v, size_t n) {
    r.need(checked_mul(4, n, source + ": count table"));
    v.resize(n);
    for (auto& c : v) c = r.u32();
  };
  auto check_alpha = [&](float a) {
    if (!(a >= 0) || !std::isfinite(a)) throw Error(source + ": smoothing alpha = " + std::to_string(a) + " (must be >= 0)");
  };
  std::unique_ptr<PixelModel> result;
  if (what[0] == 'i') {
    auto m = std::make_unique<IndependentModel>();
    m->rows_ = int(rows);
    m->cols_ = int(cols);
    m->alpha = r.f32();
    check_alpha(m->alpha);
    m->total = r.u32();
    read_counts(m->ones, d);
    for (size_t i = 0; i < d; ++i)
      if (m->ones[i] > m->total)
        throw Error(source + ": count n1 = " + std::to_string(m->ones[i]) + " of pixel " + std::to_string(i) +
                    " exceeds n = " + std::to_string(m->total));
    result = std::move(m);
  } else if (what[0] == 'c') {
    auto m = std::make_unique<ContextModel>();
    m->rows_ = int(rows);
    m->cols_ = int(cols);
    const uint32_t k = r.u32(), pos = r.u32();
    if (k < 1 || k > uint32_t(kMaxContextNeighbours))
      throw Error(source + ": context template of " + std::to_string(k) + " neighbours (must be 1..12)");
    if (pos > 1) throw Error(source + ": position_dependent flag " + std::to_string(pos) + " (must be 0 or 1)");
    m->options.neighbours = int(k);
    m->options.position_dependent = pos == 1;
    m->options.alpha = r.f32();
    check_alpha(m->options.alpha);
    const uint64_t cells = uint64_t(m->num_tables()) << k;
    if (cells > kMaxContextCells)
      throw Error(source + ": context tables of " + std::to_string(cells) + " cells; at most " +
                  std::to_string(kMaxContextCells) + " are accepted");
    read_counts(m->ones, cells);
    read_counts(m->totals, cells);
    for (size_t c = 0; c < cells; ++c)
      if (m->ones[c] > m->totals[c])
        throw Error(source + ": count n1 = " + std::to_string(m->ones[c]) + " of cell " + std::to_string(c) +
                    " exceeds n = " + std::to_string(m->totals[c]));
    result = std::move(m);
  } else if (what[0] == 'F') {
    // Sizes checked against the cap and the bytes present before the model is allocated.
    const uint64_t p = fvsbn_param_count(d);
    check_model_params(p, source + ": FVSBN", std::to_string(rows) + "x" + std::to_string(cols) + " pixels");
    r.need(size_t(4 * p));
    auto m = std::make_unique<FvsbnModel>(int(rows), int(cols));
    for (int i = 1; i < m->dim(); ++i)  // W row by row into memory's columns
      for (int j = 0; j < i; ++j) m->params[m->weight_column_offset(j) + (i - j - 1)] = r.f32();
    for (Index k = m->num_weights(); k < m->params.size(); ++k) m->params[k] = r.f32();
    check_finite_params(m->params, source, what);
    result = std::move(m);
  } else {
    const uint32_t hidden = r.u32();
    if (hidden < 1 || hidden > uint32_t(kMaxNadeHidden))
      throw Error(source + ": NADE of " + std::to_string(hidden) + " hidden units (must be 1.." +
                  std::to_string(kMaxNadeHidden) + ")");
    const uint64_t p = nade_param_count(d, hidden);
    check_model_params(p, source + ": NADE", std::to_string(rows) + "x" + std::to_string(cols) + " pixels and " +
                                                 std::to_string(hidden) + " hidden units");
    r.need(size_t(4 * p));
    auto m = std::make_unique<NadeModel>(int(rows), int(cols), int(hidden));
    for (Index k = 0; k < m->params.size(); ++k) m->params[k] = r.f32();
    check_finite_params(m->params, source, what);
    result = std::move(m);
  }
  r.end();
  return result;
}

void save_pixel_model(const PixelModel& model, const std::string& path) {
  write_file_bytes(path, serialize_pixel_model(model));  // idx.hpp: errors name the path
}

std::unique_ptr<PixelModel> load_pixel_model(const std::string& path) {
  return parse_pixel_model(read_file_bytes(path), path);
}

}  // namespace implay
