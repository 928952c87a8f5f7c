// pixel_model.cpp — what every pixel model of pixel_model.hpp shares: binarizing, the default
// conditionals and sampler hook, the parameter limits, chain-rule evaluation and sampling. The
// models are next door: pixel_model_counts.cpp (independent, context counts), pixel_model_fvsbn.cpp
// and pixel_model_nade.cpp (model, loss and trainer each); the file formats: pixel_model_io.cpp.
//
// Index: [Binary images] [Interface] [Parameter limits] [Evaluation] [Sampling]
#include "core/pixel/pixel_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/pixel/logistic.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/rng.hpp"

namespace implay {

// [SECTION] Binary images ------------------------------------------------------------------------

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

// [SECTION] Interface ----------------------------------------------------------------------------

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

}  // namespace

std::vector<double> conditional_map(const PixelModel& model, std::span<const uint8_t> image) {
  check_image(model, image);
  std::vector<double> out(static_cast<size_t>(model.dim()));
  model.conditionals(image, out);
  return out;
}

// [SECTION] Parameter limits ---------------------------------------------------------------------

uint64_t fvsbn_param_count(uint64_t d) { return d * (d - 1) / 2 + d; }
uint64_t nade_param_count(uint64_t d, uint64_t hidden) { return 2 * hidden * d + hidden + d; }

void check_model_params(uint64_t params, const std::string& model, const std::string& shape) {
  if (params > uint64_t(kMaxModelParams))
    throw Error(model + " of " + shape + " would need " + std::to_string(params) + " parameters; at most " +
                std::to_string(kMaxModelParams) +
                " are accepted (an FVSBN up to about 76x76 pixels, MNIST's 28x28 "
                "needs 307,720)");
}

// [SECTION] Evaluation ---------------------------------------------------------------------------

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

// [SECTION] Sampling -----------------------------------------------------------------------------

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

}  // namespace implay
