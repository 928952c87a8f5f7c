// conv2d.cpp — the convolution layer of conv2d.hpp: geometry checks, the im2col + GEMM fast
// path, the plain-loop reference and the window read-out.
//
// Index: [geometry] [fast path] [reference] [window]
#include "core/conv/conv2d.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/error.hpp"

namespace implay {
namespace {

using Eigen::Index;
using ConstRowMap = Eigen::Map<const RowMatrixXf>;
using RowMap = Eigen::Map<RowMatrixXf>;

std::string str(int64_t v) { return std::to_string(v); }

// Throws unless Π factors ≤ kMaxConvElements: "<what> 3 × 70000 × 70000 (C × H × W) is more than
// the 268435456 values allowed". Each factor is ≤ 2^31 and the running product is checked after
// every step against 2^28, so it never exceeds 2^59: no overflow.
void check_elements(std::initializer_list<int64_t> factors, const char* what, const char* names) {
  int64_t total = 1;
  bool too_many = false;
  std::string text;
  for (int64_t f : factors) {
    if (!too_many) total *= f;
    if (total > kMaxConvElements) too_many = true;
    text += (text.empty() ? "" : " × ") + str(f);
  }
  if (too_many)
    throw Error(std::string(what) + " " + text + " (" + names + ") is more than the " + str(kMaxConvElements) +
                " values allowed");
}

// The operands of a pass, against the geometry: every mismatch names both sizes.
void check_operands(const ConvGeometry& g, const char* pass, Index x_cols, Index filter_rows, Index filter_cols,
                    Index bias_size) {
  if (x_cols != g.input_size())
    throw Error(std::string(pass) + ": input rows hold " + str(x_cols) + " values, the layer takes C·H·W = " +
                str(g.channels) + "·" + str(g.height) + "·" + str(g.width) + " = " + str(g.input_size()));
  if (filter_rows != g.filters || filter_cols != g.filter_size())
    throw Error(std::string(pass) + ": filters are " + str(filter_rows) + " × " + str(filter_cols) +
                ", the layer needs F × C·kh·kw = " + str(g.filters) + " × " + str(g.filter_size()));
  if (bias_size >= 0 && bias_size != g.filters)
    throw Error(std::string(pass) + ": " + str(bias_size) + " biases for " + str(g.filters) + " filters");
}

}  // namespace

// [SECTION] geometry -----------------------------------------------------------------------------

int conv_output_size(int n, int k, int s, int p, int d, std::string_view axis) {
  const std::string along = axis.empty() ? std::string() : " along " + std::string(axis);
  if (n < 1) throw Error("input size " + str(n) + along + " (need at least 1)");
  if (k < 1) throw Error("kernel size " + str(k) + along + " (need at least 1)");
  if (s < 1) throw Error("stride " + str(s) + along + " (need at least 1)");
  if (d < 1) throw Error("dilation " + str(d) + along + " (need at least 1)");
  if (p < 0) throw Error("padding " + str(p) + along + " (need at least 0)");
  // In 64 bits: d(k − 1) + 1 < 2^62 and n + 2p < 2^33 cannot overflow.
  const int64_t span = int64_t(d) * (int64_t(k) - 1) + 1;  // the effective (dilated) kernel
  const int64_t padded = int64_t(n) + 2 * int64_t(p);
  if (span > padded) {
    const std::string kernel =
        "kernel " + str(k) + " (dilation " + str(d) + (d > 1 ? ", spanning " + str(span) : std::string()) + ")";
    throw Error(kernel + " is larger than the padded input " + str(n) + " + 2·" + str(p) + " = " + str(padded) + along);
  }
  // The loops compute i·s − p + u·d in int: with n + 2p ≤ 2^28 every term is below 2^28.
  if (padded > kMaxConvElements)
    throw Error("padded input " + str(n) + " + 2·" + str(p) + " = " + str(padded) + along + " is more than the " +
                str(kMaxConvElements) + " allowed");
  return int((padded - span) / s + 1);
}

ConvGeometry conv_geometry(int channels, int height, int width, int filters, const ConvParams& params) {
  if (channels < 1) throw Error("an input of " + str(channels) + " channels (need at least 1)");
  if (filters < 1) throw Error("a layer of " + str(filters) + " filters (need at least 1)");
  ConvGeometry g;
  g.channels = channels;
  g.height = height;
  g.width = width;
  g.filters = filters;
  g.params = params;
  g.out_height = conv_output_size(height, params.kh, params.sh, params.ph, params.dh, "rows");
  g.out_width = conv_output_size(width, params.kw, params.sw, params.pw, params.dw, "columns");
  check_elements({channels, height, width}, "input", "C × H × W");
  check_elements({filters, channels, params.kh, params.kw}, "filters", "F × C × kh × kw");
  check_elements({filters, g.out_height, g.out_width}, "output", "F × oh × ow");
  check_elements({channels, params.kh, params.kw, g.out_height, g.out_width}, "im2col buffer", "C × kh × kw × oh × ow");
  return g;
}

// [SECTION] fast path ----------------------------------------------------------------------------

namespace {

// image (C, H, W) → columns (C·kh·kw, oh·ow): row (c, u, v), column (i, j) holds
// image[c, i·sh − ph + u·dh, j·sw − pw + v·dw], 0 in the padding.
void im2col(const ConvGeometry& g, const float* image, RowMatrixXf& columns) {
  const ConvParams& p = g.params;
  columns.resize(g.filter_size(), g.out_cells());
  float* out = columns.data();
  for (int c = 0; c < g.channels; ++c)
    for (int u = 0; u < p.kh; ++u)
      for (int v = 0; v < p.kw; ++v)
        for (int i = 0; i < g.out_height; ++i) {
          const int row = i * p.sh - p.ph + u * p.dh;
          if (row < 0 || row >= g.height) {
            for (int j = 0; j < g.out_width; ++j) *out++ = 0;
            continue;
          }
          const float* in = image + (Index(c) * g.height + row) * g.width;
          for (int j = 0; j < g.out_width; ++j) {
            const int col = j * p.sw - p.pw + v * p.dw;
            *out++ = col >= 0 && col < g.width ? in[col] : 0.0f;
          }
        }
}

// The adjoint of im2col: image (C, H, W) += every column entry at the tap it was read from
// (taps in the padding are dropped).
void col2im_add(const ConvGeometry& g, const RowMatrixXf& columns, float* image) {
  const ConvParams& p = g.params;
  const float* in = columns.data();
  for (int c = 0; c < g.channels; ++c)
    for (int u = 0; u < p.kh; ++u)
      for (int v = 0; v < p.kw; ++v)
        for (int i = 0; i < g.out_height; ++i) {
          const int row = i * p.sh - p.ph + u * p.dh;
          if (row < 0 || row >= g.height) {
            in += g.out_width;
            continue;
          }
          float* out = image + (Index(c) * g.height + row) * g.width;
          for (int j = 0; j < g.out_width; ++j, ++in) {
            const int col = j * p.sw - p.pw + v * p.dw;
            if (col >= 0 && col < g.width) out[col] += *in;
          }
        }
}

}  // namespace

void conv2d_forward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                    const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const Eigen::VectorXf>& bias,
                    RowMatrixXf& Y, ConvWorkspace& ws) {
  check_operands(g, "conv2d forward", X.cols(), filters.rows(), filters.cols(), bias.size());
  Y.resize(X.rows(), g.output_size());
  for (Index n = 0; n < X.rows(); ++n) {
    im2col(g, X.data() + n * X.outerStride(), ws.columns);
    RowMap out(Y.data() + n * Y.cols(), g.filters, g.out_cells());  // (F, oh·ow) = image n of Y
    out.noalias() = filters * ws.columns;
    out.colwise() += bias;
  }
}

void conv2d_backward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                     const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const RowMatrixXf>& dY,
                     RowMatrixXf* dX, Eigen::Ref<RowMatrixXf> dfilters, Eigen::Ref<Eigen::VectorXf> dbias,
                     ConvWorkspace& ws) {
  check_operands(g, "conv2d backward", X.cols(), filters.rows(), filters.cols(), -1);
  check_operands(g, "conv2d backward (gradient)", X.cols(), dfilters.rows(), dfilters.cols(), dbias.size());
  if (dY.rows() != X.rows() || dY.cols() != g.output_size())
    throw Error("conv2d backward: the output gradient is " + str(dY.rows()) + " × " + str(dY.cols()) + ", expected " +
                str(X.rows()) + " × F·oh·ow = " + str(X.rows()) + " × " + str(g.output_size()));
  dfilters.setZero();
  dbias.setZero();
  if (dX) dX->setZero(X.rows(), g.input_size());
  for (Index n = 0; n < X.rows(); ++n) {
    const ConstRowMap d_out(dY.data() + n * dY.outerStride(), g.filters, g.out_cells());  // (F, oh·ow)
    im2col(g, X.data() + n * X.outerStride(), ws.columns);
    dfilters.noalias() += d_out * ws.columns.transpose();  // (F, oh·ow)·(oh·ow, C·kh·kw)
    dbias += d_out.rowwise().sum();
    if (!dX) continue;
    ws.dcolumns.resize(g.filter_size(), g.out_cells());
    ws.dcolumns.noalias() = filters.transpose() * d_out;  // (C·kh·kw, F)·(F, oh·ow)
    col2im_add(g, ws.dcolumns, dX->data() + n * dX->cols());
  }
}

// [SECTION] reference ----------------------------------------------------------------------------

void reference_conv2d_forward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                              const Eigen::Ref<const RowMatrixXf>& filters,
                              const Eigen::Ref<const Eigen::VectorXf>& bias, RowMatrixXf& Y) {
  check_operands(g, "reference conv2d forward", X.cols(), filters.rows(), filters.cols(), bias.size());
  const ConvParams& p = g.params;
  Y.resize(X.rows(), g.output_size());
  for (Index n = 0; n < X.rows(); ++n)
    for (int f = 0; f < g.filters; ++f)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          double sum = bias[f];
          for (int c = 0; c < g.channels; ++c)
            for (int u = 0; u < p.kh; ++u)
              for (int v = 0; v < p.kw; ++v) {
                const int row = i * p.sh - p.ph + u * p.dh, col = j * p.sw - p.pw + v * p.dw;
                if (row < 0 || row >= g.height || col < 0 || col >= g.width) continue;  // a zero of the padding
                sum += double(filters(f, (c * p.kh + u) * p.kw + v)) *
                       double(X(n, (Index(c) * g.height + row) * g.width + col));
              }
          Y(n, (Index(f) * g.out_height + i) * g.out_width + j) = float(sum);
        }
}

void reference_conv2d_backward(const ConvGeometry& g, const Eigen::Ref<const RowMatrixXf>& X,
                               const Eigen::Ref<const RowMatrixXf>& filters, const Eigen::Ref<const RowMatrixXf>& dY,
                               RowMatrixXf* dX, Eigen::Ref<RowMatrixXf> dfilters, Eigen::Ref<Eigen::VectorXf> dbias) {
  check_operands(g, "reference conv2d backward", X.cols(), filters.rows(), filters.cols(), dbias.size());
  if (dY.rows() != X.rows() || dY.cols() != g.output_size())
    throw Error("reference conv2d backward: the output gradient is " + str(dY.rows()) + " × " + str(dY.cols()) +
                ", expected " + str(X.rows()) + " × " + str(g.output_size()));
  const ConvParams& p = g.params;
  // Accumulated in double: Y depends on each weight, bias and input through every output cell
  // whose window covers it, so ∂L/∂(that) is the sum over those cells of dY · (its partner).
  Eigen::MatrixXd dW = Eigen::MatrixXd::Zero(g.filters, g.filter_size());  // (F, C·kh·kw)
  Eigen::VectorXd db = Eigen::VectorXd::Zero(g.filters);                   // (F)
  Eigen::MatrixXd dx = Eigen::MatrixXd::Zero(X.rows(), g.input_size());    // (N, C·H·W)
  for (Index n = 0; n < X.rows(); ++n)
    for (int f = 0; f < g.filters; ++f)
      for (int i = 0; i < g.out_height; ++i)
        for (int j = 0; j < g.out_width; ++j) {
          const double d = dY(n, (Index(f) * g.out_height + i) * g.out_width + j);
          db[f] += d;
          for (int c = 0; c < g.channels; ++c)
            for (int u = 0; u < p.kh; ++u)
              for (int v = 0; v < p.kw; ++v) {
                const int row = i * p.sh - p.ph + u * p.dh, col = j * p.sw - p.pw + v * p.dw;
                if (row < 0 || row >= g.height || col < 0 || col >= g.width) continue;
                const Index tap = (c * p.kh + u) * p.kw + v, pixel = (Index(c) * g.height + row) * g.width + col;
                dW(f, tap) += d * double(X(n, pixel));
                dx(n, pixel) += d * double(filters(f, tap));
              }
        }
  dfilters = dW.cast<float>();
  dbias = db.cast<float>();
  if (dX) *dX = dx.cast<float>();
}

// [SECTION] window -------------------------------------------------------------------------------

ConvWindow conv_window(const ConvGeometry& g, int f, int i, int j) {
  if (f < 0 || f >= g.filters || i < 0 || i >= g.out_height || j < 0 || j >= g.out_width)
    throw Error("output cell (filter " + str(f) + ", row " + str(i) + ", column " + str(j) + ") is outside the " +
                str(g.filters) + " × " + str(g.out_height) + " × " + str(g.out_width) + " output");
  const ConvParams& p = g.params;
  ConvWindow w;
  w.top = i * p.sh - p.ph;
  w.left = j * p.sw - p.pw;
  w.taps.reserve(size_t(p.kh) * size_t(p.kw));
  for (int u = 0; u < p.kh; ++u)
    for (int v = 0; v < p.kw; ++v) {
      ConvTap tap{w.top + u * p.dh, w.left + v * p.dw, false};
      tap.in_padding = tap.row < 0 || tap.row >= g.height || tap.col < 0 || tap.col >= g.width;
      w.padding_taps += tap.in_padding;
      w.taps.push_back(tap);
    }
  return w;
}

}  // namespace implay
