// pixel_model.hpp — autoregressive models of binarized images (the "Sketch model lab"): every
// model gives p(x_i = 1 | x_<i) for pixel i in raster order, so the exact log-likelihood is the
// chain rule log p(x) = Σ_i log p(x_i | x_<i) and sampling draws pixels one by one. Four models:
// independent Bernoulli (counts), context counts (a causal template of 1..12 neighbours, JBIG-like),
// FVSBN (logistic regression on all previous pixels, pixel_model_fvsbn.hpp trains it) and NADE
// (a shared hidden layer, pixel_model_nade.hpp). Implemented in pixel_model.cpp (what they share),
// pixel_model_counts.cpp, pixel_model_fvsbn.cpp, pixel_model_nade.cpp and pixel_model_io.cpp.
//
// Index: [binary images] [interface] [independent] [context counts] [fvsbn] [evaluation]
//        [sampling] [save/load]
#pragma once
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/data/idx.hpp"
#include "core/matrix.hpp"

namespace implay {

// [SECTION] binary images ------------------------------------------------------------------------

// Images with 0/1 pixels, raster order (row by row, left to right).
struct BinaryImages {
  int count = 0;                // N
  int rows = 0, cols = 0;       // 28 x 28 for MNIST
  std::vector<uint8_t> pixels;  // (N, rows * cols) row-major, each 0 or 1

  int dim() const { return rows * cols; }
  std::span<const uint8_t> image(int i) const { return {pixels.data() + size_t(i) * size_t(dim()), size_t(dim())}; }
};

// pixel ≥ threshold → 1, else 0 (MNIST: 128). pixels: (N, D) uint8 → (N, D) 0/1.
BinaryImages binarize(const LabeledImages& images, int threshold = 128);
std::vector<uint8_t> binarize(std::span<const uint8_t> pixels, int threshold = 128);

// An IDX images array (N ≥ 1, rows, cols; at most kMaxImagePixels a picture) as binary images:
// pixels already 0/1 (a file of binary images) are kept, others binarized at `threshold`.
// Throws implay::Error naming `source` for another shape.
BinaryImages binary_images_from_idx(const IdxArray& array, const std::string& source, int threshold = 128);

// [SECTION] interface ----------------------------------------------------------------------------

enum class PixelModelKind { Independent, ContextCounts, Fvsbn, Nade };
const char* pixel_model_kind_name(PixelModelKind kind);  // "independent", "context", "fvsbn", "nade"

// Draws one pixel value (0 or 1) from its conditional p(x_i = 1 | x_<i).
using PixelDraw = std::function<uint8_t(double p)>;

// The one interface the lab, the evaluation and the sampler use.
class PixelModel {
 public:
  virtual ~PixelModel() = default;
  virtual PixelModelKind kind() const = 0;
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  int dim() const { return rows() * cols(); }  // D

  // p(x_i = 1 | x_<i) with x_<i read from image (D) 0/1; pixels i.. of image are not read.
  // Strictly inside (0, 1) for α > 0 (counts) and finite parameters (FVSBN, up to float range).
  virtual double probability(std::span<const uint8_t> image, int i) const = 0;
  // All D conditionals of one image at once: out (D), out[i] = p(x_i = 1 | x_<i of image).
  // The default calls probability() D times; models override it when a batch form is faster.
  virtual void conditionals(std::span<const uint8_t> image, std::span<double> out) const;
  // Fills pixels start..D−1 of image (D) in raster order, pixel i = draw(p(x_i = 1 | x_<i)) given
  // the pixels already there or drawn. The default calls probability() per pixel; NADE overrides
  // it to carry its hidden state along (O(HD) per image instead of O(HD²)).
  virtual void draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const;
};

// A model's conditional map, as a new vector (D). Throws implay::Error when image has not D pixels.
std::vector<double> conditional_map(const PixelModel& model, std::span<const uint8_t> image);

// [SECTION] independent --------------------------------------------------------------------------

// Baseline: p(x_i = 1) = (n1_i + α) / (n + 2α), ignoring all other pixels.
class IndependentModel final : public PixelModel {
 public:
  IndependentModel() = default;
  // Counts the training images (one pass). Throws implay::Error for α < 0 or an empty set.
  explicit IndependentModel(const BinaryImages& train, float alpha = 1.0f);

  PixelModelKind kind() const override { return PixelModelKind::Independent; }
  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  double probability(std::span<const uint8_t> image, int i) const override;

  float alpha = 1.0f;          // additive smoothing (1 = Laplace)
  uint32_t total = 0;          // n, images counted
  std::vector<uint32_t> ones;  // (D) n1_i, images with pixel i = 1

  int rows_ = 0, cols_ = 0;
};

// [SECTION] context counts -----------------------------------------------------------------------

// The causal template, nearest first (JBIG-like), as (row offset, column offset): all strictly
// before the pixel in raster order. A template of K neighbours uses the first K of:
//   bit 0 W (0,−1)   bit 1 N (−1,0)   bit 2 NW (−1,−1)  bit 3 NE (−1,+1)  bit 4 WW (0,−2)
//   bit 5 NN (−2,0)  bit 6 NWW (−1,−2) bit 7 NNE (−2,+1) bit 8 NEE (−1,+2) bit 9 NNW (−2,−1)
//   bit 10 WWW (0,−3) bit 11 NNWW (−2,−2)
// The context index is Σ_k x(neighbour k) · 2^k; neighbours outside the image count as 0.
inline constexpr int kMaxContextNeighbours = 12;
inline constexpr std::array<std::array<int, 2>, kMaxContextNeighbours> kContextTemplate = {
    {{0, -1}, {-1, 0}, {-1, -1}, {-1, 1}, {0, -2}, {-2, 0}, {-1, -2}, {-2, 1}, {-1, 2}, {-2, -1}, {0, -3}, {-2, -2}}};
const char* context_neighbour_name(int k);  // "W", "N", ... for k in 0..11

// Mean test −log p(x) in nats on binarized MNIST (trained on all 60 000, α = 1): K = 4: 96.89,
// K = 8: 88.18, K = 10: 83.30, K = 12: 82.06; position-dependent: 85.54, 77.67, 74.53, 73.92
// (independent baseline: 205.85).
struct ContextOptions {
  int neighbours = 10;              // K, 1..12 template pixels (2^K contexts)
  float alpha = 1.0f;               // additive smoothing: p = (n1 + α) / (n + 2α), α = 1 Laplace
  bool position_dependent = false;  // a separate count table per pixel position (D · 2^K cells)
};

// p(x_i = 1 | context) = (n1[t, c] + α) / (n[t, c] + 2α), t = i (position-dependent) or 0.
class ContextModel final : public PixelModel {
 public:
  ContextModel() = default;
  // One pass of counting over train. Throws implay::Error for K outside 1..12, α < 0, an empty set.
  ContextModel(const BinaryImages& train, const ContextOptions& options);

  PixelModelKind kind() const override { return PixelModelKind::ContextCounts; }
  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  double probability(std::span<const uint8_t> image, int i) const override;

  // Counts `images` into the tables, each image `weight` times: the model then equals one counted
  // on the union with every such image repeated (the lab mixes your sketches into MNIST this way).
  // Throws implay::Error for images of another size.
  void add_counts(const BinaryImages& images, uint32_t weight);

  int num_contexts() const { return 1 << options.neighbours; }  // 2^K
  int num_tables() const { return options.position_dependent ? rows_ * cols_ : 1; }
  // The context index of pixel i of image (its neighbours' bits), 0..2^K−1.
  int context_of(std::span<const uint8_t> image, int i) const;
  // Raw counts of (table t, context c), for the lab's aggregation tree.
  uint32_t count_ones(int table, int context) const {
    return ones[size_t(table) * size_t(num_contexts()) + size_t(context)];
  }
  uint32_t count_total(int table, int context) const {
    return totals[size_t(table) * size_t(num_contexts()) + size_t(context)];
  }

  // The counts of the shorter template of the first k (1..K) neighbours, summed over the dropped
  // bits: exactly what a k-neighbour model counts, since the templates are nested (the lab's
  // aggregation tree: context c of k bits splits into c and c + 2^k of k + 1 bits).
  // ones_out, totals_out: resized to (T, 2^k). Throws implay::Error for k outside 1..K.
  void aggregate_counts(int k, std::vector<uint32_t>& ones_out, std::vector<uint32_t>& totals_out) const;

  ContextOptions options;
  std::vector<uint32_t> ones;    // (T, 2^K) n1: times pixel = 1 in that context
  std::vector<uint32_t> totals;  // (T, 2^K) n: times the context occurred

  int rows_ = 0, cols_ = 0;
};

// [SECTION] fvsbn --------------------------------------------------------------------------------

// The most parameters an FVSBN or a NADE may have, in memory or in a file: 16.8 M floats
// (64 MB; a trainer holds four times that with the gradient and Adam's moments). An FVSBN has
// D(D−1)/2 + D, so about 76 × 76 pixels at most; MNIST's 28 × 28 needs 307 720.
inline constexpr int64_t kMaxModelParams = int64_t(1) << 24;
// The most cells (T · 2^K) of a context model's tables.
inline constexpr uint64_t kMaxContextCells = uint64_t(1) << 24;
uint64_t fvsbn_param_count(uint64_t d);                  // D(D−1)/2 + D
uint64_t nade_param_count(uint64_t d, uint64_t hidden);  // 2HD + H + D
// Throws implay::Error "<model> of <shape> would need P parameters; at most ..." past the cap.
void check_model_params(uint64_t params, const std::string& model, const std::string& shape);

// Fully visible sigmoid belief net: p(x_i = 1 | x_<i) = σ(b_i + Σ_{j<i} W_ij x_j).
// Parameters in one flat vector: the strictly lower triangle of W packed column by column
// (column j holds W_j+1,j .. W_D−1,j, the weights pixel j gives every later pixel, at offset
// weight_column_offset(j) = j(2D − j − 1)/2), then b (D). P = D(D−1)/2 + D (307 720 for 28 x 28).
// By column because the images are binary and mostly blank (13 % ink on MNIST): A = b + Σ over
// the ink pixels j of column j, and dW's column j sums the rows of dA of the images with ink at
// j, so training adds whole contiguous columns and never multiplies by 0. (The file format keeps
// W row by row, see [save/load].)
class FvsbnModel final : public PixelModel {
 public:
  FvsbnModel() = default;
  // All parameters 0 (every p = 1/2). Throws implay::Error for rows or cols < 1.
  FvsbnModel(int rows, int cols);

  PixelModelKind kind() const override { return PixelModelKind::Fvsbn; }
  int rows() const override { return rows_; }
  int cols() const override { return cols_; }
  double probability(std::span<const uint8_t> image, int i) const override;
  void conditionals(std::span<const uint8_t> image, std::span<double> out) const override;
  // Carries all D logits along and adds a pixel's column once it is ink: O(D · ink) per image.
  void draw_pixels(std::span<uint8_t> image, int start, const PixelDraw& draw) const override;

  Eigen::Index weight_column_offset(int j) const { return Eigen::Index(j) * (2 * dim() - j - 1) / 2; }  // column j of W
  Eigen::Index num_weights() const { return Eigen::Index(dim()) * (dim() - 1) / 2; }
  Eigen::Index num_params() const { return num_weights() + dim(); }
  // Column j of W: (D − 1 − j) weights W_j+1,j .. W_D−1,j of pixel j on the later pixels.
  Eigen::Map<const Eigen::VectorXf> weight_column(int j) const {
    return Eigen::Map<const Eigen::VectorXf>(params.data() + weight_column_offset(j), dim() - 1 - j);
  }
  // W_ij for j < i (pixel j's weight in pixel i's logit).
  float weight(int i, int j) const { return params[weight_column_offset(j) + (i - j - 1)]; }
  Eigen::Map<Eigen::VectorXf> bias() {
    return Eigen::Map<Eigen::VectorXf>(params.data() + num_weights(), dim());
  }                                                 // (D)
  Eigen::Map<const Eigen::VectorXf> bias() const {  // (D)
    return Eigen::Map<const Eigen::VectorXf>(params.data() + num_weights(), dim());
  }
  // b_i = logit of the smoothed pixel frequencies, W = 0: starts training at the independent model.
  void init_from_marginals(const BinaryImages& train, float alpha = 1.0f);

  Eigen::VectorXf params;  // (P) packed W, then b
  int rows_ = 0, cols_ = 0;
};

// Logits A (B, D) column-major of the binary images X (B, D): A_ni = b_i + Σ_{j<i} W_ij X_nj,
// computed as b plus the columns of W of each image's ink pixels. Throws implay::Error when X
// has not D columns or holds a value other than 0 and 1.
void fvsbn_logits(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  Eigen::Ref<Eigen::MatrixXf> logits);
// The same by one dense GEMV per pixel, for any X (the naive loop fvsbn_logits is tested against).
void fvsbn_logits_reference(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                            Eigen::Ref<Eigen::MatrixXf> logits);

// Mean binary cross-entropy in nats per image, L = (1/B) Σ_n Σ_i [softplus(A_ni) − X_ni A_ni]
// (= mean −log p(x_n)), and its gradient grad (P) laid out like params:
// dA = (σ(A) − X)/B, db_i = Σ_n dA_ni, dW_ij = Σ_n dA_ni X_nj for j < i.
// x: (B, D) column-major 0/1 floats. Throws implay::Error when x has not D columns or holds a
// value other than 0 and 1.
double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x,
                  Eigen::Ref<Eigen::VectorXf> grad);
double fvsbn_loss(const FvsbnModel& model, const Eigen::Ref<const Eigen::MatrixXf>& x);  // L alone

// [SECTION] evaluation ---------------------------------------------------------------------------

struct LogLikelihood {
  double nats = 0;            // log p(x) = Σ_i log p(x_i | x_<i) (≤ 0)
  double bits_per_pixel = 0;  // −log₂ p(x) / D
};

// Exact log-likelihood by the chain rule. image: (D) 0/1. Throws implay::Error for a wrong size.
LogLikelihood log_likelihood(const PixelModel& model, std::span<const uint8_t> image);
// Per-pixel surprise −log p(x_i | x_<i) in nats, (D); sums to −log_likelihood().nats.
std::vector<double> surprise_map(const PixelModel& model, std::span<const uint8_t> image);
// Mean −log p(x) in nats over images [first, first + count) of the set (count < 0: to the end).
// FVSBN and NADE are scored in batches of 256 images by their loss kernels.
// Throws implay::Error when the image size differs from the model's.
double mean_nll(const PixelModel& model, const BinaryImages& images, int first = 0, int count = -1);

// [SECTION] sampling -----------------------------------------------------------------------------

struct SampleOptions {
  float temperature = 1.0f;  // T on the logit: p_T = σ(logit(p) / T); T ≤ 0 means argmax
                             // (x_i = 1 iff p > 1/2), the limit T → 0
  int count = 1;             // samples to draw
  uint64_t seed = 1;         // implay::Rng seed: the same samples natively and in wasm
};

// Completes `prefix` (D) from pixel `start` onward in raster order: pixels < start are copied,
// the rest drawn one by one from the model. Returns (count, D) 0/1. The k-th sample uses the
// k-th stretch of one Rng stream (one uniform per drawn pixel, also at T ≤ 0, so changing T
// does not shift later samples). Throws implay::Error for a wrong prefix size, start outside
// 0..D or count < 1.
std::vector<uint8_t> sample_completions(const PixelModel& model, std::span<const uint8_t> prefix, int start,
                                        const SampleOptions& options);
// Most likely next pixel value given the prefix before i: p(x_i = 1 | x_<i) > 1/2.
inline bool most_likely_pixel(const PixelModel& model, std::span<const uint8_t> image, int i) {
  return model.probability(image, i) > 0.5;
}

// [SECTION] save/load ----------------------------------------------------------------------------
// One file format per model, version 1, little-endian, nothing after the payload:
//   8 bytes magic: "IMPLAYIB" independent, "IMPLAYCX" context counts, "IMPLAYFV" FVSBN,
//                  "IMPLAYNA" NADE
//   u32 version = 1, u32 rows, u32 cols (1..4096 each)
//   independent: f32 α, u32 n, (D) u32 n1
//   context:     u32 K (1..12), u32 position_dependent (0/1), f32 α, (T·2^K) u32 n1, (T·2^K) u32 n
//   fvsbn:       (P) f32 params, bit-exact: W's lower triangle row by row (row i: W_i0 .. W_i,i−1),
//                then b (memory holds W by column; save and load reorder)
//   nade:        u32 H (1..4096), (P = 2HD + H + D) f32 params (W, V, c, b), bit-exact
inline constexpr uint32_t kPixelModelVersion = 1;

std::vector<uint8_t> serialize_pixel_model(const PixelModel& model);
// Any of the four, told apart by the magic. `source` names the bytes in messages. Throws
// implay::Error for an unknown magic, an unsupported version, implausible sizes, a count
// n1 > n, truncated data or trailing bytes.
std::unique_ptr<PixelModel> parse_pixel_model(std::span<const uint8_t> bytes, const std::string& source);
void save_pixel_model(const PixelModel& model, const std::string& path);
std::unique_ptr<PixelModel> load_pixel_model(const std::string& path);

}  // namespace implay
