// Tests of core/knn/perception.hpp: the three edits land near the shift's L2 distance, on a
// hand-made image and on real MNIST digits.
#include <doctest/doctest.h>

#include <cmath>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/knn/perception.hpp"
#include "test_support.hpp"

using namespace implay;

TEST_CASE("l2_distance_u8 is the square root of the summed squared differences") {
  const std::vector<uint8_t> a = {0, 3, 10}, b = {4, 0, 10};
  CHECK(l2_distance_u8(a, b) == doctest::Approx(5.0));
}

TEST_CASE("a 2x2 bright square shifted by one pixel on a 4x4 image") {
  std::vector<uint8_t> img(16, 0);
  img[5] = img[6] = img[9] = img[10] = 200;
  const PerceptionVariants v = equal_distance_variants(img, 4, 4, 1);
  // Shifted square overlaps the original at one pixel: 3 pixels lost, 3 gained -> sqrt(6)*200.
  CHECK(v.shifted_l2 == doctest::Approx(std::sqrt(6.0) * 200));
  CHECK(v.shifted[10] == 200);
  CHECK(v.shifted[15] == 200);
  CHECK(v.tint > 0);
  CHECK(std::fabs(v.tinted_l2 - v.shifted_l2) < 0.2 * v.shifted_l2);
}

TEST_CASE("the three edits of real MNIST digits sit near the shift's distance (blot within 2%, tint within 10%)") {
  const std::string dir = implay::testing::mnist_dir();
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte");
  for (int i = 0; i < 20; ++i) {
    const PerceptionVariants v = equal_distance_variants(test.image(i), 28, 28, 2);
    CAPTURE(i);
    CHECK(v.shifted_l2 > 1000);
    CHECK(std::fabs(v.occluded_l2 - v.shifted_l2) < 0.02 * v.shifted_l2);
    CHECK(v.occluder_size <= 18);  // a blot over the middle, not a cover-up of the whole image
    CHECK(std::fabs(v.tinted_l2 - v.shifted_l2) < 0.10 * v.shifted_l2);
  }
}

TEST_CASE("the lab's edits are honestly small: a 1-pixel shift, a blot of at most 13 px, a tint of at most +90") {
  const std::string dir = implay::testing::mnist_dir();
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte");
  int blot_sum = 0, blot_sum_2px = 0;
  for (int i = 0; i < 20; ++i) {
    const PerceptionVariants v = equal_distance_variants(test.image(i), 28, 28);  // the lab's default
    CAPTURE(i);
    CHECK(v.shift_pixels == 1);
    // Still the equal-distance point: the blot within 2 %, the tint within 10 % of the shift.
    CHECK(std::fabs(v.occluded_l2 - v.shifted_l2) < 0.02 * v.shifted_l2);
    CHECK(std::fabs(v.tinted_l2 - v.shifted_l2) < 0.10 * v.shifted_l2);
    // Measured on these 20 digits: blots of 8–13 px (mean ≈ 10), tints of +55 to +80.
    CHECK(v.occluder_size >= 6);
    CHECK(v.occluder_size <= 13);
    CHECK(v.tint <= 90);
    blot_sum += v.occluder_size;
    blot_sum_2px += equal_distance_variants(test.image(i), 28, 28, 2).occluder_size;
  }
  // A 2-pixel shift needed blots of 10–17 px: the smaller shift makes every edit smaller.
  CHECK(blot_sum + 3 * 20 <= blot_sum_2px);
}

TEST_CASE("equal_distance_variants rejects a size mismatch") {
  std::vector<uint8_t> img(10, 0);
  CHECK_THROWS_AS(equal_distance_variants(img, 4, 4), Error);
}
