// test_conv_kernels.cpp — the named 3 × 3 filters of core/conv/kernels.hpp: names round-trip and
// a bad one lists the valid ones, the weights' sums (edges 0, blurs and sharpen 1), the four edge
// directions and Sobel pairs as 90° rotations of each other, and responses to a vertical step.
#include <doctest/doctest.h>

#include <array>
#include <numeric>
#include <span>
#include <string>

#include "core/conv/conv2d.hpp"
#include "core/conv/kernels.hpp"
#include "core/conv/transforms.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

std::array<float, 9> rotated_90(NamedKernel k) {
  const std::array<float, 9> w = kernel_weights(k);
  std::array<float, 9> out;
  rotate_image(std::span<const float>(w), std::span<float>(out), 3, 3, 90);
  return out;
}

std::array<float, 9> negated(NamedKernel k) {
  std::array<float, 9> w = kernel_weights(k);
  for (float& x : w) x = -x;
  return w;
}

}  // namespace

TEST_CASE("kernel names round-trip; a bad name is an error listing every valid one") {
  for (NamedKernel k : kAllNamedKernels) CHECK(parse_kernel(kernel_name(k)) == k);
  CHECK(std::string(kernel_name(NamedKernel::SobelX)) == "sobel_x");
  CHECK(std::string(kernel_name(NamedKernel::EdgeAntiDiagonal)) == "edge_antidiagonal");
  CHECK(error_of([] { parse_kernel("sobel"); }) ==
        "unknown kernel \"sobel\" (expected one of edge_horizontal, edge_vertical, edge_diagonal, "
        "edge_antidiagonal, sobel_x, sobel_y, box_blur, gaussian, sharpen, laplacian)");
}

TEST_CASE("weights: edge detectors and the Laplacian sum to 0, blurs and sharpen to 1") {
  for (NamedKernel k : kAllNamedKernels) {
    CAPTURE(kernel_name(k));
    const std::array<float, 9> w = kernel_weights(k);
    const float sum = std::accumulate(w.begin(), w.end(), 0.0f);
    const bool keeps_brightness = k == NamedKernel::BoxBlur || k == NamedKernel::Gaussian || k == NamedKernel::Sharpen;
    CHECK(sum == doctest::Approx(keeps_brightness ? 1.0 : 0.0));
  }
  CHECK(kernel_weights(NamedKernel::Gaussian)[4] == 0.25f);  // 4 / 16
  CHECK(kernel_weights(NamedKernel::Gaussian)[0] == 0.0625f);
  CHECK(kernel_weights(NamedKernel::Laplacian)[4] == -4);
  CHECK(kernel_filter(NamedKernel::Sharpen)(0, 4) == 5);
}

TEST_CASE("the directions are 90° rotations of each other (counter-clockwise, transforms.hpp)") {
  CHECK(rotated_90(NamedKernel::EdgeVertical) == negated(NamedKernel::EdgeHorizontal));
  CHECK(rotated_90(NamedKernel::EdgeDiagonal) == kernel_weights(NamedKernel::EdgeAntiDiagonal));
  CHECK(rotated_90(NamedKernel::SobelX) == negated(NamedKernel::SobelY));
  CHECK(rotated_90(NamedKernel::Laplacian) == kernel_weights(NamedKernel::Laplacian));
}

TEST_CASE("on a vertical step (dark left, bright right): vertical detectors fire at the step only") {
  // 5 × 5, columns 0–1 are 0 and 2–4 are 1; valid 3 × 3 output columns read columns 0–2, 1–3, 2–4.
  RowMatrixXf image(1, 25);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c) image(0, r * 5 + c) = c >= 2 ? 1.0f : 0.0f;
  const ConvGeometry g = conv_geometry(1, 5, 5, 1, ConvParams{3, 3, 1, 1, 0, 0, 1, 1});
  ConvWorkspace ws;
  auto response = [&](NamedKernel k) {
    RowMatrixXf y;
    conv2d_forward(g, image, kernel_filter(k), Eigen::VectorXf::Zero(1), y, ws);
    return y;
  };
  RowMatrixXf expected(1, 9);
  expected << 4, 4, 0, 4, 4, 0, 4, 4, 0;  // Sobel x: (1 + 2 + 1) · (1 − 0) where the step is
  CHECK(response(NamedKernel::SobelX) == expected);
  expected << 3, 3, 0, 3, 3, 0, 3, 3, 0;
  CHECK(response(NamedKernel::EdgeVertical) == expected);
  CHECK(response(NamedKernel::EdgeHorizontal).isZero());
  CHECK(response(NamedKernel::SobelY).isZero());
  expected << 1, -1, 0, 1, -1, 0, 1, -1, 0;  // Laplacian: +1 on the dark side, −1 on the bright
  CHECK(response(NamedKernel::Laplacian) == expected);
  const RowMatrixXf blurred = response(NamedKernel::Gaussian);
  CHECK(blurred(0, 2) == 1);      // inside the flat bright part
  CHECK(blurred(0, 0) == 0.25f);  // (1 + 2 + 1) / 16 of the bright column
}
