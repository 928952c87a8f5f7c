// pixel_test_data.hpp — binary images shared by the pixel-model tests: the four hand-counted 2x2
// images, seeded random sets, and a set as the (N, D) float matrix the trainers take.
#pragma once
#include <Eigen/Core>
#include <cstdint>

#include "core/pixel/pixel_model.hpp"
#include "core/rng.hpp"

namespace implay::testing {

// Four 2x2 images, raster order (x0 x1 / x2 x3):  A = 11/00, B = 10/10, C = 00/00, D = 11/11.
inline BinaryImages four_images() {
  BinaryImages s;
  s.count = 4;
  s.rows = 2;
  s.cols = 2;
  s.pixels = {1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1};
  return s;
}

// n images whose pixels are 1 with probability p_one, from implay::Rng(seed).
inline BinaryImages random_images(int n, int rows, int cols, uint64_t seed, double p_one = 0.3) {
  BinaryImages s;
  s.count = n;
  s.rows = rows;
  s.cols = cols;
  Rng rng(seed);
  s.pixels.resize(size_t(n) * size_t(rows * cols));
  for (auto& v : s.pixels) v = rng.uniform() < p_one ? 1 : 0;
  return s;
}

inline Eigen::MatrixXf as_floats(const BinaryImages& s) {  // (N, D) column-major
  Eigen::MatrixXf x(s.count, s.dim());
  for (int n = 0; n < s.count; ++n)
    for (int j = 0; j < s.dim(); ++j) x(n, j) = s.image(n)[size_t(j)];
  return x;
}

}  // namespace implay::testing
