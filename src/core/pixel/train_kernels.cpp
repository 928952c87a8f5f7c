// train_kernels.cpp — the training kernels of train_kernels.hpp: the portable loops, the explicit
// wasm_simd128 and SSE2 versions next to them, and the dispatch. (The distance kernels follow
// the same pattern in distance.cpp.) Every path adds and multiplies each lane in the same order,
// so the SIMD results equal the portable ones bit for bit (tests check this).
//
// Index: [Shared scalar pieces] [Portable loops] [WebAssembly SIMD (128-bit)] [SSE2 (x86)] [Dispatch]
#include "core/pixel/train_kernels.hpp"

#include <Eigen/Core>
#include <cmath>

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#endif
#if IMPLAY_SSE2
#include <emmintrin.h>
#endif

namespace implay {

// [SECTION] Shared scalar pieces -----------------------------------------------------------------
// The ReLU as every SIMD path computes it, and relu_dot's last n mod 4 terms (the same one-by-one
// tail in every path).

namespace {

// x > 0 ? x : 0, i.e. wasm_f32x4_pmax(0, x) and _mm_max_ps(x, 0): +0 for −0 and NaN, where
// std::max(x, 0.0f) would return x.
inline float relu(float x) { return x > 0.0f ? x : 0.0f; }

// sum + Σ_{from ≤ k < n} v[k] relu(a[k]), added one term at a time.
inline float add_relu_products(float sum, const float* a, const float* v, size_t from, size_t n) {
  for (size_t k = from; k < n; ++k) sum += v[k] * relu(a[k]);
  return sum;
}

}  // namespace

// [SECTION] Portable loops -----------------------------------------------------------------------
// Blocks of W lanes summed in a fixed-size Eigen array: natively Eigen
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

// The header's order: p[j] is lane j % 4 of SIMD accumulator j / 4.
float relu_dot_f32(const float* a, const float* v, size_t n) {
  float p[8] = {};
  size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (size_t j = 0; j < 8; ++j) p[j] += v[k + j] * relu(a[k + j]);
  if (k + 4 <= n) {
    for (size_t j = 0; j < 4; ++j) p[j] += v[k + j] * relu(a[k + j]);
    k += 4;
  }
  const float sum = (p[0] + p[4]) + (p[1] + p[5]) + (p[2] + p[6]) + (p[3] + p[7]);  // ((q₀ + q₁) + q₂) + q₃
  return add_relu_products(sum, a, v, k, n);
}

// dv += g relu(a), s += g v ⊙ [a > 0]: +0 is added where a ≤ 0, as the SIMD masks do.
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    dv[k] += g * relu(a[k]);
    s[k] += a[k] > 0.0f ? g * v[k] : 0.0f;
  }
}

}  // namespace portable

// [SECTION] WebAssembly SIMD (128-bit) -----------------------------------------------------------
// V registers of 4 lanes per block (8 for 32 lanes: the
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

// Two accumulators of 4 lanes (p₀..p₃ and p₄..p₇ of the header's order). In wasm Eigen has no
// SIMD and LLVM does not vectorize a float sum (it would reorder the additions).
float relu_dot_f32(const float* a, const float* v, size_t n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t acc0 = zero, acc1 = zero;
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(v + k), wasm_f32x4_pmax(zero, wasm_v128_load(a + k))));
    acc1 = wasm_f32x4_add(acc1,
                          wasm_f32x4_mul(wasm_v128_load(v + k + 4), wasm_f32x4_pmax(zero, wasm_v128_load(a + k + 4))));
  }
  if (k + 4 <= n) {
    acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(wasm_v128_load(v + k), wasm_f32x4_pmax(zero, wasm_v128_load(a + k))));
    k += 4;
  }
  const v128_t q = wasm_f32x4_add(acc0, acc1);
  const float sum = wasm_f32x4_extract_lane(q, 0) + wasm_f32x4_extract_lane(q, 1) + wasm_f32x4_extract_lane(q, 2) +
                    wasm_f32x4_extract_lane(q, 3);
  return add_relu_products(sum, a, v, k, n);
}

// The mask [a > 0] is all ones or all zeros, so `and` gives g v or +0.
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n) {
  const v128_t zero = wasm_f32x4_splat(0.0f), gg = wasm_f32x4_splat(g);
  size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const v128_t ak = wasm_v128_load(a + k);
    wasm_v128_store(dv + k, wasm_f32x4_add(wasm_v128_load(dv + k), wasm_f32x4_mul(gg, wasm_f32x4_pmax(zero, ak))));
    const v128_t delta = wasm_v128_and(wasm_f32x4_mul(gg, wasm_v128_load(v + k)), wasm_f32x4_gt(ak, zero));
    wasm_v128_store(s + k, wasm_f32x4_add(wasm_v128_load(s + k), delta));
  }
  portable::relu_backward_f32(a + k, v + k, g, dv + k, s + k, n - k);
}

}  // namespace wasm_simd
#endif  // IMPLAY_WASM_SIMD

// [SECTION] SSE2 (x86) ---------------------------------------------------------------------------
// The wasm kernels above, instruction for instruction: _mm_max_ps(x, 0)
// is x > 0 ? x : 0 like wasm_f32x4_pmax(0, x). Only the ReLU kernels: Eigen vectorizes the others.

#if IMPLAY_SSE2
namespace sse2 {

float relu_dot_f32(const float* a, const float* v, size_t n) {
  const __m128 zero = _mm_setzero_ps();
  __m128 acc0 = zero, acc1 = zero;
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    acc0 = _mm_add_ps(acc0, _mm_mul_ps(_mm_loadu_ps(v + k), _mm_max_ps(_mm_loadu_ps(a + k), zero)));
    acc1 = _mm_add_ps(acc1, _mm_mul_ps(_mm_loadu_ps(v + k + 4), _mm_max_ps(_mm_loadu_ps(a + k + 4), zero)));
  }
  if (k + 4 <= n) {
    acc0 = _mm_add_ps(acc0, _mm_mul_ps(_mm_loadu_ps(v + k), _mm_max_ps(_mm_loadu_ps(a + k), zero)));
    k += 4;
  }
  float q[4];
  _mm_storeu_ps(q, _mm_add_ps(acc0, acc1));
  return add_relu_products(q[0] + q[1] + q[2] + q[3], a, v, k, n);
}

void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n) {
  const __m128 zero = _mm_setzero_ps(), gg = _mm_set1_ps(g);
  size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const __m128 ak = _mm_loadu_ps(a + k);
    _mm_storeu_ps(dv + k, _mm_add_ps(_mm_loadu_ps(dv + k), _mm_mul_ps(gg, _mm_max_ps(ak, zero))));
    const __m128 delta = _mm_and_ps(_mm_mul_ps(gg, _mm_loadu_ps(v + k)), _mm_cmpgt_ps(ak, zero));
    _mm_storeu_ps(s + k, _mm_add_ps(_mm_loadu_ps(s + k), delta));
  }
  portable::relu_backward_f32(a + k, v + k, g, dv + k, s + k, n - k);
}

}  // namespace sse2
#endif  // IMPLAY_SSE2

// [SECTION] Dispatch -----------------------------------------------------------------------------

#if IMPLAY_WASM_SIMD
namespace kernels = wasm_simd;
#else
namespace kernels = portable;
#endif

void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc) {
  kernels::add_rows_f32(base, offsets, count, width, acc);
}

// The ReLU kernels also have an SSE2 version natively (x86).
#if IMPLAY_WASM_SIMD
namespace relu_kernels = wasm_simd;
#elif IMPLAY_SSE2
namespace relu_kernels = sse2;
#else
namespace relu_kernels = portable;
#endif

float relu_dot_f32(const float* a, const float* v, size_t n) { return relu_kernels::relu_dot_f32(a, v, n); }

void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n) {
  relu_kernels::relu_backward_f32(a, v, g, dv, s, n);
}

}  // namespace implay
