// conv2d.hpp — the 2-D convolution layer as CNNs compute it (cross-correlation): the output-size
// formula with errors naming the numbers, the forward pass and its backward pass (∂ input,
// ∂ filters, ∂ bias), each as a plain reference loop and as an im2col + Eigen GEMM fast path that
// the tests compare, and the input window an output cell reads (for the Convolution lab's
// sliding filter). pool.hpp pools with the same formula; cnn.hpp stacks these layers.
//
// Index: [geometry] [forward/backward] [reference] [window]
#pragma once
#include <Eigen/Core>
#include <string_view>
#include <vector>

#include "core/matrix.hpp"

namespace implay {

// -------------------------------------------------------------------------------------------
// [geometry]
// Shapes, everywhere in core/conv/: an image batch is (N, C, H, W) row-major, held as a
// RowMatrixXf (N, C·H·W) with one image per row; filters are (F, C, kh, kw) row-major, held as a
// RowMatrixXf (F, C·kh·kw) with one filter per row; the bias is (F); the output is (N, F, oh, ow)
// as a RowMatrixXf (N, F·oh·ow).

// How one filter slides. Rows and columns are set apart: kernels need not be square.
struct ConvParams {
  int kh = 3, kw = 3;  // kernel rows and columns (≥ 1)
  int sh = 1, sw = 1;  // stride: the window moves by sh rows / sw columns (≥ 1)
  int ph = 0, pw = 0;  // zero padding added above and below / left and right (≥ 0)
  int dh = 1, dw = 1;  // dilation: taps dh rows / dw columns apart (≥ 1; 1 = a dense kernel)

  bool operator==(const ConvParams&) const = default;
};

// The cap on a padded input side, on C·H·W, F·C·kh·kw, F·oh·ow and on C·kh·kw·oh·ow (the im2col
// buffer of one image): 2^28 floats, 1 GiB.
inline constexpr int kMaxConvElements = 1 << 28;

// Output size along one axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1, e.g. the lecture's 6 × 8 input
// under a 2 × 2 kernel, stride 1, no padding → 5 × 7. Throws implay::Error naming the numbers
// (and `axis`, "rows" or "columns", when given) for n < 1, k < 1, s < 1, d < 1, p < 0, an
// effective kernel d(k − 1) + 1 larger than the padded input n + 2p, or a padded input above
// kMaxConvElements (so that the loops' index arithmetic fits an int):
// "kernel 7 (dilation 1) is larger than the padded input 6 + 2·0 = 6 along rows".
int conv_output_size(int n, int k, int s, int p, int d, std::string_view axis = {});

// Everything the loops need, checked once: the input (C, H, W), the filter count F, how they
// slide and the output (F, oh, ow) that follows.
struct ConvGeometry {
  int channels = 1, height = 1, width = 1;  // C, H, W of one input image
  int filters = 1;                          // F, the output channels
  ConvParams params;
  int out_height = 1, out_width = 1;  // oh, ow by conv_output_size

  int input_size() const { return channels * height * width; }          // C·H·W, one input row
  int filter_size() const { return channels * params.kh * params.kw; }  // C·kh·kw, one filter row
  int out_cells() const { return out_height * out_width; }              // oh·ow, one output map
  int output_size() const { return filters * out_height * out_width; }  // F·oh·ow, one output row
  bool operator==(const ConvGeometry&) const = default;
};

// Checks C, H, W, F ≥ 1 and the sliding along rows and columns (conv_output_size's errors), and
// that no size above (nor the im2col buffer of one image) exceeds kMaxConvElements, naming the
// factors. Throws implay::Error.
ConvGeometry conv_geometry(int channels, int height, int width, int filters, const ConvParams& params);

// -------------------------------------------------------------------------------------------
// [forward/backward]
// Cross-correlation (no kernel flip), as CNNs compute it:
//   Y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v Wf[f, c, u, v] · X[n, c, i·sh − ph + u·dh, j·sw − pw + v·dw]
// with X = 0 outside the image (the zero padding).
// The fast path lowers each image to columns (im2col): cols (C·kh·kw, oh·ow), where column i·ow + j
// holds the taps output cell (i, j) reads, so Y_n (F, oh·ow) = Wf (F, C·kh·kw) · cols + b 1ᵀ is one
// GEMM; backward is dWf = Σ_n dY_n colsᵀ, db = Σ_n dY_n 1, dcols = Wfᵀ dY_n scattered back (col2im).

// Buffers of the fast path, reused from call to call (no allocation when the shapes repeat).
struct ConvWorkspace {
  RowMatrixXf columns;   // (C·kh·kw, oh·ow) one image's im2col
  RowMatrixXf dcolumns;  // (C·kh·kw, oh·ow) ∂L/∂columns of one image
};

// X (N, C·H·W), filters (F, C·kh·kw), bias (F) → Y, resized to (N, F·oh·ow). Throws
// implay::Error naming the sizes when X, filters or bias do not match the geometry.
void conv2d_forward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                    const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const Eigen::VectorXf>& bias,
                    RowMatrixXf& Y, ConvWorkspace& ws);

// Given dY = ∂L/∂Y (N, F·oh·ow) at the input X (N, C·H·W): dfilters (F, C·kh·kw) and dbias (F)
// are overwritten with ∂L/∂filters and ∂L/∂bias (summed over the batch), and dX, when not null,
// is resized to (N, C·H·W) and set to ∂L/∂X (a first layer needs none). Same errors.
void conv2d_backward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                     const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const RowMatrixXf>& dY,
                     RowMatrixXf* dX, Eigen::Ref<RowMatrixXf> dfilters, Eigen::Ref<Eigen::VectorXf> dbias,
                     ConvWorkspace& ws);

// -------------------------------------------------------------------------------------------
// [reference]
// The same two passes as the formula reads, one output cell (forward) or one tap (backward) at a
// time, in double, nothing shared with the fast path but the layouts: what the tests compare the
// fast path with. Slow; for small shapes and for the lab's worked numbers.

void reference_conv2d_forward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                              const Eigen::Ref<const RowMatrixXf>& filters,
                              const Eigen::Ref<const Eigen::VectorXf>& bias, RowMatrixXf& Y);
void reference_conv2d_backward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                               const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const RowMatrixXf>& dY,
                               RowMatrixXf* dX, Eigen::Ref<RowMatrixXf> dfilters, Eigen::Ref<Eigen::VectorXf> dbias);

// -------------------------------------------------------------------------------------------
// [window]
// What output cell (f, i, j) reads, for the lab that animates the sliding filter. The window is
// the same for every filter f (each filter reads all C channels at the same taps).

struct ConvTap {
  int row = 0, col = 0;     // input row and column of the tap (negative or ≥ H / W in the padding)
  bool in_padding = false;  // true when the tap falls outside the image and so reads a zero
};

struct ConvWindow {
  int top = 0, left = 0;      // input row and column of tap (0, 0): i·sh − ph, j·sw − pw
  std::vector<ConvTap> taps;  // (kh, kw) row-major: tap (u, v) at (top + u·dh, left + v·dw)
  int padding_taps = 0;       // how many taps are in the padding
};

// Throws implay::Error naming the cell when f, i or j is outside (F, oh, ow).
ConvWindow conv_window(const ConvGeometry& g, int f, int i, int j);

}  // namespace implay
