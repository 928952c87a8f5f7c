// features.cpp — pixel, intensity-histogram and HoG features and their extractor (features.hpp).
#include "core/linear/features.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"

namespace implay {
namespace {

void check_image_size(int rows, int cols) {
  if (rows < 1 || cols < 1)
    throw Error("features: image size " + std::to_string(rows) + "x" + std::to_string(cols) + " is not positive");
}

}  // namespace

int feature_dim(const FeatureOptions& options, int rows, int cols) {
  check_image_size(rows, cols);
  switch (options.kind) {
    case FeatureKind::Pixels: return rows * cols;
    case FeatureKind::Histogram:
      if (options.histogram_bins < 1 || options.histogram_bins > 256)
        throw Error("histogram bins " + std::to_string(options.histogram_bins) + " outside 1..256");
      return options.histogram_bins;
    case FeatureKind::Hog: {
      if (options.hog_bins < 1 || options.hog_bins > 36)
        throw Error("HoG orientation bins " + std::to_string(options.hog_bins) + " outside 1..36");
      if (options.hog_cell < 1 || options.hog_cell > std::min(rows, cols))
        throw Error("HoG cell size " + std::to_string(options.hog_cell) + " outside 1.." +
                    std::to_string(std::min(rows, cols)) + " for " + std::to_string(rows) + "x" + std::to_string(cols) +
                    " images");
      const int cy = rows / options.hog_cell, cx = cols / options.hog_cell;
      if (options.hog_normalization == HogNormalization::Cell) return cy * cx * options.hog_bins;
      if (cy < 2 || cx < 2)
        throw Error("HoG block normalization needs at least 2x2 cells; cell size " + std::to_string(options.hog_cell) +
                    " gives " + std::to_string(cy) + "x" + std::to_string(cx));
      return (cy - 1) * (cx - 1) * 4 * options.hog_bins;
    }
  }
  return 0;
}

// -------------------------------------------------------------------------------------------
// [kernels]

void pixel_features(std::span<const uint8_t> image, std::span<float> out) {
  assert(out.size() == image.size());
  for (size_t i = 0; i < image.size(); ++i) out[i] = float(image[i]) * (1.0f / 255.0f);
}

void intensity_histogram(std::span<const uint8_t> image, int bins, std::span<float> out) {
  assert(bins >= 1 && out.size() == size_t(bins));
  std::vector<int> counts(size_t(bins), 0);                       // (bins)
  for (uint8_t v : image) ++counts[size_t(int(v) * bins / 256)];  // bin k covers [256k/bins, 256(k+1)/bins)
  const float inv = image.empty() ? 0.0f : 1.0f / float(image.size());
  for (int k = 0; k < bins; ++k) out[size_t(k)] = float(counts[size_t(k)]) * inv;
}

void hog_features(std::span<const uint8_t> image, int rows, int cols, int cell, int bins, HogNormalization norm,
                  std::span<float> out) {
  assert(image.size() == size_t(rows) * size_t(cols));
  assert(cell >= 1 && cell <= std::min(rows, cols) && bins >= 1);
  const int cy = rows / cell, cx = cols / cell;
  std::vector<float> hist(size_t(cy) * cx * bins, 0.0f);  // (cy, cx, bins) cell histograms
  const float bin_width = std::numbers::pi_v<float> / float(bins);
  auto at = [&](int y, int x) {  // intensity in [0, 1], the border pixel repeated outside
    y = std::clamp(y, 0, rows - 1);
    x = std::clamp(x, 0, cols - 1);
    return float(image[size_t(y) * cols + x]) * (1.0f / 255.0f);
  };
  for (int y = 0; y < cy * cell; ++y) {
    for (int x = 0; x < cx * cell; ++x) {
      const float gx = at(y, x + 1) - at(y, x - 1);
      const float gy = at(y + 1, x) - at(y - 1, x);
      const float magnitude = std::sqrt(gx * gx + gy * gy);
      if (magnitude == 0.0f) continue;
      float theta = std::atan2(gy, gx);  // (−π, π]
      if (theta < 0) theta += std::numbers::pi_v<float>;
      float pos = theta / bin_width;  // [0, bins], bin k centred on k
      if (pos >= float(bins)) pos -= float(bins);
      const int b0 = std::min(int(pos), bins - 1);
      const float frac = pos - float(b0);
      const int b1 = (b0 + 1) % bins;
      float* h = hist.data() + (size_t(y / cell) * cx + x / cell) * bins;
      h[b0] += magnitude * (1.0f - frac);
      h[b1] += magnitude * frac;
    }
  }
  const float eps2 = kHogEpsilon * kHogEpsilon;
  if (norm == HogNormalization::Cell) {
    assert(out.size() == hist.size());
    for (size_t c = 0; c < size_t(cy) * cx; ++c) {
      const float* h = hist.data() + c * bins;
      float sum_sq = 0;
      for (int k = 0; k < bins; ++k) sum_sq += h[k] * h[k];
      const float inv = 1.0f / std::sqrt(sum_sq + eps2);
      for (int k = 0; k < bins; ++k) out[c * bins + k] = h[k] * inv;
    }
    return;
  }
  assert(out.size() == size_t(cy - 1) * (cx - 1) * 4 * bins);
  size_t o = 0;
  for (int by = 0; by + 1 < cy; ++by) {
    for (int bx = 0; bx + 1 < cx; ++bx) {
      const size_t start = o;
      float sum_sq = 0;
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx) {
          const float* h = hist.data() + (size_t(by + dy) * cx + bx + dx) * bins;
          for (int k = 0; k < bins; ++k) {
            out[o++] = h[k];
            sum_sq += h[k] * h[k];
          }
        }
      const float inv = 1.0f / std::sqrt(sum_sq + eps2);
      for (size_t k = start; k < o; ++k) out[k] *= inv;
    }
  }
}

// -------------------------------------------------------------------------------------------
// [spec strings]

namespace {

const char* kind_name(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::Pixels: return "pixels";
    case FeatureKind::Histogram: return "histogram";
    case FeatureKind::Hog: return "hog";
  }
  return "?";
}

int parse_int(std::string_view spec, std::string_view key, std::string_view value) {
  int v = 0;
  // At most 6 digits, checked before any arithmetic: a longer run of digits would overflow v.
  bool ok = !value.empty() && value.size() <= 6;
  for (char ch : value) {
    if (!ok) break;
    if (ch < '0' || ch > '9')
      ok = false;
    else
      v = v * 10 + (ch - '0');
  }
  if (!ok)
    throw Error("feature spec \"" + std::string(spec) + "\": " + std::string(key) + "=" + std::string(value) +
                " is not a whole number");
  return v;
}

}  // namespace

std::string feature_spec(const FeatureOptions& options) {
  std::string out = kind_name(options.kind);
  std::string sep = ":";
  if (options.kind == FeatureKind::Histogram) {
    out += sep + "bins=" + std::to_string(options.histogram_bins);
    sep = ",";
  } else if (options.kind == FeatureKind::Hog) {
    out += sep + "cell=" + std::to_string(options.hog_cell) + ",bins=" + std::to_string(options.hog_bins) +
           ",norm=" + (options.hog_normalization == HogNormalization::Cell ? "cell" : "block");
    sep = ",";
  }
  out += sep + "scaling=" + (options.scaling == Scaling::Unit ? "unit" : "mean");
  return out;
}

FeatureOptions parse_feature_spec(std::string_view spec) {
  FeatureOptions options;
  const size_t colon = spec.find(':');
  const std::string_view kind = spec.substr(0, colon);
  if (kind == "pixels")
    options.kind = FeatureKind::Pixels;
  else if (kind == "histogram")
    options.kind = FeatureKind::Histogram;
  else if (kind == "hog")
    options.kind = FeatureKind::Hog;
  else
    throw Error("feature spec \"" + std::string(spec) + "\": unknown kind \"" + std::string(kind) +
                "\" (expected pixels, histogram or hog)");
  std::string_view rest = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    auto bad_value = [&](const char* expected) {
      return Error("feature spec \"" + std::string(spec) + "\": " + std::string(key) + "=" + std::string(value) +
                   " (expected " + expected + ")");
    };
    if (key == "scaling") {
      if (value == "unit")
        options.scaling = Scaling::Unit;
      else if (value == "mean")
        options.scaling = Scaling::MeanSubtracted;
      else
        throw bad_value("unit or mean");
    } else if (key == "bins" && options.kind == FeatureKind::Histogram) {
      options.histogram_bins = parse_int(spec, key, value);
    } else if (key == "bins" && options.kind == FeatureKind::Hog) {
      options.hog_bins = parse_int(spec, key, value);
    } else if (key == "cell" && options.kind == FeatureKind::Hog) {
      options.hog_cell = parse_int(spec, key, value);
    } else if (key == "norm" && options.kind == FeatureKind::Hog) {
      if (value == "cell")
        options.hog_normalization = HogNormalization::Cell;
      else if (value == "block")
        options.hog_normalization = HogNormalization::Block;
      else
        throw bad_value("cell or block");
    } else {
      throw Error("feature spec \"" + std::string(spec) + "\": unknown key \"" + std::string(key) + "\" for " +
                  std::string(kind) + " features");
    }
  }
  return options;
}

// -------------------------------------------------------------------------------------------
// [extractor]

FeatureExtractor::FeatureExtractor(const FeatureOptions& options, int rows, int cols)
    : options_(options), rows_(rows), cols_(cols), dim_(feature_dim(options, rows, cols)) {}

void FeatureExtractor::raw_one(const uint8_t* image, float* out) const {
  const std::span<const uint8_t> in(image, size_t(rows_) * size_t(cols_));
  const std::span<float> o(out, size_t(dim_));
  switch (options_.kind) {
    case FeatureKind::Pixels: pixel_features(in, o); break;
    case FeatureKind::Histogram: intensity_histogram(in, options_.histogram_bins, o); break;
    case FeatureKind::Hog:
      hog_features(in, rows_, cols_, options_.hog_cell, options_.hog_bins, options_.hog_normalization, o);
      break;
  }
}

RowMatrixXf FeatureExtractor::fit_transform(const LabeledImages& train) {
  if (train.rows != rows_ || train.cols != cols_)
    throw Error("features were set up for " + std::to_string(rows_) + "x" + std::to_string(cols_) +
                " images, the training images are " + std::to_string(train.rows) + "x" + std::to_string(train.cols));
  RowMatrixXf out(train.count, dim_);  // (N, F)
  for (int i = 0; i < train.count; ++i)
    raw_one(train.pixels.data() + size_t(i) * size_t(train.dim()), out.row(i).data());
  if (options_.scaling == Scaling::MeanSubtracted) {
    if (train.count == 0) throw Error("mean-subtracted features need at least one training image");
    mean_ = (out.cast<double>().colwise().sum() / double(train.count)).cast<float>();  // (F), summed in double
    out.rowwise() -= mean_;
  } else {
    mean_.resize(0);
  }
  return out;
}

RowMatrixXf FeatureExtractor::transform(std::span<const uint8_t> pixels, int count) const {
  const size_t dim_in = size_t(rows_) * size_t(cols_);
  if (count < 0 || pixels.size() != size_t(count) * dim_in)
    throw Error("features: " + std::to_string(pixels.size()) + " bytes are not " + std::to_string(count) +
                " images of " + std::to_string(rows_) + "x" + std::to_string(cols_));
  if (options_.scaling == Scaling::MeanSubtracted && !fitted())
    throw Error("mean-subtracted features: fit the mean on the training set (fit_transform) first");
  RowMatrixXf out(count, dim_);  // (count, F)
  for (int i = 0; i < count; ++i) raw_one(pixels.data() + size_t(i) * dim_in, out.row(i).data());
  if (options_.scaling == Scaling::MeanSubtracted) out.rowwise() -= mean_;
  return out;
}

RowMatrixXf FeatureExtractor::transform(const LabeledImages& images) const {
  if (images.rows != rows_ || images.cols != cols_)
    throw Error("features were set up for " + std::to_string(rows_) + "x" + std::to_string(cols_) +
                " images, these are " + std::to_string(images.rows) + "x" + std::to_string(images.cols));
  return transform(images.pixels, images.count);
}

void FeatureExtractor::transform_one(std::span<const uint8_t> image, std::span<float> out) const {
  if (image.size() != size_t(rows_) * size_t(cols_) || out.size() != size_t(dim_))
    throw Error("features: an image of " + std::to_string(image.size()) + " bytes (expected " +
                std::to_string(rows_ * cols_) + ") or an output of " + std::to_string(out.size()) +
                " floats (expected " + std::to_string(dim_) + ")");
  if (options_.scaling == Scaling::MeanSubtracted && !fitted())
    throw Error("mean-subtracted features: fit the mean on the training set (fit_transform) first");
  raw_one(image.data(), out.data());
  if (options_.scaling == Scaling::MeanSubtracted)
    for (int k = 0; k < dim_; ++k) out[size_t(k)] -= mean_[k];
}

}  // namespace implay
