// test_conv_transforms.cpp — core/conv/transforms.hpp: shift round trips where nothing falls off
// and what falls off is lost, rotation by 0 (identity), 90 (the exact transpose-flip of a small
// image), 180, 4 × 90 and 360 (≈ identity), for u8 and float; the pixel permutation a bijection,
// reproducible by seed, undone by its inverse, the same on both pixel types; and the errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <span>
#include <vector>

#include "core/conv/transforms.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

// A 28 × 28 byte image, random inside, with a border of `margin` zero pixels.
std::vector<uint8_t> bordered_image(int margin, Rng& rng) {
  std::vector<uint8_t> image(28 * 28, 0);
  for (int r = margin; r < 28 - margin; ++r)
    for (int c = margin; c < 28 - margin; ++c) image[size_t(r * 28 + c)] = uint8_t(1 + rng.below(255));
  return image;
}

std::vector<float> as_float(const std::vector<uint8_t>& v) { return std::vector<float>(v.begin(), v.end()); }

}  // namespace

TEST_CASE("shift: (dx, dy) moves right and down, zeros fill in, a round trip where nothing falls off") {
  // 3 × 3 with one lit pixel at (0, 0): shifted by dx = 1, dy = 2 it lands at row 2, column 1.
  std::vector<uint8_t> dot(9, 0), out(9);
  dot[0] = 200;
  shift_image(dot, out, 3, 3, 1, 2);
  std::vector<uint8_t> expected(9, 0);
  expected[2 * 3 + 1] = 200;
  CHECK(out == expected);
  shift_image(dot, out, 3, 3, -1, 0);  // off the left edge: lost
  CHECK(std::all_of(out.begin(), out.end(), [](uint8_t v) { return v == 0; }));

  Rng rng(3);
  const std::vector<uint8_t> image = bordered_image(4, rng);
  std::vector<uint8_t> moved(image.size()), back(image.size());
  shift_image(image, moved, 28, 28, 3, -4);
  CHECK(moved != image);
  shift_image(moved, back, 28, 28, -3, 4);
  CHECK(back == image);
  const std::vector<float> f = as_float(image);
  std::vector<float> fm(f.size()), fb(f.size());
  shift_image(f, fm, 28, 28, -4, 2);
  shift_image(fm, fb, 28, 28, 4, -2);
  CHECK(fb == f);
  CHECK(fm == as_float(shift_images(image, 28, 28, -4, 2)));  // the batch form, one image
  // Shifts far past the image (also ±2^31 − 1) leave only zeros, with no wrap-around.
  shift_image(image, moved, 28, 28, 2147483647, 0);
  CHECK(std::all_of(moved.begin(), moved.end(), [](uint8_t v) { return v == 0; }));
  shift_image(image, moved, 28, 28, 0, -2147483647);
  CHECK(std::all_of(moved.begin(), moved.end(), [](uint8_t v) { return v == 0; }));
}

TEST_CASE("rotate: 0° is the identity, 90° the exact transpose-flip, 180° both flips, 4 × 90° and 360° ≈ identity") {
  // out(r, c) = in(c, W − 1 − r) for 90° counter-clockwise: the right column becomes the top row.
  const std::vector<float> in = {1, 2,  3,  4,  //
                                 5, 6,  7,  8,  //
                                 9, 10, 11, 12, 13, 14, 15, 16};
  std::vector<float> out(16), expected(16);
  rotate_image(in, out, 4, 4, 0);
  CHECK(out == in);
  rotate_image(in, out, 4, 4, 90);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) expected[size_t(r * 4 + c)] = in[size_t(c * 4 + 3 - r)];
  CHECK(out == expected);
  CHECK(out[0] == 4);   // the top-right corner is now top-left
  CHECK(out[12] == 1);  // the top-left corner is now bottom-left
  rotate_image(in, out, 4, 4, 180);
  std::vector<float> reversed(in.rbegin(), in.rend());
  CHECK(out == reversed);
  rotate_image(in, out, 4, 4, -90);  // clockwise: the left column becomes the top row
  CHECK(out[0] == 13);
  // u8, odd size (a centre pixel that stays put).
  const std::vector<uint8_t> small = {10, 20, 30, 40, 50, 60, 70, 80, 90};
  std::vector<uint8_t> turned(9), twice(9);
  rotate_image(small, turned, 3, 3, 90);
  CHECK(turned == std::vector<uint8_t>{30, 60, 90, 20, 50, 80, 10, 40, 70});
  rotate_image(small, turned, 3, 3, 0);
  CHECK(turned == small);

  Rng rng(5);
  const std::vector<uint8_t> digit = bordered_image(2, rng);
  std::vector<uint8_t> a(digit.size()), b(digit.size());
  rotate_image(digit, a, 28, 28, 90);
  rotate_image(a, b, 28, 28, 90);
  rotate_image(b, a, 28, 28, 90);
  rotate_image(a, b, 28, 28, 90);
  CHECK(b == digit);
  const std::vector<float> f = as_float(digit);
  std::vector<float> full(f.size());
  rotate_image(f, full, 28, 28, 360);
  double worst = 0;
  for (size_t k = 0; k < f.size(); ++k) worst = std::max(worst, double(std::abs(full[k] - f[k])));
  CHECK(worst < 1e-3);
}

TEST_CASE("rotate: bilinear in between, zeros from outside") {
  // 45° of a 3 × 3 all-ones image: the centre stays 1, corners sample from outside the square.
  const std::vector<float> ones(9, 1.0f);
  std::vector<float> out(9);
  rotate_image(ones, out, 3, 3, 45);
  CHECK(out[4] == doctest::Approx(1));
  // Corner (0, 0) samples √2 from the centre along an axis: (−0.414, 1) outside by 0.414 → 0.586.
  CHECK(out[0] == doctest::Approx(2 - std::sqrt(2.0)).epsilon(1e-6));
  CHECK(out[1] == doctest::Approx(1).epsilon(1e-6));  // an edge midpoint lands inside on the diagonal
  // A batch of two rows, each rotated alike.
  RowMatrixXf batch(2, 9);
  batch.row(0) = Eigen::RowVectorXf::Ones(9);
  batch.row(1) = Eigen::RowVectorXf::LinSpaced(9, 0, 8);
  const RowMatrixXf turned = rotate_images(batch, 3, 3, 90);
  CHECK(turned(1, 0) == 2);
  CHECK(turned(0, 0) == 1);
}

TEST_CASE("pixel permutation: a bijection, the same for the same seed, undone by its inverse") {
  const PixelPermutation p = make_pixel_permutation(784, 42);
  std::vector<int32_t> sorted = p.source;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int32_t> identity(784);
  std::iota(identity.begin(), identity.end(), 0);
  CHECK(sorted == identity);
  CHECK(p.source != identity);
  CHECK(make_pixel_permutation(784, 42).source == p.source);
  CHECK(make_pixel_permutation(784, 43).source != p.source);
  Rng rng(7);
  const std::vector<uint8_t> digit = bordered_image(3, rng);
  std::vector<uint8_t> scrambled(784), back(784);
  permute_pixels(p, digit, scrambled);
  for (int k = 0; k < 784; ++k) CHECK(scrambled[size_t(k)] == digit[size_t(p.source[size_t(k)])]);
  permute_pixels(inverse_permutation(p), scrambled, back);
  CHECK(back == digit);
  // One permutation for every image of a batch, and the same on floats.
  std::vector<uint8_t> two(digit);
  two.insert(two.end(), digit.rbegin(), digit.rend());
  const std::vector<uint8_t> both = permute_images(p, two);
  CHECK(std::vector<uint8_t>(both.begin(), both.begin() + 784) == scrambled);
  RowMatrixXf as_rows(2, 784);
  for (int k = 0; k < 2 * 784; ++k) as_rows.data()[k] = float(two[size_t(k)]);
  const RowMatrixXf permuted = permute_images(p, as_rows);
  for (int k = 0; k < 2 * 784; ++k) CHECK(permuted.data()[k] == float(both[size_t(k)]));
}

TEST_CASE("transform errors name the sizes") {
  CHECK(error_of([] { make_pixel_permutation(0, 1); }) == "a permutation of 0 pixels (allowed 1..1048576)");
  CHECK(error_of([] { shift_images(RowMatrixXf::Zero(2, 783), 28, 28, 1, 1); }) ==
        "image rows hold 783 values, 28 × 28 images hold 784");
  CHECK(error_of([] { rotate_images(std::vector<uint8_t>(785), 28, 28, 10); }) ==
        "785 bytes are not a whole number of 784-pixel images");
  CHECK(error_of([] { permute_images(make_pixel_permutation(4, 1), RowMatrixXf::Zero(1, 5)); }) ==
        "image rows hold 5 values, the permutation moves 4 pixels");
  CHECK(error_of([] { shift_images(RowMatrixXf::Zero(1, 4), 0, 4, 1, 1); }) ==
        "images of 0 × 4 pixels (need at least 1 × 1)");
}

TEST_CASE("sweeps: each row is the image under one angle or one shift, as the single transforms give it") {
  Rng rng(11);
  const std::vector<float> digit = as_float(bordered_image(4, rng));
  const std::vector<double> angles = {-90, -30, 0, 45};
  const RowMatrixXf rotated = rotation_sweep(digit, 28, 28, angles);  // (4, 784)
  REQUIRE(rotated.rows() == 4);
  REQUIRE(rotated.cols() == 784);
  std::vector<float> one(784);
  for (size_t a = 0; a < angles.size(); ++a) {
    rotate_image(std::span<const float>(digit), one, 28, 28, angles[a]);
    for (int k = 0; k < 784; ++k) CHECK(rotated(Eigen::Index(a), k) == one[size_t(k)]);
  }
  for (int k = 0; k < 784; ++k) CHECK(rotated(2, k) == digit[size_t(k)]);  // 0° is the image itself
  const std::vector<int> dx = {-3, 0, 2}, dy = {0, 1, -2};
  const RowMatrixXf shifted = shift_sweep(digit, 28, 28, dx, dy);  // (3, 784)
  REQUIRE(shifted.rows() == 3);
  for (size_t a = 0; a < dx.size(); ++a) {
    shift_image(std::span<const float>(digit), one, 28, 28, dx[a], dy[a]);
    for (int k = 0; k < 784; ++k) CHECK(shifted(Eigen::Index(a), k) == one[size_t(k)]);
  }
  // A pixel of the 4-pixel border's inside moves by the shift: (r, c) → (r + dy, c + dx).
  CHECK(shifted(0, 10 * 28 + 7) == digit[size_t(10 * 28 + 10)]);
  CHECK(error_of([&] { shift_sweep(digit, 28, 28, dx, std::vector<int>{1}); }) == "a shift sweep of 3 dx but 1 dy");
  CHECK(error_of([&] { rotation_sweep(std::vector<float>(783), 28, 28, angles); }) ==
        "image rows hold 783 values, 28 × 28 images hold 784");
}
