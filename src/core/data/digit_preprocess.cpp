// digit_preprocess.cpp — the MNIST recipe for a drawn digit (crop, area-average to 20 px,
// centre of mass to the centre) and the soft round brush (see digit_preprocess.hpp).
#include "core/data/digit_preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace implay {
namespace {

void check_image_size(size_t size, int width, int height, const char* what) {
  if (width <= 0 || height <= 0)
    throw Error(std::string(what) + ": image size " + std::to_string(width) + "x" + std::to_string(height) +
                " must be positive");
  if (size != size_t(width) * size_t(height))
    throw Error(std::string(what) + ": " + std::to_string(size) + " pixels do not make a " + std::to_string(width) +
                "x" + std::to_string(height) + " image (" + std::to_string(size_t(width) * size_t(height)) +
                " expected)");
}

// Ink clamped to [0,1]; NaN fails both comparisons and becomes 0.
float clamp_ink(float v) { return v > 1.0f ? 1.0f : (v > 0.0f ? v : 0.0f); }

// One output pixel of a 1-D area-averaging resize: the input pixels it overlaps and by how much.
struct Footprint {
  int first = 0;                // first input index
  std::vector<double> weights;  // overlap of input pixel first + k with the output pixel, in pixels
};

// Output pixel o covers [o·f, (o+1)·f) of the input, f = in_size / out_size.
// a(o, k) = min((o+1)·f, k+1) − max(o·f, k) for the input pixels k it touches.
std::vector<Footprint> area_footprints(int in_size, int out_size) {
  std::vector<Footprint> out(static_cast<size_t>(out_size));
  const double f = double(in_size) / double(out_size);
  for (int o = 0; o < out_size; ++o) {
    const double begin = o * f, end = (o + 1) * f;
    const int first = int(std::floor(begin));
    const int last = std::min(in_size - 1, int(std::ceil(end)) - 1);
    out[size_t(o)].first = first;
    for (int k = first; k <= last; ++k) {
      const double overlap = std::min(end, double(k + 1)) - std::max(begin, double(k));
      out[size_t(o)].weights.push_back(std::max(0.0, overlap));
    }
  }
  return out;
}

template <class T>
CenterOfMass center_of_mass_impl(std::span<const T> image, int width, int height) {
  check_image_size(image.size(), width, height, "center_of_mass");
  // mass = Σ v, x = Σ v·x / mass, y = Σ v·y / mass
  double mass = 0, sum_x = 0, sum_y = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double v = double(image[size_t(y) * size_t(width) + size_t(x)]);
      mass += v;
      sum_x += v * x;
      sum_y += v * y;
    }
  CenterOfMass com;
  com.mass = mass;
  if (mass > 0) {
    com.x = sum_x / mass;
    com.y = sum_y / mass;
  }
  return com;
}

}  // namespace

InkBox ink_bounding_box(std::span<const float> canvas, int width, int height, float ink_threshold) {
  check_image_size(canvas.size(), width, height, "ink_bounding_box");
  InkBox box{width, height, 0, 0};  // empty until a pixel is ink
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      if (canvas[size_t(y) * size_t(width) + size_t(x)] > ink_threshold) {
        box.x0 = std::min(box.x0, x);
        box.y0 = std::min(box.y0, y);
        box.x1 = std::max(box.x1, x + 1);
        box.y1 = std::max(box.y1, y + 1);
      }
  if (box.empty()) box = InkBox{};
  return box;
}

CenterOfMass center_of_mass(std::span<const float> image, int width, int height) {
  return center_of_mass_impl(image, width, height);
}

CenterOfMass center_of_mass(std::span<const uint8_t> image, int width, int height) {
  return center_of_mass_impl(image, width, height);
}

std::vector<float> resize_area_average(std::span<const float> image, int width, int height, int out_width,
                                       int out_height) {
  check_image_size(image.size(), width, height, "resize_area_average");
  if (out_width <= 0 || out_height <= 0)
    throw Error("resize_area_average: output size " + std::to_string(out_width) + "x" + std::to_string(out_height) +
                " must be positive");
  // Separable: first along x into (height, out_width), then along y into (out_height, out_width).
  const std::vector<Footprint> along_x = area_footprints(width, out_width);
  const std::vector<Footprint> along_y = area_footprints(height, out_height);
  const double area_x = double(width) / out_width, area_y = double(height) / out_height;

  std::vector<double> rows_resized(size_t(height) * size_t(out_width));  // (height, out_width)
  for (int y = 0; y < height; ++y) {
    const float* row = image.data() + size_t(y) * size_t(width);
    for (int j = 0; j < out_width; ++j) {
      const Footprint& fp = along_x[size_t(j)];
      double sum = 0;
      for (size_t k = 0; k < fp.weights.size(); ++k) sum += fp.weights[k] * clamp_ink(row[size_t(fp.first) + k]);
      rows_resized[size_t(y) * size_t(out_width) + size_t(j)] = sum / area_x;
    }
  }
  std::vector<float> out(size_t(out_height) * size_t(out_width));  // (out_height, out_width)
  for (int i = 0; i < out_height; ++i) {
    const Footprint& fp = along_y[size_t(i)];
    for (int j = 0; j < out_width; ++j) {
      double sum = 0;
      for (size_t k = 0; k < fp.weights.size(); ++k)
        sum += fp.weights[k] * rows_resized[(size_t(fp.first) + k) * size_t(out_width) + size_t(j)];
      out[size_t(i) * size_t(out_width) + size_t(j)] = clamp_ink(float(sum / area_y));
    }
  }
  return out;
}

MnistPreprocessSteps preprocess_like_mnist_steps(std::span<const float> canvas, int width, int height,
                                                 const MnistPreprocessParams& params) {
  check_image_size(canvas.size(), width, height, "preprocess_like_mnist");
  if (params.image_size <= 0 || params.box_size <= 0 || params.box_size > params.image_size)
    throw Error("preprocess_like_mnist: box size " + std::to_string(params.box_size) + " must be within 1.." +
                std::to_string(params.image_size) + " (the image size)");
  const int size = params.image_size;
  MnistPreprocessSteps steps;
  steps.image.assign(size_t(size) * size_t(size), 0);

  // 1. Crop to the ink.
  steps.box = ink_bounding_box(canvas, width, height, params.ink_threshold);
  if (steps.box.empty()) return steps;
  const int box_w = steps.box.width(), box_h = steps.box.height();
  std::vector<float> cropped(size_t(box_w) * size_t(box_h));  // (box_h, box_w)
  for (int y = 0; y < box_h; ++y)
    for (int x = 0; x < box_w; ++x)
      cropped[size_t(y) * size_t(box_w) + size_t(x)] =
          canvas[size_t(steps.box.y0 + y) * size_t(width) + size_t(steps.box.x0 + x)];

  // 2. Scale so the larger side is box_size: s = box_size / max(w, h), keeping the aspect ratio.
  const double scale = double(params.box_size) / double(std::max(box_w, box_h));
  steps.scaled_width = std::clamp(int(std::lround(box_w * scale)), 1, params.box_size);
  steps.scaled_height = std::clamp(int(std::lround(box_h * scale)), 1, params.box_size);
  steps.scaled = resize_area_average(cropped, box_w, box_h, steps.scaled_width, steps.scaled_height);

  // 3. Shift so the centre of mass lands on (size/2, size/2): offset = floor(size/2 − com + ½).
  steps.scaled_com = center_of_mass(std::span<const float>(steps.scaled), steps.scaled_width, steps.scaled_height);
  const double target = size / 2.0;
  steps.offset_x = int(std::floor(target - steps.scaled_com.x + 0.5));
  steps.offset_y = int(std::floor(target - steps.scaled_com.y + 0.5));

  // 4. Paste and quantize: byte = round(255 · ink); pixels landing outside are dropped.
  for (int y = 0; y < steps.scaled_height; ++y) {
    const int out_y = y + steps.offset_y;
    if (out_y < 0 || out_y >= size) continue;
    for (int x = 0; x < steps.scaled_width; ++x) {
      const int out_x = x + steps.offset_x;
      if (out_x < 0 || out_x >= size) continue;
      const float ink = steps.scaled[size_t(y) * size_t(steps.scaled_width) + size_t(x)];
      steps.image[size_t(out_y) * size_t(size) + size_t(out_x)] = uint8_t(std::lround(255.0f * ink));
    }
  }
  return steps;
}

std::vector<uint8_t> preprocess_like_mnist(std::span<const float> canvas, int width, int height,
                                           const MnistPreprocessParams& params) {
  return preprocess_like_mnist_steps(canvas, width, height, params).image;
}

void draw_stroke(std::span<float> canvas, int width, int height, float x0, float y0, float x1, float y1, float radius) {
  check_image_size(canvas.size(), width, height, "draw_stroke");
  if (!(radius > 0.0f) || !std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1))
    return;  // nothing to paint (a zero brush or a lost pointer position)
  // Only pixels within radius + ½ of the segment can be touched.
  const float reach = radius + 0.5f;
  const int left = std::max(0, int(std::floor(std::min(x0, x1) - reach)));
  const int right = std::min(width - 1, int(std::ceil(std::max(x0, x1) + reach)));
  const int top = std::max(0, int(std::floor(std::min(y0, y1) - reach)));
  const int bottom = std::min(height - 1, int(std::ceil(std::max(y0, y1) + reach)));
  if (left > right || top > bottom) return;

  // Distance from p to the segment a + t·(b − a): t = clamp((p − a)·(b − a) / |b − a|², 0, 1).
  const double dx = double(x1) - x0, dy = double(y1) - y0;
  const double length_sq = dx * dx + dy * dy;
  for (int y = top; y <= bottom; ++y)
    for (int x = left; x <= right; ++x) {
      const double px = x - double(x0), py = y - double(y0);
      const double t = length_sq > 0 ? std::clamp((px * dx + py * dy) / length_sq, 0.0, 1.0) : 0.0;
      const double ex = px - t * dx, ey = py - t * dy;
      const double distance = std::sqrt(ex * ex + ey * ey);
      const float coverage = float(std::clamp(double(radius) + 0.5 - distance, 0.0, 1.0));
      float& ink = canvas[size_t(y) * size_t(width) + size_t(x)];
      ink = std::max(ink, coverage);
    }
}

}  // namespace implay
