// kernels.hpp — the named 3 × 3 filters the Convolution lab offers before any is learned: edges in
// four directions, Sobel x and y, box blur, Gaussian blur, sharpen and the Laplacian, with their
// names (for the URL and the CLI) and their weights as a filter of conv2d.hpp.
#pragma once
#include <array>
#include <string_view>

#include "core/matrix.hpp"

namespace implay {

enum class NamedKernel {
  EdgeHorizontal,    // −1 −1 −1 / 0 0 0 / 1 1 1: a horizontal edge, dark above and bright below
  EdgeVertical,      // −1 0 1 / −1 0 1 / −1 0 1: a vertical edge, dark left and bright right
  EdgeDiagonal,      // 0 1 1 / −1 0 1 / −1 −1 0: an edge along ↘, bright above it
  EdgeAntiDiagonal,  // 1 1 0 / 1 0 −1 / 0 −1 −1: an edge along ↗, bright above it
  SobelX,            // −1 0 1 / −2 0 2 / −1 0 1: ∂/∂x, smoothed along y
  SobelY,            // −1 −2 −1 / 0 0 0 / 1 2 1: ∂/∂y (down), smoothed along x
  BoxBlur,           // 1 1 1 / 1 1 1 / 1 1 1, over 9: the mean of the neighbourhood
  Gaussian,          // 1 2 1 / 2 4 2 / 1 2 1, over 16: a binomial approximation of a Gaussian
  Sharpen,           // 0 −1 0 / −1 5 −1 / 0 −1 0: the pixel plus its difference from its neighbours
  Laplacian,         // 0 1 0 / 1 −4 1 / 0 1 0: the second derivative ∂²/∂x² + ∂²/∂y²
};

inline constexpr NamedKernel kAllNamedKernels[] = {
    NamedKernel::EdgeHorizontal, NamedKernel::EdgeVertical, NamedKernel::EdgeDiagonal, NamedKernel::EdgeAntiDiagonal,
    NamedKernel::SobelX,         NamedKernel::SobelY,       NamedKernel::BoxBlur,      NamedKernel::Gaussian,
    NamedKernel::Sharpen,        NamedKernel::Laplacian};

// "edge_horizontal", "edge_vertical", "edge_diagonal", "edge_antidiagonal", "sobel_x", "sobel_y",
// "box_blur", "gaussian", "sharpen", "laplacian" (exactly these); parse throws implay::Error
// naming the value and every valid name.
const char* kernel_name(NamedKernel kernel);
NamedKernel parse_kernel(std::string_view name);

// The weights (3, 3) row-major, as applied by cross-correlation (conv2d.hpp: no flip).
std::array<float, 9> kernel_weights(NamedKernel kernel);
// The same as a one-filter bank for conv2d_forward on one channel: (1, 9).
RowMatrixXf kernel_filter(NamedKernel kernel);

}  // namespace implay
