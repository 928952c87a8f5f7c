// test_conv2d.cpp — the convolution layer of core/conv/conv2d.hpp: the output-size formula (the
// lecture's 6 × 8 → 5 × 7) and its errors, a 3 × 3 input under a 2 × 2 kernel worked out by hand
// (forward and backward, with and without padding and stride), the im2col + GEMM fast path against
// the plain-loop reference on random shapes (non-square kernels, stride 2, padding, dilation 2,
// C = 3, F = 4), central-difference checks of ∂ input, ∂ filters and ∂ bias, the window read-out,
// and the fast and reference speeds on a 100 × 1 × 28 × 28 batch.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/conv/conv2d.hpp"
#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using Eigen::VectorXf;
using implay::testing::contains;
using implay::testing::error_of;

std::span<float> span_of(RowMatrixXf& m) { return {m.data(), size_t(m.size())}; }
std::span<float> span_of(VectorXf& v) { return {v.data(), size_t(v.size())}; }
std::span<const float> cspan_of(const RowMatrixXf& m) { return {m.data(), size_t(m.size())}; }
std::span<const float> cspan_of(const VectorXf& v) { return {v.data(), size_t(v.size())}; }

// max |a − r| / max |r|: the whole array's agreement, relative to its scale.
double relative_difference(const Eigen::Ref<const RowMatrixXf>& a, const Eigen::Ref<const RowMatrixXf>& r) {
  return double((a - r).cwiseAbs().maxCoeff()) / std::max(1e-6, double(r.cwiseAbs().maxCoeff()));
}

RowMatrixXf random_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double scale = 1) {
  RowMatrixXf m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = float(scale * (2 * rng.uniform() - 1));
  return m;
}

// A layer and a batch to test it on: X (N, C·H·W), filters (F, C·kh·kw), bias (F).
struct Case {
  ConvGeometry g;
  RowMatrixXf x, filters;
  VectorXf bias;
};

Case random_case(int n, int c, int h, int w, int f, const ConvParams& params, Rng& rng) {
  Case k{conv_geometry(c, h, w, f, params), {}, {}, {}};
  k.x = random_matrix(n, k.g.input_size(), rng);
  k.filters = random_matrix(f, k.g.filter_size(), rng, 0.5);
  k.bias = random_matrix(f, 1, rng, 0.5);
  return k;
}

struct Shape {
  int n, c, h, w, f;
  ConvParams params;
};

// Non-square kernels, stride 2, padding, dilation 2, C = 3, F = 4, and mixes of them.
const Shape kShapes[] = {
    {2, 1, 5, 5, 1, {3, 3, 1, 1, 0, 0, 1, 1}},   // the plain case
    {3, 3, 7, 6, 4, {3, 2, 1, 1, 0, 0, 1, 1}},   // non-square kernel, C = 3, F = 4
    {2, 3, 8, 9, 4, {3, 3, 2, 2, 1, 1, 1, 1}},   // stride 2 with padding 1
    {2, 2, 9, 8, 3, {3, 2, 1, 2, 2, 0, 2, 1}},   // dilation 2 along rows, stride 2 along columns
    {1, 3, 10, 7, 4, {2, 3, 2, 1, 1, 2, 2, 2}},  // everything at once
    {2, 1, 4, 4, 2, {4, 4, 1, 1, 0, 0, 1, 1}},   // the kernel covers the whole image: one output
    {1, 2, 5, 3, 2, {1, 1, 2, 2, 1, 1, 1, 1}},   // 1 × 1 kernel: padding cells read only zeros
};

}  // namespace

TEST_CASE("output size ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1: the lecture's 6 × 8 under 2 × 2 → 5 × 7") {
  CHECK(conv_output_size(6, 2, 1, 0, 1) == 5);
  CHECK(conv_output_size(8, 2, 1, 0, 1) == 7);
  const ConvGeometry lecture = conv_geometry(1, 6, 8, 1, ConvParams{2, 2, 1, 1, 0, 0, 1, 1});
  CHECK(lecture.out_height == 5);
  CHECK(lecture.out_width == 7);
  CHECK(conv_output_size(28, 5, 1, 2, 1) == 28);  // "same" padding
  CHECK(conv_output_size(7, 3, 2, 0, 1) == 3);    // (7 − 3) / 2 + 1
  CHECK(conv_output_size(8, 3, 2, 1, 1) == 4);    // ⌊(8 + 2 − 3) / 2⌋ + 1 = ⌊3.5⌋ + 1
  CHECK(conv_output_size(9, 3, 1, 0, 2) == 5);    // dilated kernel spans 5: 9 − 5 + 1
  CHECK(conv_output_size(5, 5, 1, 0, 1) == 1);
  CHECK(conv_output_size(1, 3, 1, 1, 1) == 1);  // a 1-pixel image, padded to 3
}

TEST_CASE("impossible sizes are errors naming the numbers") {
  CHECK(error_of([] { conv_output_size(6, 7, 1, 0, 1, "rows"); }) ==
        "kernel 7 (dilation 1) is larger than the padded input 6 + 2·0 = 6 along rows");
  CHECK(error_of([] { conv_output_size(4, 3, 1, 0, 2, "columns"); }) ==
        "kernel 3 (dilation 2, spanning 5) is larger than the padded input 4 + 2·0 = 4 along columns");
  CHECK(error_of([] { conv_output_size(6, 0, 1, 0, 1); }) == "kernel size 0 (need at least 1)");
  CHECK(error_of([] { conv_output_size(6, 2, 0, 0, 1, "rows"); }) == "stride 0 along rows (need at least 1)");
  CHECK(error_of([] { conv_output_size(6, 2, 1, -1, 1, "rows"); }) == "padding -1 along rows (need at least 0)");
  CHECK(error_of([] { conv_output_size(6, 2, 1, 0, 0, "rows"); }) == "dilation 0 along rows (need at least 1)");
  CHECK(error_of([] { conv_output_size(0, 1, 1, 0, 1, "rows"); }) == "input size 0 along rows (need at least 1)");
  CHECK(error_of([] { conv_output_size(2000000000, 1, 1, 2000000000, 1, "rows"); }) ==
        "padded input 2000000000 + 2·2000000000 = 6000000000 along rows is more than the 268435456 allowed");
  // A huge padding with a huge stride leaves few outputs, but i·s − p would not fit an int.
  CHECK(error_of([] { conv_output_size(1, 1, 1073741824, 1073741824, 1, "columns"); }) ==
        "padded input 1 + 2·1073741824 = 2147483649 along columns is more than the 268435456 allowed");
  CHECK(conv_output_size(100000000, 3, 100000000, 84217727, 1) == 3);  // padded 268435454: inside the cap
  // Large dilation times a large kernel: computed in 64 bits, no wrap-around to a "fitting" kernel.
  CHECK(contains(error_of([] { conv_output_size(100, 2000000000, 1, 0, 2000000000, "rows"); }),
                 "is larger than the padded input 100 + 2·0 = 100 along rows"));
  CHECK(error_of([] {
          conv_geometry(1, 6, 8, 1, ConvParams{2, 9, 1, 1, 0, 0, 1, 1});
        }) == "kernel 9 (dilation 1) is larger than the padded input 8 + 2·0 = 8 along columns");
  CHECK(error_of([] {
          conv_geometry(3, 100000, 100000, 1, ConvParams{1, 1, 1, 1, 0, 0, 1, 1});
        }) == "input 3 × 100000 × 100000 (C × H × W) is more than the 268435456 values allowed");
  CHECK(error_of([] {
          conv_geometry(3, 2000, 2000, 8, ConvParams{11, 11, 1, 1, 5, 5, 1, 1});
        }) ==
        "im2col buffer 3 × 11 × 11 × 2000 × 2000 (C × kh × kw × oh × ow) is more than the 268435456 values allowed");
  CHECK(error_of([] { conv_geometry(0, 6, 8, 1, {}); }) == "an input of 0 channels (need at least 1)");
  CHECK(error_of([] { conv_geometry(1, 6, 8, 0, {}); }) == "a layer of 0 filters (need at least 1)");
}

TEST_CASE("by hand: a 3 × 3 input under a 2 × 2 kernel, forward and backward") {
  // x = 1 2 3     kernel = 1 2     bias 1
  //     4 5 6              3 4
  //     7 8 9
  // y(0,0) = 1·1 + 2·2 + 4·3 + 5·4 + 1 = 38    y(0,1) = 2·1 + 3·2 + 5·3 + 6·4 + 1 = 48
  // y(1,0) = 4·1 + 5·2 + 7·3 + 8·4 + 1 = 68    y(1,1) = 5·1 + 6·2 + 8·3 + 9·4 + 1 = 78
  // With dY = 1 everywhere: dbias = 4 (four cells); dkernel(u, v) = the sum of the four pixels
  // tap (u, v) reads = 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28; dx(r, c) = the sum
  // of the kernel taps that land on (r, c): the corners get one tap, the edges two, the centre all
  // four (1 + 2 + 3 + 4 = 10).
  const ConvGeometry g = conv_geometry(1, 3, 3, 1, ConvParams{2, 2, 1, 1, 0, 0, 1, 1});
  RowMatrixXf x(1, 9), kernel(1, 4);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  kernel << 1, 2, 3, 4;
  VectorXf bias(1);
  bias << 1;
  ConvWorkspace ws;
  RowMatrixXf y, reference;
  conv2d_forward(g, x, kernel, bias, y, ws);
  reference_conv2d_forward(g, x, kernel, bias, reference);
  RowMatrixXf expected(1, 4);
  expected << 38, 48, 68, 78;
  CHECK(y == expected);
  CHECK(reference == expected);

  const RowMatrixXf dy = RowMatrixXf::Ones(1, 4);
  RowMatrixXf dx, dkernel(1, 4), ref_dx, ref_dkernel(1, 4);
  VectorXf dbias(1), ref_dbias(1);
  conv2d_backward(g, x, kernel, dy, &dx, dkernel, dbias, ws);
  reference_conv2d_backward(g, x, kernel, dy, &ref_dx, ref_dkernel, ref_dbias);
  RowMatrixXf expected_dx(1, 9), expected_dkernel(1, 4);
  expected_dx << 1, 3, 2,  //
      4, 10, 6,            //
      3, 7, 4;
  expected_dkernel << 12, 16, 24, 28;
  CHECK(dx == expected_dx);
  CHECK(ref_dx == expected_dx);
  CHECK(dkernel == expected_dkernel);
  CHECK(ref_dkernel == expected_dkernel);
  CHECK(dbias[0] == 4);
  CHECK(ref_dbias[0] == 4);
}

TEST_CASE("by hand: the same input with padding 1 and stride 2, and the windows it reads") {
  // Output ⌊(3 + 2 − 1 − 1) / 2⌋ + 1 = 2 per axis; windows start at rows/cols −1 and 1.
  //   y(0,0): taps (−1,−1) (−1,0) (0,−1) in the padding, (0,0) = 1 under weight 4 → 4
  //   y(0,1): (−1,1) (−1,2) padding, (0,1) = 2 under 3, (0,2) = 3 under 4 → 6 + 12 = 18
  //   y(1,0): (1,−1) (2,−1) padding, (1,0) = 4 under 2, (2,0) = 7 under 4 → 8 + 28 = 36
  //   y(1,1): 5·1 + 6·2 + 8·3 + 9·4 = 77
  const ConvGeometry g = conv_geometry(1, 3, 3, 1, ConvParams{2, 2, 2, 2, 1, 1, 1, 1});
  REQUIRE(g.out_height == 2);
  REQUIRE(g.out_width == 2);
  RowMatrixXf x(1, 9), kernel(1, 4);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9;
  kernel << 1, 2, 3, 4;
  const VectorXf bias = VectorXf::Zero(1);
  ConvWorkspace ws;
  RowMatrixXf y;
  conv2d_forward(g, x, kernel, bias, y, ws);
  RowMatrixXf expected(1, 4);
  expected << 4, 18, 36, 77;
  CHECK(y == expected);

  const ConvWindow corner = conv_window(g, 0, 0, 0);
  CHECK(corner.top == -1);
  CHECK(corner.left == -1);
  REQUIRE(corner.taps.size() == 4);
  CHECK(corner.padding_taps == 3);
  CHECK(corner.taps[0].in_padding);
  CHECK(corner.taps[3].row == 0);
  CHECK(corner.taps[3].col == 0);
  CHECK_FALSE(corner.taps[3].in_padding);
  const ConvWindow right = conv_window(g, 0, 0, 1);
  CHECK(right.left == 1);
  CHECK(right.padding_taps == 2);
  CHECK(right.taps[2].row == 0);
  CHECK(right.taps[2].col == 1);
  CHECK(conv_window(g, 0, 1, 1).padding_taps == 0);
  // Dilation spreads the taps: a 2 × 2 kernel, dilation 2, reads rows top and top + 2.
  const ConvGeometry dilated = conv_geometry(2, 5, 5, 3, ConvParams{2, 2, 1, 1, 0, 0, 2, 2});
  const ConvWindow spread = conv_window(dilated, 2, 1, 2);
  CHECK(spread.top == 1);
  CHECK(spread.left == 2);
  CHECK(spread.taps[3].row == 3);
  CHECK(spread.taps[3].col == 4);
  CHECK(error_of([&] { conv_window(g, 1, 0, 0); }) ==
        "output cell (filter 1, row 0, column 0) is outside the 1 × 2 × 2 output");
  CHECK(error_of([&] { conv_window(g, 0, 0, 2); }) ==
        "output cell (filter 0, row 0, column 2) is outside the 1 × 2 × 2 output");
}

TEST_CASE("fast path = reference within 1e-5 relative, forward and backward, on random shapes") {
  Rng rng(17);
  for (const Shape& s : kShapes) {
    CAPTURE(s.c);
    CAPTURE(s.h);
    CAPTURE(s.w);
    CAPTURE(s.f);
    CAPTURE(s.params.kh);
    CAPTURE(s.params.kw);
    Case k = random_case(s.n, s.c, s.h, s.w, s.f, s.params, rng);
    ConvWorkspace ws;
    RowMatrixXf y, ref_y;
    conv2d_forward(k.g, k.x, k.filters, k.bias, y, ws);
    reference_conv2d_forward(k.g, k.x, k.filters, k.bias, ref_y);
    REQUIRE(y.rows() == s.n);
    REQUIRE(y.cols() == k.g.output_size());
    CHECK(relative_difference(y, ref_y) < 1e-5);

    const RowMatrixXf dy = random_matrix(s.n, k.g.output_size(), rng);
    RowMatrixXf dx, ref_dx, dfilters(s.f, k.g.filter_size()), ref_dfilters(s.f, k.g.filter_size());
    VectorXf dbias(s.f), ref_dbias(s.f);
    conv2d_backward(k.g, k.x, k.filters, dy, &dx, dfilters, dbias, ws);
    reference_conv2d_backward(k.g, k.x, k.filters, dy, &ref_dx, ref_dfilters, ref_dbias);
    CHECK(relative_difference(dx, ref_dx) < 1e-5);
    CHECK(relative_difference(dfilters, ref_dfilters) < 1e-5);
    CHECK(relative_difference(dbias.transpose(), ref_dbias.transpose()) < 1e-5);
    // Without dX the parameter gradients are the same.
    RowMatrixXf dfilters_only(s.f, k.g.filter_size());
    VectorXf dbias_only(s.f);
    conv2d_backward(k.g, k.x, k.filters, dy, nullptr, dfilters_only, dbias_only, ws);
    CHECK(dfilters_only == dfilters);
    CHECK(dbias_only == dbias);
  }
}

TEST_CASE("gradient check: ∂ input, ∂ filters and ∂ bias against central differences") {
  // L = Σ r ⊙ Y + ¼ Σ Y² for fixed random r, so ∂L/∂Y = r + ½ Y; a quadratic in each
  // parameter, so central differences have no truncation error and only float noise remains.
  Rng rng(23);
  for (const Shape& s : kShapes) {
    CAPTURE(s.c);
    CAPTURE(s.h);
    CAPTURE(s.w);
    CAPTURE(s.params.kh);
    CAPTURE(s.params.kw);
    Case k = random_case(s.n, s.c, s.h, s.w, s.f, s.params, rng);
    const RowMatrixXf r = random_matrix(s.n, k.g.output_size(), rng);
    ConvWorkspace ws;
    RowMatrixXf y;
    auto loss = [&] {
      conv2d_forward(k.g, k.x, k.filters, k.bias, y, ws);
      double total = 0;
      for (Eigen::Index q = 0; q < y.size(); ++q)
        total += double(r.data()[q]) * y.data()[q] + 0.25 * double(y.data()[q]) * y.data()[q];
      return total;
    };
    loss();
    const RowMatrixXf dy = r + 0.5f * y;
    RowMatrixXf dx, dfilters(s.f, k.g.filter_size());
    VectorXf dbias(s.f);
    conv2d_backward(k.g, k.x, k.filters, dy, &dx, dfilters, dbias, ws);
    const GradCheckResult by_input = check_gradient(loss, span_of(k.x), cspan_of(dx));
    const GradCheckResult by_filter = check_gradient(loss, span_of(k.filters), cspan_of(dfilters));
    const GradCheckResult by_bias = check_gradient(loss, span_of(k.bias), cspan_of(dbias));
    for (const GradCheckResult* res : {&by_input, &by_filter, &by_bias}) {
      CAPTURE(res->worst);
      CAPTURE(res->worst_analytic);
      CAPTURE(res->worst_numeric);
      CHECK(res->checked > 0);
      CHECK(res->max_relative_error < 1e-2);
      CHECK(res->norm_relative_error < 1e-3);
    }
  }
}

TEST_CASE("operands that do not match the layer are errors naming both sizes") {
  const ConvGeometry g = conv_geometry(1, 28, 28, 8, ConvParams{5, 5, 1, 1, 2, 2, 1, 1});
  ConvWorkspace ws;
  RowMatrixXf y;
  const RowMatrixXf filters = RowMatrixXf::Zero(8, 25);
  const VectorXf bias = VectorXf::Zero(8);
  CHECK(error_of([&] { conv2d_forward(g, RowMatrixXf::Zero(2, 783), filters, bias, y, ws); }) ==
        "conv2d forward: input rows hold 783 values, the layer takes C·H·W = 1·28·28 = 784");
  CHECK(error_of([&] { conv2d_forward(g, RowMatrixXf::Zero(2, 784), RowMatrixXf::Zero(8, 24), bias, y, ws); }) ==
        "conv2d forward: filters are 8 × 24, the layer needs F × C·kh·kw = 8 × 25");
  CHECK(error_of([&] { conv2d_forward(g, RowMatrixXf::Zero(2, 784), filters, VectorXf::Zero(7), y, ws); }) ==
        "conv2d forward: 7 biases for 8 filters");
  RowMatrixXf dfilters(8, 25);
  VectorXf dbias(8);
  CHECK(error_of([&] {
          conv2d_backward(g, RowMatrixXf::Zero(2, 784), filters, RowMatrixXf::Zero(2, 100), nullptr, dfilters, dbias,
                          ws);
        }) == "conv2d backward: the output gradient is 2 × 100, expected 2 × F·oh·ow = 2 × 6272");
}

TEST_CASE("speed: 100 × 1 × 28 × 28, 8 filters 5 × 5, padding 2 — fast path vs reference") {
  Rng rng(31);
  Case k = random_case(100, 1, 28, 28, 8, ConvParams{5, 5, 1, 1, 2, 2, 1, 1}, rng);
  ConvWorkspace ws;
  RowMatrixXf y, ref_y, dx, ref_dx, dfilters(8, 25), ref_dfilters(8, 25);
  VectorXf dbias(8), ref_dbias(8);
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  const int repeats = 10;
  conv2d_forward(k.g, k.x, k.filters, k.bias, y, ws);  // warm the workspace
  Clock::time_point t0 = Clock::now();
  for (int r = 0; r < repeats; ++r) conv2d_forward(k.g, k.x, k.filters, k.bias, y, ws);
  const double fast_forward = ms_since(t0) / repeats;
  const RowMatrixXf dy = random_matrix(100, k.g.output_size(), rng);
  t0 = Clock::now();
  for (int r = 0; r < repeats; ++r) conv2d_backward(k.g, k.x, k.filters, dy, &dx, dfilters, dbias, ws);
  const double fast_backward = ms_since(t0) / repeats;
  t0 = Clock::now();
  reference_conv2d_forward(k.g, k.x, k.filters, k.bias, ref_y);
  const double reference_forward = ms_since(t0);
  t0 = Clock::now();
  reference_conv2d_backward(k.g, k.x, k.filters, dy, &ref_dx, ref_dfilters, ref_dbias);
  const double reference_backward = ms_since(t0);
  MESSAGE("conv 100x1x28x28, 8 filters 5x5 pad 2: forward fast "
          << fast_forward << " ms, reference " << reference_forward << " ms; backward fast " << fast_backward
          << " ms, reference " << reference_backward << " ms");
  CHECK(relative_difference(y, ref_y) < 1e-5);
  CHECK(relative_difference(dx, ref_dx) < 1e-5);
  CHECK(relative_difference(dfilters, ref_dfilters) < 1e-5);
}
