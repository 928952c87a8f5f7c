// pixel_model_counts.cpp — the counting models of pixel_model.hpp: the independent baseline and
// the context counts (one pass over the training images, smoothed frequencies). The interface,
// evaluation and sampling they plug into are in pixel_model.cpp, their file formats in
// pixel_model_io.cpp.
//
// Index: [Independent] [Context counts]
#include <array>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/pixel/pixel_model.hpp"

namespace implay {

namespace {

void check_training_set(const BinaryImages& train, float alpha) {
  if (train.count < 1 || train.dim() < 1) throw Error("cannot count an empty training set");
  if (!(alpha >= 0)) throw Error("smoothing alpha = " + std::to_string(alpha) + " (must be >= 0)");
}

double smoothed(uint32_t n1, uint32_t n, float alpha) {  // (n1 + α) / (n + 2α); 1/2 when 0/0
  const double den = double(n) + 2.0 * alpha;
  return den > 0 ? (double(n1) + alpha) / den : 0.5;
}

}  // namespace

// [SECTION] Independent --------------------------------------------------------------------------

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

// [SECTION] Context counts -----------------------------------------------------------------------

const char* context_neighbour_name(int k) {
  static const char* names[kMaxContextNeighbours] = {"W",   "N",   "NW",  "NE",  "WW",  "NN",
                                                     "NWW", "NNE", "NEE", "NNW", "WWW", "NNWW"};
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
    throw Error("position-dependent context tables of " + std::to_string(train.rows) + "x" +
                std::to_string(train.cols) + " pixels x 2^" + std::to_string(options.neighbours) +
                " contexts: " + std::to_string(cells) + " cells, at most " + std::to_string(kMaxContextCells) +
                " (use fewer neighbours or smaller images)");
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
  const int pw = cols_ + kLeft + kRight;                              // padded row width
  std::vector<uint8_t> padded(size_t(rows_ + kTop) * size_t(pw), 0);  // (rows + 2, pw)
  std::array<int, kMaxContextNeighbours> delta{};                     // neighbour k at padded offset p + delta[k]
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
    }
    (std::make_integer_sequence<int, kMaxContextNeighbours>{});
  }
}

void ContextModel::aggregate_counts(int k, std::vector<uint32_t>& ones_out, std::vector<uint32_t>& totals_out) const {
  if (k < 1 || k > options.neighbours)
    throw Error("aggregation to " + std::to_string(k) + " neighbours (must be 1.." +
                std::to_string(options.neighbours) + ")");
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

}  // namespace implay
