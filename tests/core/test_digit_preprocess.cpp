// Tests of the MNIST-style preprocessing of drawn digits (core/data/digit_preprocess.hpp): hand-made
// canvases whose results are worked out exactly (a dot, a 10×40 bar, a 2×2 blob), the brush's
// coverage, the centre-of-mass convention, and a round trip of real MNIST test digits.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/data/digit_preprocess.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {

constexpr int kSize = 28;

// image: (28, 28); the value at (row y, column x).
int at(const std::vector<uint8_t>& image, int x, int y) { return image[size_t(y) * kSize + size_t(x)]; }

// True when image is `value` on columns [x0, x1) × rows [y0, y1) and 0 elsewhere.
bool is_filled_rect(const std::vector<uint8_t>& image, int x0, int y0, int x1, int y1, int value) {
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const bool inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      if (at(image, x, y) != (inside ? value : 0)) return false;
    }
  return true;
}

}  // namespace

TEST_CASE("an empty canvas gives an all-zero image and an empty box") {
  std::vector<float> canvas(280 * 280, 0.0f);
  canvas[1000] = 0.001f;  // below half a grey level: not ink
  const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 280, 280);
  CHECK(steps.box.empty());
  CHECK(steps.image == std::vector<uint8_t>(784, 0));
  CHECK(preprocess_like_mnist(canvas, 280, 280) == std::vector<uint8_t>(784, 0));
}

TEST_CASE("ink_bounding_box is half-open and ignores ink at or below the threshold") {
  std::vector<float> canvas(10 * 8, 0.0f);  // (8, 10)
  canvas[2 * 10 + 3] = 0.5f;
  canvas[5 * 10 + 7] = 1.0f;
  canvas[7 * 10 + 9] = 0.1f;
  const InkBox box = ink_bounding_box(canvas, 10, 8);
  CHECK(box.x0 == 3);
  CHECK(box.y0 == 2);
  CHECK(box.x1 == 10);
  CHECK(box.y1 == 8);
  const InkBox strict = ink_bounding_box(canvas, 10, 8, 0.1f);
  CHECK(strict.x1 == 8);
  CHECK(strict.y1 == 6);
  CHECK(strict.width() == 5);
  CHECK(strict.height() == 4);
}

TEST_CASE("a single ink pixel becomes a 20x20 square whose centre of mass is within half a pixel of (14, 14)") {
  // box 1x1 → scaled 20x20 of ink 1, com (9.5, 9.5), offset floor(14 − 9.5 + 0.5) = 5 → [5, 25).
  for (int side : {28, 280}) {
    std::vector<float> canvas(size_t(side) * side, 0.0f);
    canvas[size_t(side / 7) * side + size_t(side - 3)] = 1.0f;  // near the top-right corner
    const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, side, side);
    CHECK(steps.scaled_width == 20);
    CHECK(steps.scaled_height == 20);
    CHECK(steps.offset_x == 5);
    CHECK(steps.offset_y == 5);
    CHECK(is_filled_rect(steps.image, 5, 5, 25, 25, 255));
    const CenterOfMass com = center_of_mass(std::span<const uint8_t>(steps.image), kSize, kSize);
    CHECK(com.x == 14.5);  // an even-sized square cannot sit at 14: the tie rounds the shift up
    CHECK(com.y == 14.5);
  }
}

TEST_CASE("a filled 10x40 rectangle becomes 5x20 (aspect kept, larger side 20) centred by its mass") {
  std::vector<float> canvas(100 * 100, 0.0f);  // (100, 100)
  for (int y = 50; y < 90; ++y)
    for (int x = 30; x < 40; ++x) canvas[size_t(y) * 100 + size_t(x)] = 1.0f;
  const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 100, 100);
  CHECK(steps.box.x0 == 30);
  CHECK(steps.box.y0 == 50);
  CHECK(steps.box.width() == 10);
  CHECK(steps.box.height() == 40);
  CHECK(steps.scaled_width == 5);
  CHECK(steps.scaled_height == 20);
  CHECK(steps.scaled_com.x == doctest::Approx(2.0));
  CHECK(steps.scaled_com.y == doctest::Approx(9.5));
  // offset = floor(14 − com + ½): x: floor(12.5) = 12, y: floor(5) = 5.
  CHECK(steps.offset_x == 12);
  CHECK(steps.offset_y == 5);
  CHECK(is_filled_rect(steps.image, 12, 5, 17, 25, 255));
  const CenterOfMass com = center_of_mass(std::span<const uint8_t>(steps.image), kSize, kSize);
  CHECK(com.x == 14.0);
  CHECK(com.y == 14.5);
}

TEST_CASE("a 2x2 blob is scaled up x10, each pixel a 10x10 block, and shifted by its centre of mass") {
  std::vector<float> canvas(6 * 6, 0.0f);  // (6, 6); blob at columns 2..3, rows 1..2
  canvas[1 * 6 + 2] = 1.0f;
  canvas[1 * 6 + 3] = 0.5f;
  canvas[2 * 6 + 2] = 0.25f;
  canvas[2 * 6 + 3] = 0.75f;
  const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 6, 6);
  REQUIRE(steps.scaled_width == 20);
  REQUIRE(steps.scaled_height == 20);
  // com x = (1.25·4.5 + 1.25·14.5) / 2.5 = 9.5; com y = (1.5·4.5 + 1.0·14.5) / 2.5 = 8.5
  CHECK(steps.scaled_com.x == doctest::Approx(9.5));
  CHECK(steps.scaled_com.y == doctest::Approx(8.5));
  CHECK(steps.offset_x == 5);  // floor(14 − 9.5 + 0.5)
  CHECK(steps.offset_y == 6);  // floor(14 − 8.5 + 0.5)
  // bytes = round(255 · ink): 1 → 255, 0.5 → 128 (127.5 rounds up), 0.25 → 64, 0.75 → 191
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      int expected = 0;
      if (y >= 6 && y < 16 && x >= 5 && x < 15) expected = 255;
      if (y >= 6 && y < 16 && x >= 15 && x < 25) expected = 128;
      if (y >= 16 && y < 26 && x >= 5 && x < 15) expected = 64;
      if (y >= 16 && y < 26 && x >= 15 && x < 25) expected = 191;
      INFO("x = " << x << ", y = " << y);
      CHECK(at(steps.image, x, y) == expected);
    }
}

TEST_CASE("resize_area_average weights partial pixels by their overlap") {
  // 3 → 2: out[0] covers [0, 1.5) = in0 + ½·in1 over 1.5, out[1] covers [1.5, 3) = ½·in1 + in2 over 1.5.
  const std::vector<float> row = {0.3f, 0.6f, 0.9f};  // (1, 3)
  const std::vector<float> out = resize_area_average(row, 3, 1, 2, 1);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == doctest::Approx((0.3 + 0.5 * 0.6) / 1.5));
  CHECK(out[1] == doctest::Approx((0.5 * 0.6 + 0.9) / 1.5));
  // 4x2 → 2x1: each output pixel is the mean of a 2x2 block.
  const std::vector<float> block = {0.0f, 1.0f, 0.2f, 0.2f, 1.0f, 1.0f, 0.4f, 0.6f};  // (2, 4)
  const std::vector<float> half = resize_area_average(block, 4, 2, 2, 1);
  CHECK(half[0] == doctest::Approx(0.75));
  CHECK(half[1] == doctest::Approx(0.35));
  // The total ink per unit area is preserved: mean in = mean out.
  Rng rng(3);
  std::vector<float> noise(37 * 23);  // (23, 37)
  for (float& v : noise) v = float(rng.uniform());
  const std::vector<float> small = resize_area_average(noise, 37, 23, 20, 12);
  const double mean_in = std::accumulate(noise.begin(), noise.end(), 0.0) / double(noise.size());
  const double mean_out = std::accumulate(small.begin(), small.end(), 0.0) / double(small.size());
  CHECK(mean_out == doctest::Approx(mean_in).epsilon(1e-5));
}

TEST_CASE("the output's centre of mass is within half a pixel of (14, 14) for random scribbles") {
  Rng rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<float> canvas(280 * 280, 0.0f);
    const int strokes = 1 + int(rng.below(4));
    float x = 40 + float(rng.uniform()) * 200, y = 40 + float(rng.uniform()) * 200;
    for (int s = 0; s < strokes; ++s) {
      const float nx = 40 + float(rng.uniform()) * 200, ny = 40 + float(rng.uniform()) * 200;
      draw_stroke(canvas, 280, 280, x, y, nx, ny, 6 + float(rng.uniform()) * 10);
      x = nx;
      y = ny;
    }
    const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 280, 280);
    INFO("trial " << trial);
    CHECK(std::max(steps.scaled_width, steps.scaled_height) == 20);
    // Exactly, before quantization: com + offset ∈ [13.5, 14.5).
    const double placed_x = steps.scaled_com.x + steps.offset_x, placed_y = steps.scaled_com.y + steps.offset_y;
    CHECK(placed_x >= 13.5);
    CHECK(placed_x < 14.5);
    CHECK(placed_y >= 13.5);
    CHECK(placed_y < 14.5);
    // After rounding to bytes. (These scribbles land whole; lopsided ink can be cut, see below.)
    CHECK(steps.offset_x >= 0);
    CHECK(steps.offset_y >= 0);
    CHECK(steps.offset_x + steps.scaled_width <= kSize);
    CHECK(steps.offset_y + steps.scaled_height <= kSize);
    const CenterOfMass com = center_of_mass(std::span<const uint8_t>(steps.image), kSize, kSize);
    CHECK(std::abs(com.x - 14.0) <= 0.51);
    CHECK(std::abs(com.y - 14.0) <= 0.51);
  }
}

TEST_CASE("ink shifted outside the image by a lopsided centre of mass is dropped") {
  // A (1, 20) canvas: a faint tail of 0.01 on x = 0..18 and a solid pixel at x = 19. No scaling
  // (larger side already 20); com x = (0.01 · 171 + 19) / 1.19 ≈ 17.40, so
  // offset_x = floor(14 − 17.40 + 0.5) = −3: tail pixels 0..2 fall off the left edge.
  std::vector<float> canvas(20, 0.01f);
  canvas[19] = 1.0f;
  const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 20, 1);
  REQUIRE(steps.scaled_width == 20);
  REQUIRE(steps.scaled_height == 1);
  CHECK(steps.scaled_com.x == doctest::Approx(20.71 / 1.19));
  CHECK(steps.offset_x == -3);
  CHECK(steps.offset_y == 14);  // floor(14 − 0 + 0.5)
  for (int x = 0; x < kSize; ++x) {
    INFO("x = " << x);
    CHECK(at(steps.image, x, 14) == (x < 16 ? 3 : x == 16 ? 255 : 0));  // round(2.55) = 3
  }
  CHECK(std::accumulate(steps.image.begin(), steps.image.end(), 0) == 16 * 3 + 255);
}

TEST_CASE("draw_stroke paints a solid core, a one-pixel soft edge, round caps, and takes the max") {
  constexpr int W = 64, H = 48;
  std::vector<float> canvas(W * H, 0.0f);  // (48, 64)
  auto ink = [&](int x, int y) { return canvas[size_t(y) * W + size_t(x)]; };
  // Horizontal segment (10, 20) → (40, 20), radius 3: coverage = clamp(3.5 − d, 0, 1).
  draw_stroke(canvas, W, H, 10, 20, 40, 20, 3);
  CHECK(ink(25, 20) == 1.0f);
  CHECK(ink(25, 22) == 1.0f);                                   // d = 2
  CHECK(ink(25, 23) == 0.5f);                                   // d = 3 = radius: half covered
  CHECK(ink(25, 24) == 0.0f);                                   // d = 4
  CHECK(ink(43, 20) == 0.5f);                                   // round cap: d = 3 past the end
  CHECK(ink(42, 22) == doctest::Approx(3.5 - std::sqrt(8.0)));  // cap, diagonal
  CHECK(ink(5, 20) == 0.0f);
  // Total ink ≈ the capsule's area 2rL + πr².
  const double total = std::accumulate(canvas.begin(), canvas.end(), 0.0);
  CHECK(total == doctest::Approx(2 * 3 * 30 + 3.14159265 * 9).epsilon(0.03));
  CHECK(*std::max_element(canvas.begin(), canvas.end()) <= 1.0f);
  CHECK(*std::min_element(canvas.begin(), canvas.end()) >= 0.0f);
  // ink = max(existing, coverage): the same stroke twice changes nothing.
  const std::vector<float> once = canvas;
  draw_stroke(canvas, W, H, 10, 20, 40, 20, 3);
  CHECK(canvas == once);
  // A zero-length stroke is a dot of area ≈ πr²; strokes off the canvas are clipped.
  std::vector<float> dot(W * H, 0.0f);
  draw_stroke(dot, W, H, 30.3f, 30.6f, 30.3f, 30.6f, 5);
  CHECK(std::accumulate(dot.begin(), dot.end(), 0.0) == doctest::Approx(3.14159265 * 25).epsilon(0.03));
  std::vector<float> edge(W * H, 0.0f);
  draw_stroke(edge, W, H, -20, -5, 5, 2, 4);
  draw_stroke(edge, W, H, 100, 100, 200, 200, 4);  // entirely outside: nothing
  CHECK(edge[0] == 1.0f);
  CHECK(edge[size_t(H - 1) * W + size_t(W - 1)] == 0.0f);
}

TEST_CASE("a vertical stroke (a '1') stays thin: its box scales to about 2x20") {
  std::vector<float> canvas(280 * 280, 0.0f);
  draw_stroke(canvas, 280, 280, 140, 40, 140, 240, 12);  // box ≈ 25 x 225
  const MnistPreprocessSteps steps = preprocess_like_mnist_steps(canvas, 280, 280);
  CHECK(steps.scaled_height == 20);
  CHECK(steps.scaled_width == 2);  // round(25 · 20 / 225)
}

TEST_CASE("bad sizes are rejected with the numbers in the message") {
  std::vector<float> canvas(10, 0.0f);
  CHECK(error_of([&] { preprocess_like_mnist(canvas, 4, 3); }).find("10 pixels do not make a 4x3 image") !=
        std::string::npos);
  CHECK(error_of([&] { draw_stroke(canvas, 0, 10, 0, 0, 1, 1, 1); }).find("0x10") != std::string::npos);
  MnistPreprocessParams params;
  params.box_size = 30;
  CHECK(error_of([&] { preprocess_like_mnist(canvas, 5, 2, params); }).find("box size 30") != std::string::npos);
}

TEST_CASE("MNIST digits upscaled x10 to a 280x280 canvas come back as themselves") {
  const std::string dir = implay::testing::mnist_dir();
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte").first(50);
  REQUIRE(test.count == 50);
  // MNIST's own convention, measured: the mean centre of mass of these digits is about (14, 14).
  double mean_x = 0, mean_y = 0;
  for (int i = 0; i < test.count; ++i) {
    const CenterOfMass com = center_of_mass(test.image(i), kSize, kSize);
    mean_x += com.x / test.count;
    mean_y += com.y / test.count;
  }
  CHECK(std::abs(mean_x - 14.0) < 0.1);
  CHECK(std::abs(mean_y - 14.0) < 0.1);

  auto l2 = [](std::span<const uint8_t> a, std::span<const uint8_t> b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += double(int(a[i]) - int(b[i])) * double(int(a[i]) - int(b[i]));
    return std::sqrt(sum);
  };
  std::vector<float> canvas(280 * 280);  // (280, 280)
  int identical = 0;
  double worst_mean_abs = 0;
  for (int i = 0; i < test.count; ++i) {
    const std::span<const uint8_t> original = test.image(i);
    for (int y = 0; y < 280; ++y)
      for (int x = 0; x < 280; ++x)
        canvas[size_t(y) * 280 + size_t(x)] = original[size_t(y / 10) * kSize + size_t(x / 10)] / 255.0f;
    const std::vector<uint8_t> result = preprocess_like_mnist(canvas, 280, 280);
    double mean_abs = 0;
    for (size_t p = 0; p < result.size(); ++p) mean_abs += std::abs(int(result[p]) - int(original[p]));
    mean_abs /= double(result.size());
    worst_mean_abs = std::max(worst_mean_abs, mean_abs);
    if (mean_abs == 0) ++identical;
    double nearest_other = 1e300;
    for (int j = 0; j < test.count; ++j)
      if (j != i) nearest_other = std::min(nearest_other, l2(result, test.image(j)));
    INFO("test image " << i << " (label " << int(test.labels[size_t(i)]) << "): mean |diff| " << mean_abs
                       << ", L2 to itself " << l2(result, original) << ", to the nearest other " << nearest_other);
    CHECK(mean_abs < 20.0);
    CHECK(l2(result, original) < 0.25 * nearest_other);
  }
  // Measured: all 50 come back byte for byte (9 997 of all 10 000; the 3 others have a 19-px box).
  CHECK(identical == 50);
  CHECK(worst_mean_abs == 0.0);
}
