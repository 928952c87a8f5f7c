// perception.cpp — see perception.hpp.
#include "core/knn/perception.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/knn/distance.hpp"

namespace implay {

double l2_distance_u8(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return std::sqrt(double(squared_l2_u8(a.data(), b.data(), std::min(a.size(), b.size()))));
}

namespace {

std::vector<uint8_t> shift_image(std::span<const uint8_t> image, int w, int h, int s) {
  std::vector<uint8_t> out(image.size(), 0);
  for (int y = s; y < h; ++y)
    for (int x = s; x < w; ++x) out[size_t(y * w + x)] = image[size_t((y - s) * w + (x - s))];
  return out;
}

std::vector<uint8_t> occlude(std::span<const uint8_t> image, int w, int h, int cx, int cy, int size, uint8_t value) {
  std::vector<uint8_t> out(image.begin(), image.end());
  const int x0 = std::clamp(cx - size / 2, 0, w), y0 = std::clamp(cy - size / 2, 0, h);
  for (int y = y0; y < std::min(h, y0 + size); ++y)
    for (int x = x0; x < std::min(w, x0 + size); ++x) out[size_t(y * w + x)] = value;
  return out;
}

std::vector<uint8_t> tint_image(std::span<const uint8_t> image, int c) {
  std::vector<uint8_t> out(image.size());
  for (size_t i = 0; i < image.size(); ++i) out[i] = uint8_t(std::min(255, int(image[i]) + c));
  return out;
}

}  // namespace

PerceptionVariants equal_distance_variants(std::span<const uint8_t> image, int width, int height, int shift_pixels) {
  if (width <= 0 || height <= 0 || image.size() != size_t(width) * size_t(height))
    throw Error("image has " + std::to_string(image.size()) + " pixels, expected " + std::to_string(width) + "x" +
                std::to_string(height));
  PerceptionVariants v;
  v.shift_pixels = shift_pixels;
  v.shifted = shift_image(image, width, height, shift_pixels);
  v.shifted_l2 = l2_distance_u8(image, v.shifted);
  const double target = v.shifted_l2;

  // Centre of the ink, where an occluder hides the most of what matters.
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double m = image[size_t(y * width + x)];
      mass += m;
      mx += m * x;
      my += m * y;
    }
  const int cx = mass > 0 ? int(std::lround(mx / mass)) : width / 2;
  const int cy = mass > 0 ? int(std::lround(my / mass)) : height / 2;
  // The smallest ink blot (value 255) that reaches the target, then the shade of it that
  // comes closest: a small, dark square over the middle of the digit.
  int size = 1;
  while (size < std::max(width, height) &&
         l2_distance_u8(image, occlude(image, width, height, cx, cy, size, 255)) < target)
    ++size;
  double best = 1e300;
  for (int value = 0; value <= 255; ++value) {
    auto candidate = occlude(image, width, height, cx, cy, size, uint8_t(value));
    const double d = l2_distance_u8(image, candidate);
    if (std::fabs(d - target) < best) {
      best = std::fabs(d - target);
      v.occluded = std::move(candidate);
      v.occluded_l2 = d;
      v.occluder_size = size;
      v.occluder_value = value;
    }
  }
  // The distance grows monotonically with the tint, so a binary search finds the closest.
  int lo = 0, hi = 255;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (l2_distance_u8(image, tint_image(image, mid)) < target)
      lo = mid + 1;
    else
      hi = mid;
  }
  int tint = lo;
  if (lo > 0 && std::fabs(l2_distance_u8(image, tint_image(image, lo - 1)) - target) <
                    std::fabs(l2_distance_u8(image, tint_image(image, lo)) - target))
    tint = lo - 1;
  v.tint = tint;
  v.tinted = tint_image(image, tint);
  v.tinted_l2 = l2_distance_u8(image, v.tinted);
  return v;
}

}  // namespace implay
