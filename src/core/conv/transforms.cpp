// transforms.cpp — shift, rotation and pixel permutation of transforms.hpp, written once as
// templates over the pixel type (uint8_t or float) and instantiated by the overloads.
#include "core/conv/transforms.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <string>
#include <type_traits>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {
namespace {

void check_image(size_t in_size, size_t out_size, int height, int width) {
  assert(height >= 1 && width >= 1);
  assert(in_size == size_t(height) * size_t(width) && out_size == in_size);
  (void)in_size, (void)out_size, (void)height, (void)width;
}

template <class T>
void shift_impl(std::span<const T> in, std::span<T> out, int height, int width, int dx, int dy) {
  check_image(in.size(), out.size(), height, width);
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) {
      // In 64 bits: a shift of ±2^31 must not wrap a source back into the image.
      const int64_t sr = int64_t(r) - dy, sc = int64_t(c) - dx;
      const bool inside = sr >= 0 && sr < height && sc >= 0 && sc < width;
      out[size_t(r) * size_t(width) + size_t(c)] = inside ? in[size_t(sr) * size_t(width) + size_t(sc)] : T(0);
    }
}

// A source coordinate within 1e-6 of a whole number is that number (cos 90° is 6e-17, not 0).
double snap(double x) {
  const double whole = std::round(x);
  return std::abs(x - whole) < 1e-6 ? whole : x;
}

template <class T>
void rotate_impl(std::span<const T> in, std::span<T> out, int height, int width, double degrees) {
  check_image(in.size(), out.size(), height, width);
  const double theta = degrees * (3.14159265358979323846 / 180.0);
  const double cos_t = std::cos(theta), sin_t = std::sin(theta);
  const double cy = 0.5 * (height - 1), cx = 0.5 * (width - 1);
  auto pixel = [&](int64_t r, int64_t c) -> double {  // 0 outside the image
    return r >= 0 && r < height && c >= 0 && c < width ? double(in[size_t(r) * size_t(width) + size_t(c)]) : 0.0;
  };
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) {
      const double sc = snap(cx + (c - cx) * cos_t - (r - cy) * sin_t);
      const double sr = snap(cy + (c - cx) * sin_t + (r - cy) * cos_t);
      double value = 0;
      if (sr > -1 && sr < height && sc > -1 && sc < width) {  // else all four neighbours are outside
        const double r0 = std::floor(sr), c0 = std::floor(sc);
        const double fr = sr - r0, fc = sc - c0;
        const int64_t ir = int64_t(r0), ic = int64_t(c0);
        value = (1 - fr) * ((1 - fc) * pixel(ir, ic) + fc * pixel(ir, ic + 1)) +
                fr * ((1 - fc) * pixel(ir + 1, ic) + fc * pixel(ir + 1, ic + 1));
      }
      T& target = out[size_t(r) * size_t(width) + size_t(c)];
      if constexpr (std::is_same_v<T, uint8_t>)
        target = uint8_t(std::lround(std::clamp(value, 0.0, 255.0)));
      else
        target = T(value);
    }
}

template <class T>
void permute_impl(const PixelPermutation& p, std::span<const T> in, std::span<T> out) {
  assert(in.size() == p.source.size() && out.size() == in.size());
  for (size_t k = 0; k < p.source.size(); ++k) out[k] = in[size_t(p.source[k])];
}

void check_batch(size_t row_size, int height, int width) {
  if (height < 1 || width < 1)
    throw Error("images of " + std::to_string(height) + " × " + std::to_string(width) +
                " pixels (need at least 1 × 1)");
  if (row_size != size_t(height) * size_t(width))
    throw Error("image rows hold " + std::to_string(row_size) + " values, " + std::to_string(height) + " × " +
                std::to_string(width) + " images hold " + std::to_string(size_t(height) * size_t(width)));
}

// Applies fn(in_row, out_row) to every row of a float batch (N, H·W).
template <class Fn>
RowMatrixXf map_rows(const Eigen::Ref<const RowMatrixXf>& images, Fn&& fn) {
  RowMatrixXf out(images.rows(), images.cols());
  const size_t d = size_t(images.cols());
  for (Eigen::Index n = 0; n < images.rows(); ++n)
    fn(std::span<const float>(images.data() + n * images.outerStride(), d),
       std::span<float>(out.data() + n * out.cols(), d));
  return out;
}

// The same over a u8 batch (N·H·W bytes) of rows of d bytes.
template <class Fn>
std::vector<uint8_t> map_rows(std::span<const uint8_t> images, size_t d, Fn&& fn) {
  if (images.size() % d != 0)
    throw Error(std::to_string(images.size()) + " bytes are not a whole number of " + std::to_string(d) +
                "-pixel images");
  std::vector<uint8_t> out(images.size());
  for (size_t at = 0; at < images.size(); at += d) fn(images.subspan(at, d), std::span<uint8_t>(out).subspan(at, d));
  return out;
}

}  // namespace

void shift_image(std::span<const uint8_t> in, std::span<uint8_t> out, int height, int width, int dx, int dy) {
  shift_impl(in, out, height, width, dx, dy);
}
void shift_image(std::span<const float> in, std::span<float> out, int height, int width, int dx, int dy) {
  shift_impl(in, out, height, width, dx, dy);
}
void rotate_image(std::span<const uint8_t> in, std::span<uint8_t> out, int height, int width, double degrees) {
  rotate_impl(in, out, height, width, degrees);
}
void rotate_image(std::span<const float> in, std::span<float> out, int height, int width, double degrees) {
  rotate_impl(in, out, height, width, degrees);
}

PixelPermutation make_pixel_permutation(int pixels, uint64_t seed) {
  if (pixels < 1 || pixels > kMaxImagePixels)
    throw Error("a permutation of " + std::to_string(pixels) + " pixels (allowed 1.." +
                std::to_string(kMaxImagePixels) + ")");
  PixelPermutation p;
  p.source.resize(size_t(pixels));
  std::iota(p.source.begin(), p.source.end(), 0);
  Rng rng(seed);
  rng.shuffle(std::span<int32_t>(p.source));
  return p;
}

PixelPermutation inverse_permutation(const PixelPermutation& p) {
  PixelPermutation inverse;
  inverse.source.resize(p.source.size());
  for (size_t k = 0; k < p.source.size(); ++k) inverse.source[size_t(p.source[k])] = int32_t(k);
  return inverse;
}

void permute_pixels(const PixelPermutation& p, std::span<const uint8_t> in, std::span<uint8_t> out) {
  permute_impl(p, in, out);
}
void permute_pixels(const PixelPermutation& p, std::span<const float> in, std::span<float> out) {
  permute_impl(p, in, out);
}

RowMatrixXf shift_images(const Eigen::Ref<const RowMatrixXf>& images, int height, int width, int dx, int dy) {
  check_batch(size_t(images.cols()), height, width);
  return map_rows(images, [&](auto in, auto out) { shift_impl(in, out, height, width, dx, dy); });
}
RowMatrixXf rotate_images(const Eigen::Ref<const RowMatrixXf>& images, int height, int width, double degrees) {
  check_batch(size_t(images.cols()), height, width);
  return map_rows(images, [&](auto in, auto out) { rotate_impl(in, out, height, width, degrees); });
}
RowMatrixXf permute_images(const PixelPermutation& p, const Eigen::Ref<const RowMatrixXf>& images) {
  if (size_t(images.cols()) != p.source.size())
    throw Error("image rows hold " + std::to_string(images.cols()) + " values, the permutation moves " +
                std::to_string(p.source.size()) + " pixels");
  return map_rows(images, [&](auto in, auto out) { permute_impl(p, in, out); });
}
std::vector<uint8_t> shift_images(std::span<const uint8_t> images, int height, int width, int dx, int dy) {
  check_batch(size_t(height) * size_t(width), height, width);
  return map_rows(images, size_t(height) * size_t(width),
                  [&](auto in, auto out) { shift_impl(in, out, height, width, dx, dy); });
}
std::vector<uint8_t> rotate_images(std::span<const uint8_t> images, int height, int width, double degrees) {
  check_batch(size_t(height) * size_t(width), height, width);
  return map_rows(images, size_t(height) * size_t(width),
                  [&](auto in, auto out) { rotate_impl(in, out, height, width, degrees); });
}
std::vector<uint8_t> permute_images(const PixelPermutation& p, std::span<const uint8_t> images) {
  if (p.source.empty()) throw Error("an empty pixel permutation");
  return map_rows(images, p.source.size(), [&](auto in, auto out) { permute_impl(p, in, out); });
}

RowMatrixXf rotation_sweep(std::span<const float> image, int height, int width, std::span<const double> degrees) {
  check_batch(image.size(), height, width);
  RowMatrixXf out(Eigen::Index(degrees.size()), Eigen::Index(image.size()));  // (A, H·W)
  for (size_t a = 0; a < degrees.size(); ++a)
    rotate_impl(image, std::span<float>(out.row(Eigen::Index(a)).data(), image.size()), height, width, degrees[a]);
  return out;
}

RowMatrixXf shift_sweep(std::span<const float> image, int height, int width, std::span<const int> dx,
                        std::span<const int> dy) {
  check_batch(image.size(), height, width);
  if (dx.size() != dy.size())
    throw Error("a shift sweep of " + std::to_string(dx.size()) + " dx but " + std::to_string(dy.size()) + " dy");
  RowMatrixXf out(Eigen::Index(dx.size()), Eigen::Index(image.size()));  // (A, H·W)
  for (size_t a = 0; a < dx.size(); ++a)
    shift_impl(image, std::span<float>(out.row(Eigen::Index(a)).data(), image.size()), height, width, dx[a], dy[a]);
  return out;
}

}  // namespace implay
