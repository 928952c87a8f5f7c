// test_conv_pool.cpp — max- and average-pooling of core/conv/pool.hpp: a 4 × 4 image pooled by
// hand (values, argmax, both backward passes), overlapping windows summing their gradient at a
// shared winner, ties going to the first, the size errors, and central-difference checks on
// inputs without ties (two channels, a 2 × 3 window, strides 1 and 2).
#include <doctest/doctest.h>

#include <numeric>
#include <span>
#include <vector>

#include "core/conv/pool.hpp"
#include "core/error.hpp"
#include "core/grad_check.hpp"
#include "core/rng.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::error_of;

// L = Σ r ⊙ Y + ¼ Σ Y² and its ∂L/∂Y = r + ½ Y.
double quadratic_loss(const RowMatrixXf& y, const RowMatrixXf& r) {
  double total = 0;
  for (Eigen::Index q = 0; q < y.size(); ++q)
    total += double(r.data()[q]) * y.data()[q] + 0.25 * double(y.data()[q]) * y.data()[q];
  return total;
}

}  // namespace

TEST_CASE("by hand: a 4 × 4 image, 2 × 2 windows, stride 2 — max with its argmax, average, both backward") {
  // x = 1 3 | 2 0      max: 4 (row 1, col 0 = index 4)   5 (index 7)
  //     4 2 | 1 5           6 (index 9)                  8 (index 15)
  //     ----+----      average: (1+3+4+2)/4 = 2.5   (2+0+1+5)/4 = 2
  //     0 6 | 7 1               (0+6+2+1)/4 = 2.25  (7+1+3+8)/4 = 4.75
  //     2 1 | 3 8
  const PoolGeometry g = pool_geometry(1, 4, 4, PoolParams{2, 2, 2, 2});
  REQUIRE(g.out_height == 2);
  REQUIRE(g.out_width == 2);
  RowMatrixXf x(1, 16);
  x << 1, 3, 2, 0, 4, 2, 1, 5, 0, 6, 7, 1, 2, 1, 3, 8;
  RowMatrixXf y, dx;
  std::vector<int32_t> argmax;
  max_pool_forward(g, x, y, argmax);
  RowMatrixXf expected(1, 4);
  expected << 4, 5, 6, 8;
  CHECK(y == expected);
  CHECK(argmax == std::vector<int32_t>{4, 7, 9, 15});
  RowMatrixXf dy(1, 4);
  dy << 1, 2, 3, 4;
  max_pool_backward(g, dy, argmax, dx);
  RowMatrixXf expected_dx = RowMatrixXf::Zero(1, 16);
  expected_dx(0, 4) = 1;
  expected_dx(0, 7) = 2;
  expected_dx(0, 9) = 3;
  expected_dx(0, 15) = 4;
  CHECK(dx == expected_dx);

  avg_pool_forward(g, x, y);
  expected << 2.5f, 2, 2.25f, 4.75f;
  CHECK(y == expected);
  avg_pool_backward(g, dy, dx);
  RowMatrixXf expected_avg(1, 16);  // each window's four inputs get its dY / 4
  expected_avg << 0.25f, 0.25f, 0.5f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f, 0.75f, 0.75f, 1, 1, 0.75f, 0.75f, 1, 1;
  CHECK(dx == expected_avg);
}

TEST_CASE("overlapping windows: a shared winner collects every window's gradient; ties go to the first") {
  // 3 × 3, 2 × 2 windows, stride 1: the centre 9 wins all four windows.
  const PoolGeometry g = pool_geometry(1, 3, 3, PoolParams{2, 2, 1, 1});
  RowMatrixXf x(1, 9);
  x << 1, 2, 3, 4, 9, 5, 6, 7, 8;
  RowMatrixXf y, dx;
  std::vector<int32_t> argmax;
  max_pool_forward(g, x, y, argmax);
  CHECK(argmax == std::vector<int32_t>{4, 4, 4, 4});
  RowMatrixXf dy(1, 4);
  dy << 1, 2, 3, 4;
  max_pool_backward(g, dy, argmax, dx);
  CHECK(dx(0, 4) == 10);
  CHECK(dx.sum() == 10);
  // All equal: each window's first tap (its top-left) wins.
  const RowMatrixXf flat = RowMatrixXf::Constant(1, 9, 2);
  max_pool_forward(g, flat, y, argmax);
  CHECK(argmax == std::vector<int32_t>{0, 1, 3, 4});
}

TEST_CASE("two channels and a batch: each channel pooled on its own, argmax indexes the image row") {
  const PoolGeometry g = pool_geometry(2, 2, 2, PoolParams{2, 2, 2, 2});
  RowMatrixXf x(2, 8);
  x << 1, 2, 3, 4, /* channel 1 */ 8, 7, 6, 5,  //
      -1, -2, -3, -4, /* channel 1 */ 0, 0, 1, 0;
  RowMatrixXf y;
  std::vector<int32_t> argmax;
  max_pool_forward(g, x, y, argmax);
  RowMatrixXf expected(2, 2);
  expected << 4, 8, -1, 1;
  CHECK(y == expected);
  CHECK(argmax == std::vector<int32_t>{3, 4, 0, 6});
}

TEST_CASE("pooling sizes: the conv formula without padding, and its errors") {
  const PoolGeometry g = pool_geometry(8, 28, 28, PoolParams{2, 2, 2, 2});
  CHECK(g.out_height == 14);
  CHECK(g.out_width == 14);
  CHECK(pool_geometry(1, 7, 7, PoolParams{3, 3, 2, 2}).out_height == 3);  // (7 − 3) / 2 + 1
  CHECK(pool_geometry(1, 5, 5, PoolParams{2, 2, 2, 2}).out_width == 2);   // the last column is left out
  CHECK(error_of([] {
          pool_geometry(1, 2, 5, PoolParams{3, 2, 1, 1});
        }) == "pooling window 3 is larger than the input 2 along rows");
  CHECK(error_of([] { pool_geometry(1, 4, 4, PoolParams{2, 2, 1, 0}); }) == "stride 0 along columns (need at least 1)");
  const RowMatrixXf wrong = RowMatrixXf::Zero(1, 15);
  RowMatrixXf y;
  std::vector<int32_t> argmax;
  const PoolGeometry four = pool_geometry(1, 4, 4, PoolParams{});
  CHECK(error_of([&] { max_pool_forward(four, wrong, y, argmax); }) ==
        "max-pool forward: input rows hold 15 values, the layer takes C·H·W = 1·4·4 = 16");
  CHECK(error_of([&] { avg_pool_backward(four, wrong, y); }) ==
        "average-pool backward: output gradient rows hold 15 values, the layer gives C·oh·ow = 4");
}

TEST_CASE("gradient check: max-pool (inputs without ties) and average-pool") {
  Rng rng(41);
  const PoolParams shapes[] = {{2, 2, 2, 2}, {2, 3, 1, 2}, {3, 2, 2, 1}};
  for (const PoolParams& p : shapes) {
    CAPTURE(p.kh);
    CAPTURE(p.kw);
    const PoolGeometry g = pool_geometry(2, 6, 7, p);
    const int n = 2;
    // Distinct values 0.1 apart, shuffled: moving one by h = 0.01 never changes a window's winner.
    std::vector<int32_t> order(size_t(n) * size_t(g.input_size()));
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(std::span<int32_t>(order));
    RowMatrixXf x(n, g.input_size());
    for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 0.1f * float(order[size_t(k)]) - 4.0f;
    RowMatrixXf r(n, g.output_size());
    for (Eigen::Index k = 0; k < r.size(); ++k) r.data()[k] = float(2 * rng.uniform() - 1);
    RowMatrixXf y, dx;
    std::vector<int32_t> argmax;
    for (bool max : {true, false}) {
      CAPTURE(max);
      auto loss = [&] {
        if (max)
          max_pool_forward(g, x, y, argmax);
        else
          avg_pool_forward(g, x, y);
        return quadratic_loss(y, r);
      };
      loss();
      const RowMatrixXf dy = r + 0.5f * y;
      if (max)
        max_pool_backward(g, dy, argmax, dx);
      else
        avg_pool_backward(g, dy, dx);
      const GradCheckResult res = check_gradient(loss, std::span<float>(x.data(), size_t(x.size())),
                                                 std::span<const float>(dx.data(), size_t(dx.size())));
      CAPTURE(res.worst);
      CAPTURE(res.worst_analytic);
      CAPTURE(res.worst_numeric);
      CHECK(res.max_relative_error < 1e-2);
      CHECK(res.norm_relative_error < 1e-3);
    }
  }
}
