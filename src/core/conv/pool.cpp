// pool.cpp — max- and average-pooling of pool.hpp: plain loops over (n, c, i, j) and the window.
// They are the reference themselves (a window of 4 floats leaves no room for a GEMM).
#include "core/conv/pool.hpp"

#include <string>

#include "core/conv/conv2d.hpp"
#include "core/error.hpp"

namespace implay {
namespace {

using Eigen::Index;

void check_rows(const PoolGeometry& g, Index cols, const char* pass) {
  if (cols != g.input_size())
    throw Error(std::string(pass) + ": input rows hold " + std::to_string(cols) +
                " values, the layer takes C·H·W = " + std::to_string(g.channels) + "·" + std::to_string(g.height) +
                "·" + std::to_string(g.width) + " = " + std::to_string(g.input_size()));
}

void check_gradient_rows(const PoolGeometry& g, Index cols, const char* pass) {
  if (cols != g.output_size())
    throw Error(std::string(pass) + ": output gradient rows hold " + std::to_string(cols) +
                " values, the layer gives C·oh·ow = " + std::to_string(g.output_size()));
}

// A pool has a window, not a kernel, and no padding or dilation: its own words for the checks
// conv_output_size would otherwise word as a convolution's.
void check_window(int n, int window, int stride, const char* axis) {
  const std::string along = std::string(" along ") + axis;
  if (window < 1) throw Error("pooling window " + std::to_string(window) + along + " (need at least 1)");
  if (stride < 1) throw Error("stride " + std::to_string(stride) + along + " (need at least 1)");
  if (n >= 1 && window > n)
    throw Error("pooling window " + std::to_string(window) + " is larger than the input " + std::to_string(n) + along);
}

}  // namespace

PoolGeometry pool_geometry(int channels, int height, int width, const PoolParams& params) {
  check_window(height, params.kh, params.sh, "rows");
  check_window(width, params.kw, params.sw, "columns");
  // conv_geometry checks the sizes; pooling is a convolution of C single-channel "filters"
  // without weights, so its im2col bound (C·kh·kw·oh·ow) covers the work here too.
  const ConvGeometry conv =
      conv_geometry(channels, height, width, 1, ConvParams{params.kh, params.kw, params.sh, params.sw, 0, 0, 1, 1});
  PoolGeometry g;
  g.channels = channels;
  g.height = height;
  g.width = width;
  g.params = params;
  g.out_height = conv.out_height;
  g.out_width = conv.out_width;
  return g;
}

void max_pool_forward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& X, RowMatrixXf& Y,
                      std::vector<int32_t>& argmax) {
  check_rows(g, X.cols(), "max-pool forward");
  const PoolParams& p = g.params;
  Y.resize(X.rows(), g.output_size());
  argmax.resize(size_t(X.rows()) * size_t(g.output_size()));
  int32_t* winner = argmax.data();
  for (Index n = 0; n < X.rows(); ++n) {
    const float* image = X.data() + n * X.outerStride();  // (C, H, W)
    float* out = Y.data() + n * Y.cols();                 // (C, oh, ow)
    for (int c = 0; c < g.channels; ++c)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          int32_t best = (c * g.height + i * p.sh) * g.width + j * p.sw;  // tap (0, 0)
          for (int u = 0; u < p.kh; ++u)
            for (int v = 0; v < p.kw; ++v) {
              const int32_t at = (c * g.height + i * p.sh + u) * g.width + j * p.sw + v;
              if (image[at] > image[best]) best = at;  // strict: a tie keeps the first
            }
          *out++ = image[best];
          *winner++ = best;
        }
  }
}

void max_pool_backward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& dY, std::span<const int32_t> argmax,
                       RowMatrixXf& dX) {
  check_gradient_rows(g, dY.cols(), "max-pool backward");
  if (argmax.size() != size_t(dY.rows()) * size_t(g.output_size()))
    throw Error("max-pool backward: " + std::to_string(argmax.size()) + " argmax entries for " +
                std::to_string(dY.rows()) + " × " + std::to_string(g.output_size()) + " output cells");
  dX.setZero(dY.rows(), g.input_size());
  const int32_t* winner = argmax.data();
  for (Index n = 0; n < dY.rows(); ++n) {
    const float* d_out = dY.data() + n * dY.outerStride();
    float* d_in = dX.data() + n * dX.cols();
    for (int k = 0; k < g.output_size(); ++k) d_in[*winner++] += d_out[k];
  }
}

void avg_pool_forward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& X, RowMatrixXf& Y) {
  check_rows(g, X.cols(), "average-pool forward");
  const PoolParams& p = g.params;
  const float scale = 1.0f / float(p.kh * p.kw);
  Y.resize(X.rows(), g.output_size());
  for (Index n = 0; n < X.rows(); ++n) {
    const float* image = X.data() + n * X.outerStride();
    float* out = Y.data() + n * Y.cols();
    for (int c = 0; c < g.channels; ++c)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          float sum = 0;
          for (int u = 0; u < p.kh; ++u)
            for (int v = 0; v < p.kw; ++v) sum += image[(c * g.height + i * p.sh + u) * g.width + j * p.sw + v];
          *out++ = sum * scale;
        }
  }
}

void avg_pool_backward(const PoolGeometry& g, const Eigen::Ref<const RowMatrixXf>& dY, RowMatrixXf& dX) {
  check_gradient_rows(g, dY.cols(), "average-pool backward");
  const PoolParams& p = g.params;
  const float scale = 1.0f / float(p.kh * p.kw);
  dX.setZero(dY.rows(), g.input_size());
  for (Index n = 0; n < dY.rows(); ++n) {
    const float* d_out = dY.data() + n * dY.outerStride();
    float* d_in = dX.data() + n * dX.cols();
    for (int c = 0; c < g.channels; ++c)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          const float share = *d_out++ * scale;
          for (int u = 0; u < p.kh; ++u)
            for (int v = 0; v < p.kw; ++v) d_in[(c * g.height + i * p.sh + u) * g.width + j * p.sw + v] += share;
        }
  }
}

}  // namespace implay
