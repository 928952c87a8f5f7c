// train_kernels.cpp — the training kernels of train_kernels.hpp: the portable loops, the explicit
// wasm_simd128 versions next to them, and the dispatch. (The distance kernels follow the same
// pattern in distance.cpp.) Every path adds and multiplies each lane in the same order, so the
// SIMD results equal the portable ones bit for bit (tests check this).
//
// [SECTION] Portable loops
// [SECTION] WebAssembly SIMD (128-bit)
// [SECTION] Dispatch
#include "core/train_kernels.hpp"

#include <Eigen/Core>
#include <cmath>

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#endif

namespace implay {

// ---------------------------------------------------------------------------------------------
// [SECTION] Portable loops. Blocks of W lanes summed in a fixed-size Eigen array: natively Eigen
// keeps the 32 lanes in 8 SSE registers while the rows stream by (a plain float[32] loop was
// compiled to scalar adds by GCC 12).

namespace portable {
namespace {

template <int W>
void add_rows_block(const float* base, const int32_t* offsets, size_t count, float* acc) {
  using Lanes = Eigen::Array<float, W, 1>;
  Lanes sum = Eigen::Map<const Lanes>(acc);
  for (size_t k = 0; k < count; ++k) sum += Eigen::Map<const Lanes>(base + offsets[k]);
  Eigen::Map<Lanes> out(acc);
  out = sum;
}

}  // namespace

void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc) {
  size_t c = 0;
  for (; c + 32 <= width; c += 32) add_rows_block<32>(base + c, offsets, count, acc + c);
  for (; c + 16 <= width; c += 16) add_rows_block<16>(base + c, offsets, count, acc + c);
  for (; c + 4 <= width; c += 4) add_rows_block<4>(base + c, offsets, count, acc + c);
  for (; c < width; ++c) add_rows_block<1>(base + c, offsets, count, acc + c);
}

// Three Eigen passes (vectorized natively; a plain loop with std::sqrt is not, as sqrt may set
// errno); per element the same operations in the same order as the wasm kernel.
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& s) {
  const Eigen::Index count = Eigen::Index(n);
  const Eigen::Map<const Eigen::ArrayXf> g(grad, count);
  Eigen::Map<Eigen::ArrayXf> theta(params, count), mm(m, count), vv(v, count);
  mm = s.beta1 * mm + (1 - s.beta1) * g;
  vv = s.beta2 * vv + (1 - s.beta2) * g.square();
  theta -= s.learning_rate * (mm / s.correction1) / ((vv / s.correction2).sqrt() + s.epsilon);
}

}  // namespace portable

// ---------------------------------------------------------------------------------------------
// [SECTION] WebAssembly SIMD (128-bit). V registers of 4 lanes per block (8 for 32 lanes: the
// sums stay in registers while the rows stream by); lanes left over go to the portable loop.

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
namespace {

template <int V>
void add_rows_block(const float* base, const int32_t* offsets, size_t count, float* acc) {
  v128_t sum[V];
  for (int r = 0; r < V; ++r) sum[r] = wasm_v128_load(acc + 4 * r);
  for (size_t k = 0; k < count; ++k) {
    const float* row = base + offsets[k];
    for (int r = 0; r < V; ++r) sum[r] = wasm_f32x4_add(sum[r], wasm_v128_load(row + 4 * r));
  }
  for (int r = 0; r < V; ++r) wasm_v128_store(acc + 4 * r, sum[r]);
}

}  // namespace

void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc) {
  size_t c = 0;
  for (; c + 32 <= width; c += 32) add_rows_block<8>(base + c, offsets, count, acc + c);
  for (; c + 16 <= width; c += 16) add_rows_block<4>(base + c, offsets, count, acc + c);
  for (; c + 4 <= width; c += 4) add_rows_block<1>(base + c, offsets, count, acc + c);
  if (c < width) portable::add_rows_f32(base + c, offsets, count, width - c, acc + c);
}

void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& s) {
  const v128_t b1 = wasm_f32x4_splat(s.beta1), b2 = wasm_f32x4_splat(s.beta2);
  const v128_t a1 = wasm_f32x4_splat(1 - s.beta1), a2 = wasm_f32x4_splat(1 - s.beta2);
  const v128_t lr = wasm_f32x4_splat(s.learning_rate), eps = wasm_f32x4_splat(s.epsilon);
  const v128_t c1 = wasm_f32x4_splat(s.correction1), c2 = wasm_f32x4_splat(s.correction2);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t g = wasm_v128_load(grad + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(m + i)), wasm_f32x4_mul(a1, g));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(v + i)), wasm_f32x4_mul(a2, wasm_f32x4_mul(g, g)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    const v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, c2)), eps);
    const v128_t step = wasm_f32x4_div(wasm_f32x4_mul(lr, wasm_f32x4_div(mi, c1)), den);
    wasm_v128_store(params + i, wasm_f32x4_sub(wasm_v128_load(params + i), step));
  }
  portable::adam_step_f32(params + i, grad + i, m + i, v + i, n - i, s);
}

}  // namespace wasm_simd
#endif  // IMPLAY_WASM_SIMD

// ---------------------------------------------------------------------------------------------
// [SECTION] Dispatch

#if IMPLAY_WASM_SIMD
namespace kernels = wasm_simd;
#else
namespace kernels = portable;
#endif

void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc) {
  kernels::add_rows_f32(base, offsets, count, width, acc);
}

void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step) {
  kernels::adam_step_f32(params, grad, m, v, n, step);
}

}  // namespace implay
