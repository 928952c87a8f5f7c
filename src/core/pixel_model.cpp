// pixel_model.cpp — the autoregressive pixel models of pixel_model.hpp: binarizing, counting
// (independent and context models), the FVSBN forward/backward pass, chain-rule evaluation,
// sampling and the three file formats. pixel_model_fvsbn.cpp holds the FVSBN trainer.
#include "core/pixel_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "core/rng.hpp"

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

// -------------------------------------------------------------------------------------------
// [interface]

const char* pixel_model_kind_name(PixelModelKind kind) {
  switch (kind) {
    case PixelModelKind::Independent: return "independent";
    case PixelModelKind::ContextCounts: return "context";
    case PixelModelKind::Fvsbn: return "fvsbn";
  }
  return "?";
}

void PixelModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  for (int i = 0; i < dim(); ++i) out[size_t(i)] = probability(image, i);
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
  const size_t cells = size_t(num_tables()) * size_t(num_contexts());
  ones.assign(cells, 0u);
  totals.assign(cells, 0u);
  const int d = dim();
  for (int n = 0; n < train.count; ++n) {
    std::span<const uint8_t> x = train.image(n);
    for (int i = 0; i < d; ++i) {
      const size_t cell = size_t(options.position_dependent ? i : 0) * size_t(num_contexts()) + size_t(context_of(x, i));
      ones[cell] += x[size_t(i)];
      totals[cell] += 1;
    }
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

FvsbnModel::FvsbnModel(int rows, int cols) {
  if (rows < 1 || cols < 1)
    throw Error("FVSBN of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels (both must be >= 1)");
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
  const float* w = params.data() + weight_offset(i);
  float a = bias()[i];
  for (int j = 0; j < i; ++j) a += image[size_t(j)] ? w[j] : 0.0f;
  return sigmoid(a);
}

void FvsbnModel::conditionals(std::span<const uint8_t> image, std::span<double> out) const {
  assert(int(image.size()) == dim() && int(out.size()) == dim());
  Eigen::VectorXf x(dim());
  for (int j = 0; j < dim(); ++j) x[j] = image[size_t(j)] ? 1.0f : 0.0f;
  const float* b = params.data() + num_weights();
  for (int i = 0; i < dim(); ++i) out[size_t(i)] = sigmoid(b[i] + weight_row(i).dot(x.head(i)));
}

void fvsbn_logits_reference(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                             Eigen::Ref<Eigen::MatrixXf> logits) {
  const int d = model.dim();
  assert(x.cols() == d && logits.rows() == x.rows() && logits.cols() == d);
  const float* b = model.params.data() + model.num_weights();
  logits.col(0).setConstant(b[0]);
  // Column i of A uses only the first i columns of X: the triangle costs B·D(D−1)/2 MACs.
  for (int i = 1; i < d; ++i) logits.col(i).noalias() = x.leftCols(i) * model.weight_row(i);
  for (int i = 1; i < d; ++i) logits.col(i).array() += b[i];
}

namespace {
constexpr int kFvsbnBlock = 32;  // output pixels per GEMM block
}  // namespace

void fvsbn_logits(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::MatrixXf> logits) {
  const int d = model.dim();
  assert(x.cols() == d && logits.rows() == x.rows() && logits.cols() == d);
  // Blocks of kFvsbnBlock output pixels [r0, r1): the rectangle j < r0 is one GEMM with the
  // block's rows of W copied to a dense (nb, r0) matrix (a copy of P floats per batch, 1/B of
  // the MACs); the small triangle r0 ≤ j < i stays a GEMV per pixel.
  RowMatrixXf w_block;
  for (int r0 = 0; r0 < d; r0 += kFvsbnBlock) {
    const int r1 = std::min(d, r0 + kFvsbnBlock), nb = r1 - r0;
    if (r0 > 0) {
      w_block.resize(nb, r0);
      for (int i = r0; i < r1; ++i) w_block.row(i - r0) = model.weight_row(i).head(r0).transpose();
      logits.middleCols(r0, nb).noalias() = x.leftCols(r0) * w_block.transpose();
    } else {
      logits.middleCols(r0, nb).setZero();
    }
    for (int i = r0 + 1; i < r1; ++i)
      logits.col(i).noalias() += x.middleCols(r0, i - r0) * model.weight_row(i).tail(i - r0);
  }
  logits.rowwise() += model.bias().transpose();
}

namespace {
void check_batch(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  if (x.cols() != model.dim())
    throw Error("FVSBN batch of " + std::to_string(x.cols()) + " pixels per image (expected " +
                std::to_string(model.dim()) + ")");
}
}  // namespace

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Ref<Eigen::VectorXf> grad) {
  check_batch(model, x);
  assert(grad.size() == model.num_params());
  const int d = model.dim();
  const Index n = x.rows();
  Eigen::MatrixXf a(n, d);  // (B, D) logits, then dA
  fvsbn_logits(model, x, a);
  double loss = 0;
  const float inv_n = 1.0f / float(n);
  for (Index i = 0; i < d; ++i)
    for (Index r = 0; r < n; ++r) {
      const float ai = a(r, i), xi = x(r, i);
      loss += softplus(ai) - double(xi) * ai;
      a(r, i) = (float(sigmoid(ai)) - xi) * inv_n;  // dL/dA
    }
  float* g = grad.data();
  // dW block (nb, r0) = dA[:, r0:r1]ᵀ X[:, :r0] as one GEMM, scattered into the packed rows;
  // the triangle inside the block by GEMV, as in fvsbn_logits().
  RowMatrixXf g_block;
  for (int r0 = 0; r0 < d; r0 += kFvsbnBlock) {
    const int r1 = std::min(d, r0 + kFvsbnBlock), nb = r1 - r0;
    if (r0 > 0) {
      g_block.resize(nb, r0);
      g_block.noalias() = a.middleCols(r0, nb).transpose() * x.leftCols(r0);
      for (int i = r0; i < r1; ++i)
        Eigen::Map<Eigen::VectorXf>(g + FvsbnModel::weight_offset(i), r0) = g_block.row(i - r0).transpose();
    }
    for (int i = std::max(r0, 1); i < r1; ++i)
      Eigen::Map<Eigen::VectorXf>(g + FvsbnModel::weight_offset(i) + r0, i - r0).noalias() =
          x.middleCols(r0, i - r0).transpose() * a.col(i);
  }
  Eigen::Map<Eigen::VectorXf>(g + model.num_weights(), d) = a.colwise().sum().transpose();
  return loss / double(n);
}

double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x) {
  check_batch(model, x);
  Eigen::MatrixXf a(x.rows(), model.dim());
  fvsbn_logits(model, x, a);
  double loss = 0;
  for (Index i = 0; i < a.cols(); ++i)
    for (Index r = 0; r < a.rows(); ++r) loss += softplus(a(r, i)) - double(x(r, i)) * a(r, i);
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
  if (model.kind() == PixelModelKind::Fvsbn) {  // batched: GEMV blocks instead of D dot products
    const auto& fv = static_cast<const FvsbnModel&>(model);
    constexpr int kBlock = 256;
    for (int s = first; s < first + count; s += kBlock) {
      const int b = std::min(kBlock, first + count - s);
      Eigen::MatrixXf x(b, model.dim());
      for (int r = 0; r < b; ++r) {
        std::span<const uint8_t> img = images.image(s + r);
        for (int j = 0; j < model.dim(); ++j) x(r, j) = img[size_t(j)];
      }
      sum += fvsbn_loss(fv, x) * b;
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
  for (int k = 0; k < options.count; ++k) {
    std::span<uint8_t> x(out.data() + size_t(k) * size_t(d), size_t(d));
    std::copy(prefix.begin(), prefix.begin() + start, x.begin());
    for (int i = start; i < d; ++i) {
      const double p = model.probability(x, i);
      const double u = rng.uniform();
      if (options.temperature <= 0) {
        x[size_t(i)] = p > 0.5 ? 1 : 0;
      } else if (options.temperature == 1.0f) {
        x[size_t(i)] = u < p ? 1 : 0;
      } else {
        const double pc = std::clamp(p, 1e-300, 1 - 1e-16);
        const double logit = std::log(pc) - std::log1p(-pc);
        x[size_t(i)] = u < sigmoid(logit / options.temperature) ? 1 : 0;
      }
    }
  }
  return out;
}

// -------------------------------------------------------------------------------------------
// [save/load]

namespace {

constexpr char kMagicIndependent[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'I', 'B'};
constexpr char kMagicContext[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'C', 'X'};
constexpr char kMagicFvsbn[8] = {'I', 'M', 'P', 'L', 'A', 'Y', 'F', 'V'};
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
  else if (bytes.size() < 8 && (bytes.empty() || std::memcmp(bytes.data(), kMagicFvsbn, std::min<size_t>(6, bytes.size())) == 0))
    throw Error(source + ": truncated pixel model file (" + std::to_string(bytes.size()) + " bytes)");
  else
    throw Error(source + ": not a pixel model file (wrong magic number " +
                printable(bytes.first(std::min<size_t>(8, bytes.size()))) +
                ", expected \"IMPLAYIB\", \"IMPLAYCX\" or \"IMPLAYFV\")");
  Reader r{bytes, source, what, 8};
  const uint32_t version = r.u32();
  if (version != kPixelModelVersion)
    throw Error(source + ": " + what + " file version " + std::to_string(version) + " is not supported (this build reads " +
                std::to_string(kPixelModelVersion) + ")");
  const uint32_t rows = r.u32(), cols = r.u32();
  if (rows < 1 || rows > kMaxSide || cols < 1 || cols > kMaxSide)
    throw Error(source + ": implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) + " (each 1.." +
                std::to_string(kMaxSide) + ")");
  const size_t d = size_t(rows) * cols;
  auto read_counts = [&](std::vector<uint32_t>& v, size_t n) {
    r.need(4 * n);
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
    const size_t cells = size_t(m->num_tables()) << k;
    read_counts(m->ones, cells);
    read_counts(m->totals, cells);
    for (size_t c = 0; c < cells; ++c)
      if (m->ones[c] > m->totals[c])
        throw Error(source + ": count n1 = " + std::to_string(m->ones[c]) + " of cell " + std::to_string(c) +
                    " exceeds n = " + std::to_string(m->totals[c]));
    result = std::move(m);
  } else {
    auto m = std::make_unique<FvsbnModel>(int(rows), int(cols));
    r.need(4 * size_t(m->num_params()));
    for (Index k = 0; k < m->params.size(); ++k) m->params[k] = r.f32();
    result = std::move(m);
  }
  r.end();
  return result;
}

void save_pixel_model(const PixelModel& model, const std::string& path) {
  const std::vector<uint8_t> bytes = serialize_pixel_model(model);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(path + ": cannot open for writing");
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  out.close();
  if (!out) throw Error(path + ": write error");
}

std::unique_ptr<PixelModel> load_pixel_model(const std::string& path) {
  return parse_pixel_model(read_file_bytes(path), path);
}

}  // namespace implay
