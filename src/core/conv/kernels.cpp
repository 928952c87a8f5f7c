// kernels.cpp — the named 3 × 3 filters of kernels.hpp: names, parsing, weights.
#include "core/conv/kernels.hpp"

#include <string>

#include "core/error.hpp"

namespace implay {

const char* kernel_name(NamedKernel kernel) {
  switch (kernel) {
    case NamedKernel::EdgeHorizontal: return "edge_horizontal";
    case NamedKernel::EdgeVertical: return "edge_vertical";
    case NamedKernel::EdgeDiagonal: return "edge_diagonal";
    case NamedKernel::EdgeAntiDiagonal: return "edge_antidiagonal";
    case NamedKernel::SobelX: return "sobel_x";
    case NamedKernel::SobelY: return "sobel_y";
    case NamedKernel::BoxBlur: return "box_blur";
    case NamedKernel::Gaussian: return "gaussian";
    case NamedKernel::Sharpen: return "sharpen";
    case NamedKernel::Laplacian: return "laplacian";
  }
  return "?";
}

NamedKernel parse_kernel(std::string_view name) {
  std::string valid;
  for (NamedKernel k : kAllNamedKernels) {
    if (name == kernel_name(k)) return k;
    valid += (valid.empty() ? "" : ", ") + std::string(kernel_name(k));
  }
  throw Error("unknown kernel \"" + std::string(name) + "\" (expected one of " + valid + ")");
}

std::array<float, 9> kernel_weights(NamedKernel kernel) {
  switch (kernel) {
    case NamedKernel::EdgeHorizontal: return {-1, -1, -1, 0, 0, 0, 1, 1, 1};
    case NamedKernel::EdgeVertical: return {-1, 0, 1, -1, 0, 1, -1, 0, 1};
    case NamedKernel::EdgeDiagonal: return {0, 1, 1, -1, 0, 1, -1, -1, 0};
    case NamedKernel::EdgeAntiDiagonal: return {1, 1, 0, 1, 0, -1, 0, -1, -1};
    case NamedKernel::SobelX: return {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    case NamedKernel::SobelY: return {-1, -2, -1, 0, 0, 0, 1, 2, 1};
    case NamedKernel::BoxBlur: {
      std::array<float, 9> w;
      w.fill(1.0f / 9.0f);
      return w;
    }
    case NamedKernel::Gaussian: {
      std::array<float, 9> w = {1, 2, 1, 2, 4, 2, 1, 2, 1};
      for (float& x : w) x /= 16.0f;  // exact: powers of two
      return w;
    }
    case NamedKernel::Sharpen: return {0, -1, 0, -1, 5, -1, 0, -1, 0};
    case NamedKernel::Laplacian: return {0, 1, 0, 1, -4, 1, 0, 1, 0};
  }
  return {};
}

RowMatrixXf kernel_filter(NamedKernel kernel) {
  const std::array<float, 9> w = kernel_weights(kernel);
  RowMatrixXf filter(1, 9);
  for (int k = 0; k < 9; ++k) filter(0, k) = w[size_t(k)];
  return filter;
}

}  // namespace implay
