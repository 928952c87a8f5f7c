// pool.hpp — max-pooling and average-pooling of image batches, forward and backward, with the
// output size of conv2d.hpp's conv_output_size (no padding, no dilation) and its errors. Max
// pooling keeps the argmax of every output cell: backward sends the gradient there, and the
// Convolution lab shows which input won. cnn.hpp uses the max-pool.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.hpp"

namespace implay {

// Shapes as in conv2d.hpp: X (N, C·H·W) one image (C, H, W) per row, Y (N, C·oh·ow). Each
// channel is pooled on its own.
struct PoolParams {
  int kh = 2, kw = 2;  // window rows and columns (≥ 1)
  int sh = 2, sw = 2;  // stride (≥ 1); equal to the window: the windows tile the image

  bool operator==(const PoolParams&) const = default;
};

struct PoolGeometry {
  int channels = 1, height = 1, width = 1;  // C, H, W of one input image
  PoolParams params;
  int out_height = 1, out_width = 1;  // oh = ⌊(H − kh) / sh⌋ + 1, ow likewise

  int input_size() const { return channels * height * width; }           // C·H·W
  int output_size() const { return channels * out_height * out_width; }  // C·oh·ow
  bool operator==(const PoolGeometry&) const = default;
};

// Checks C, H, W ≥ 1, the window and stride along rows and columns ("pooling window 3 is larger
// than the input 2 along rows", "stride 0 along columns (need at least 1)") and the sizes
// against kMaxConvElements. Throws implay::Error.
PoolGeometry pool_geometry(int channels, int height, int width, const PoolParams& params);

// Y[n, c, i, j] = max over the window of X[n, c, i·sh + u, j·sw + v]; argmax (N·C·oh·ow), laid
// out like Y, gets the index within the image row (c·H·W + row·W + col) of the input that won
// (ties: the first in the window's row-major order). Y is resized to (N, C·oh·ow). Throws
// implay::Error when X has not C·H·W columns.
void max_pool_forward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& X, RowMatrixXf& Y,
                      std::vector<int32_t>& argmax);
// dX (resized to (N, C·H·W)) = dY (N, C·oh·ow) routed to the argmax of each cell, summed where
// overlapping windows share a winner; every other input gets 0. Throws implay::Error when the
// sizes do not match.
void max_pool_backward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& dY, std::span<const int32_t> argmax,
                       RowMatrixXf& dX);

// Y[n, c, i, j] = (1 / kh·kw) Σ over the window; backward spreads dY / (kh·kw) over the window.
void avg_pool_forward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& X, RowMatrixXf& Y);
void avg_pool_backward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& dY, RowMatrixXf& dX);

}  // namespace implay
