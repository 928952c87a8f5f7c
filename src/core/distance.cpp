// distance.cpp — every distance kernel of the core, in one place: the portable loops, the
// explicit wasm_simd128 versions next to them, the compile-time dispatch, and the metric names.
// Integer SIMD kernels must stay bit-for-bit equal to the portable ones (tests check this).
#include "core/distance.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#endif

namespace implay {

// ---------------------------------------------------------------------------------------------
// Metric names

Metric parse_metric(std::string_view name) {
  if (name == "l1") return Metric::L1;
  if (name == "l2") return Metric::L2;
  if (name == "linf") return Metric::Linf;
  if (name == "cosine") return Metric::Cosine;
  throw Error("unknown metric \"" + std::string(name) + "\" (valid: l1, l2, linf, cosine)");
}

const char* metric_name(Metric metric) {
  switch (metric) {
    case Metric::L1: return "l1";
    case Metric::L2: return "l2";
    case Metric::Linf: return "linf";
    case Metric::Cosine: return "cosine";
  }
  return "unknown";
}

bool metric_is_squared(Metric metric) { return metric == Metric::L2; }

bool metric_is_integer_u8(Metric metric) { return metric != Metric::Cosine; }

// 1 − cos θ = 1 − dot / √(‖a‖²‖b‖²). The parts are exact integers and double computes √(x²) = x
// exactly while x² < 2⁵³ (‖a‖² < 9.4e7, any 784-byte image), so a = b gives exactly 0.
float cosine_distance_from_parts(uint32_t dot, uint32_t squared_norm_a, uint32_t squared_norm_b) {
  if (squared_norm_a == 0 || squared_norm_b == 0) return 1.0f;  // undefined angle: orthogonal
  double cosine = double(dot) / std::sqrt(double(squared_norm_a) * double(squared_norm_b));
  return float(1.0 - std::min(cosine, 1.0));  // rounding can push cos a hair above 1
}

namespace {

// Same as above for float parts; cos is clamped to [−1, 1] so the distance stays in [0, 2].
float cosine_distance_from_float_parts(float dot, float squared_norm_a, float squared_norm_b) {
  if (squared_norm_a == 0.0f || squared_norm_b == 0.0f) return 1.0f;
  double cosine = double(dot) / std::sqrt(double(squared_norm_a) * double(squared_norm_b));
  return float(1.0 - std::clamp(cosine, -1.0, 1.0));
}

// max(x, y), but NaN if either is NaN (std::max would silently drop a NaN in y), so that a NaN
// feature makes the L∞ distance NaN as it does for the summed metrics.
float max_keeping_nan(float x, float y) { return (y > x || std::isnan(y)) ? y : x; }

// Adds 8 float lanes the way the wasm kernels reduce their two f32x4 accumulators:
// s = lanes 0..3 + lanes 4..7, then (s0 + s1) + (s2 + s3). Same order → usually same bits.
float reduce_8_lanes(const float lane[8]) {
  float s[4];
  for (int j = 0; j < 4; ++j) s[j] = lane[j] + lane[j + 4];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

// Σ term(a[i], b[i]) in 8 interleaved lanes (a: (n), b: (n)), then the scalar tail. Lanes
// also make the sum more accurate than one long running total.
template <class Term>
float lane_sum_f32(const float* a, const float* b, size_t n, Term term) {
  float lane[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) lane[j] += term(a[i + j], b[i + j]);
  float tail = 0.0f;
  for (; i < n; ++i) tail += term(a[i], b[i]);
  return reduce_8_lanes(lane) + tail;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Portable loops. Natively the compiler auto-vectorizes the integer ones for the host.

namespace portable {
namespace {

// The integer loops run in fixed 32-byte blocks with a partial sum per block: a fixed-length
// inner loop is what GCC vectorizes even at -O2 (its "very cheap" cost model skips loops that
// need a scalar epilogue), 4–8× faster than one plain loop. Wrapping uint32 sums do not depend
// on the order, so the result is the same.
constexpr size_t kBlock = 32;

// Σ term(a[i], b[i]) in uint32 (a: (n), b: (n)); each block's partial ≤ 32·255² fits easily.
template <class Term>
uint32_t blocked_sum_u8(const uint8_t* a, const uint8_t* b, size_t n, Term term) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    uint32_t block = 0;
    for (size_t j = 0; j < kBlock; ++j) block += term(a[i + j], b[i + j]);
    sum += block;
  }
  for (; i < n; ++i) sum += term(a[i], b[i]);
  return sum;
}

uint8_t absolute_difference(uint8_t x, uint8_t y) {
  return x > y ? uint8_t(x - y) : uint8_t(y - x);
}

}  // namespace

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  // Σ |a − b|
  return blocked_sum_u8(a, b, n,
                        [](uint8_t x, uint8_t y) { return uint32_t(std::abs(int(x) - int(y))); });
}

uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  // Σ (a − b)², each term ≤ 255² = 65,025
  return blocked_sum_u8(a, b, n, [](uint8_t x, uint8_t y) {
    const int d = int(x) - int(y);
    return uint32_t(d * d);
  });
}

uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t largest = 0;  // max |a − b|, blocked like blocked_sum_u8 for the same reason
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    uint8_t block = 0;
    for (size_t j = 0; j < kBlock; ++j)
      block = std::max(block, absolute_difference(a[i + j], b[i + j]));
    largest = std::max(largest, block);
  }
  for (; i < n; ++i) largest = std::max(largest, absolute_difference(a[i], b[i]));
  return largest;
}

uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  // Σ a·b
  return blocked_sum_u8(a, b, n, [](uint8_t x, uint8_t y) { return uint32_t(x) * uint32_t(y); });
}

float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  uint32_t dot = 0, aa = 0, bb = 0;  // a·b, ‖a‖², ‖b‖² in one pass, blocked as above
  size_t i = 0;
  auto add = [&](uint32_t& d, uint32_t& x, uint32_t& y, size_t at) {
    d += uint32_t(a[at]) * b[at];
    x += uint32_t(a[at]) * a[at];
    y += uint32_t(b[at]) * b[at];
  };
  for (; i + kBlock <= n; i += kBlock) {
    uint32_t block_dot = 0, block_aa = 0, block_bb = 0;
    for (size_t j = 0; j < kBlock; ++j) add(block_dot, block_aa, block_bb, i + j);
    dot += block_dot;
    aa += block_aa;
    bb += block_bb;
  }
  for (; i < n; ++i) add(dot, aa, bb, i);
  return cosine_distance_from_parts(dot, aa, bb);
}

float l1_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32(a, b, n, [](float x, float y) { return std::fabs(x - y); });
}

float squared_l2_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32(a, b, n, [](float x, float y) { return (x - y) * (x - y); });
}

float linf_f32(const float* a, const float* b, size_t n) {
  float largest = 0.0f;  // max |a − b|
  for (size_t i = 0; i < n; ++i) largest = max_keeping_nan(largest, std::fabs(a[i] - b[i]));
  return largest;
}

float dot_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32(a, b, n, [](float x, float y) { return x * y; });
}

float cosine_distance_f32(const float* a, const float* b, size_t n) {
  return cosine_distance_from_float_parts(dot_f32(a, b, n), dot_f32(a, a, n), dot_f32(b, b, n));
}

}  // namespace portable

// ---------------------------------------------------------------------------------------------
// WebAssembly SIMD (128-bit). Each loop eats 16 bytes or 8 floats, the tail goes to the
// portable loop; integer sums widen before they could overflow, so they stay exact.

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
namespace {

// Σ of the four u32 lanes, wrapping like the portable uint32 sums.
uint32_t sum_u32x4(v128_t v) {
  return uint32_t(wasm_i32x4_extract_lane(v, 0)) + uint32_t(wasm_i32x4_extract_lane(v, 1)) +
         uint32_t(wasm_i32x4_extract_lane(v, 2)) + uint32_t(wasm_i32x4_extract_lane(v, 3));
}

// |a − b| per byte: one of the two saturating differences is 0, the other is |a − b|.
v128_t absdiff_u8x16(v128_t a, v128_t b) {
  return wasm_v128_or(wasm_u8x16_sub_sat(a, b), wasm_u8x16_sub_sat(b, a));
}

// The even and odd bytes of v as 8 u16 lanes each (little-endian: byte 2i is the low half of
// lane i). One and / one shift: cheaper than extend_low/high, and for sums the order of the
// bytes does not matter.
v128_t even_bytes_u16x8(v128_t v) { return wasm_v128_and(v, wasm_i16x8_splat(0x00FF)); }
v128_t odd_bytes_u16x8(v128_t v) { return wasm_u16x8_shr(v, 8); }

// Σ x·y over 16 bytes as 4 i32 lanes: bytes as u16 (≤ 255 fits i16), then i32x4.dot adds
// products in pairs (≤ 2·255² = 130,050 per lane).
v128_t dot_u8x16(v128_t x, v128_t y) {
  v128_t even = wasm_i32x4_dot_i16x8(even_bytes_u16x8(x), even_bytes_u16x8(y));
  v128_t odd = wasm_i32x4_dot_i16x8(odd_bytes_u16x8(x), odd_bytes_u16x8(y));
  return wasm_i32x4_add(even, odd);
}

// Largest of the 16 bytes.
uint8_t max_u8x16(v128_t v) {
  uint8_t bytes[16];
  wasm_v128_store(bytes, v);
  return *std::max_element(bytes, bytes + 16);
}

// The float version of reduce_8_lanes: (acc0 + acc1), then (s0 + s1) + (s2 + s3).
float reduce_f32x4_pair(v128_t acc0, v128_t acc1) {
  v128_t s = wasm_f32x4_add(acc0, acc1);
  return (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
         (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
}

// Σ term(a, b) over 8 floats per step in two f32x4 accumulators, then the portable tail.
template <class Term, class TailTerm>
float lane_sum_f32x4(const float* a, const float* b, size_t n, Term term, TailTerm tail_term) {
  v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = wasm_f32x4_add(acc0, term(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    acc1 = wasm_f32x4_add(acc1, term(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
  }
  float tail = 0.0f;
  for (; i < n; ++i) tail += tail_term(a[i], b[i]);
  return reduce_f32x4_pair(acc0, acc1) + tail;
}

}  // namespace

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  // Pair sums of |a − b| (≤ 510) add up in u16 lanes for at most 128 steps (128 · 510 < 2¹⁶),
  // then widen into u32: one op per 16 bytes fewer than widening every step.
  constexpr size_t kStepsPerWiden = 128;
  v128_t acc = wasm_i32x4_splat(0);  // (4) u32 partial sums
  size_t i = 0;
  while (i + 16 <= n) {
    v128_t pairs = wasm_i16x8_splat(0);  // (8) u16 partial sums
    for (size_t step = 0; step < kStepsPerWiden && i + 16 <= n; ++step, i += 16) {
      v128_t d = absdiff_u8x16(wasm_v128_load(a + i), wasm_v128_load(b + i));
      pairs = wasm_i16x8_add(pairs, wasm_u16x8_extadd_pairwise_u8x16(d));
    }
    acc = wasm_i32x4_add(acc, wasm_u32x4_extadd_pairwise_u16x8(pairs));
  }
  return sum_u32x4(acc) + portable::l1_u8(a + i, b + i, n - i);
}

uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  // Two accumulators so consecutive dot products do not wait on each other's add.
  v128_t acc0 = wasm_i32x4_splat(0), acc1 = wasm_i32x4_splat(0);  // (4) u32 each
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    // |a − b| as bytes, split into even/odd u16 lanes, then dot(d, d) = d₀² + d₁² per i32
    // lane (≤ 130,050). 11 ops per 16 bytes; widening a and b before subtracting takes 12.
    v128_t d = absdiff_u8x16(wasm_v128_load(a + i), wasm_v128_load(b + i));
    v128_t even = even_bytes_u16x8(d), odd = odd_bytes_u16x8(d);
    acc0 = wasm_i32x4_add(acc0, wasm_i32x4_dot_i16x8(even, even));
    acc1 = wasm_i32x4_add(acc1, wasm_i32x4_dot_i16x8(odd, odd));
  }
  return sum_u32x4(wasm_i32x4_add(acc0, acc1)) + portable::squared_l2_u8(a + i, b + i, n - i);
}

uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  v128_t largest = wasm_i8x16_splat(0);  // (16) running max of |a − b| per byte lane
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    largest = wasm_u8x16_max(largest, absdiff_u8x16(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  return std::max<uint32_t>(max_u8x16(largest), portable::linf_u8(a + i, b + i, n - i));
}

uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  v128_t acc = wasm_i32x4_splat(0);  // (4) u32 partial sums
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    acc = wasm_i32x4_add(acc, dot_u8x16(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  return sum_u32x4(acc) + portable::dot_u8(a + i, b + i, n - i);
}

float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  v128_t dot = wasm_i32x4_splat(0), aa = dot, bb = dot;  // (4) u32 partial a·b, ‖a‖², ‖b‖²
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t va = wasm_v128_load(a + i), vb = wasm_v128_load(b + i);
    dot = wasm_i32x4_add(dot, dot_u8x16(va, vb));
    aa = wasm_i32x4_add(aa, dot_u8x16(va, va));
    bb = wasm_i32x4_add(bb, dot_u8x16(vb, vb));
  }
  size_t rest = n - i;  // the tail in exact integers, added before the float formula
  return cosine_distance_from_parts(sum_u32x4(dot) + portable::dot_u8(a + i, b + i, rest),
                                    sum_u32x4(aa) + portable::dot_u8(a + i, a + i, rest),
                                    sum_u32x4(bb) + portable::dot_u8(b + i, b + i, rest));
}

float l1_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32x4(
      a, b, n, [](v128_t x, v128_t y) { return wasm_f32x4_abs(wasm_f32x4_sub(x, y)); },
      [](float x, float y) { return std::fabs(x - y); });
}

float squared_l2_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32x4(
      a, b, n,
      [](v128_t x, v128_t y) {
        v128_t d = wasm_f32x4_sub(x, y);
        return wasm_f32x4_mul(d, d);
      },
      [](float x, float y) { return (x - y) * (x - y); });
}

float linf_f32(const float* a, const float* b, size_t n) {
  v128_t largest = wasm_f32x4_splat(0.0f);  // (4) running max of |a − b|
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t d = wasm_f32x4_abs(wasm_f32x4_sub(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    // f32x4.max is NaN where either lane is NaN, like max_keeping_nan.
    largest = wasm_f32x4_max(largest, d);
  }
  float result = portable::linf_f32(a + i, b + i, n - i);
  for (float lane : {wasm_f32x4_extract_lane(largest, 0), wasm_f32x4_extract_lane(largest, 1),
                     wasm_f32x4_extract_lane(largest, 2), wasm_f32x4_extract_lane(largest, 3)})
    result = max_keeping_nan(result, lane);
  return result;
}

float dot_f32(const float* a, const float* b, size_t n) {
  return lane_sum_f32x4(
      a, b, n, [](v128_t x, v128_t y) { return wasm_f32x4_mul(x, y); },
      [](float x, float y) { return x * y; });
}

float cosine_distance_f32(const float* a, const float* b, size_t n) {
  return cosine_distance_from_float_parts(dot_f32(a, b, n), dot_f32(a, a, n), dot_f32(b, b, n));
}

}  // namespace wasm_simd
#endif  // IMPLAY_WASM_SIMD

// ---------------------------------------------------------------------------------------------
// Compile-time dispatch: `kernels` names whichever namespace this build uses.

#if IMPLAY_WASM_SIMD
namespace kernels = wasm_simd;
#else
namespace kernels = portable;
#endif

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::l1_u8(a, b, n); }
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return kernels::squared_l2_u8(a, b, n);
}
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::linf_u8(a, b, n); }
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::dot_u8(a, b, n); }
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return kernels::cosine_distance_u8(a, b, n);
}
float l1_f32(const float* a, const float* b, size_t n) { return kernels::l1_f32(a, b, n); }
float squared_l2_f32(const float* a, const float* b, size_t n) {
  return kernels::squared_l2_f32(a, b, n);
}
float linf_f32(const float* a, const float* b, size_t n) { return kernels::linf_f32(a, b, n); }
float dot_f32(const float* a, const float* b, size_t n) { return kernels::dot_f32(a, b, n); }
float cosine_distance_f32(const float* a, const float* b, size_t n) {
  return kernels::cosine_distance_f32(a, b, n);
}

uint32_t squared_norm_u8(const uint8_t* a, size_t n) { return dot_u8(a, a, n); }

float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n, uint32_t squared_norm_a,
                         uint32_t squared_norm_b) {
  return cosine_distance_from_parts(dot_u8(a, b, n), squared_norm_a, squared_norm_b);
}

float distance_u8(Metric metric, const uint8_t* a, const uint8_t* b, size_t n) {
  switch (metric) {
    case Metric::L1: return float(l1_u8(a, b, n));
    case Metric::L2: return float(squared_l2_u8(a, b, n));
    case Metric::Linf: return float(linf_u8(a, b, n));
    case Metric::Cosine: return cosine_distance_u8(a, b, n);
  }
  throw Error("unknown metric number " + std::to_string(int(metric)));
}

float distance_f32(Metric metric, const float* a, const float* b, size_t n) {
  switch (metric) {
    case Metric::L1: return l1_f32(a, b, n);
    case Metric::L2: return squared_l2_f32(a, b, n);
    case Metric::Linf: return linf_f32(a, b, n);
    case Metric::Cosine: return cosine_distance_f32(a, b, n);
  }
  throw Error("unknown metric number " + std::to_string(int(metric)));
}

}  // namespace implay
