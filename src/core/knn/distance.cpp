// distance.cpp — every distance kernel of the core, in one place: the portable loops, the
// explicit wasm_simd128 versions next to them, the x86-64 AVX2 / AVX-512 versions, the dispatch,
// and the metric names. Integer SIMD kernels must stay bit-for-bit equal to the portable ones
// (tests check this).
//
// [SECTION] Metric names
// [SECTION] Portable loops (and the capped, early-abandoning ones)
// [SECTION] WebAssembly SIMD (128-bit)
// [SECTION] x86-64: AVX2 and AVX-512
// [SECTION] Dispatch
#include "core/knn/distance.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>
#endif
#if IMPLAY_X86_DISPATCH
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined_*() (GCC bug
// 105593, fixed in 13); the pragma must cover the header, where the warning points.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace implay {

// ---------------------------------------------------------------------------------------------
// [SECTION] Metric names

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
// [SECTION] Portable loops. Natively the compiler auto-vectorizes the integer ones for the host; on
// x86-64 the same bodies are also compiled for AVX2 and AVX-512 (see [x86] below).

namespace {

// The integer loops run in fixed 32-byte blocks with a partial sum per block: a fixed-length
// inner loop is what GCC vectorizes even at -O2 (its "very cheap" cost model skips loops that
// need a scalar epilogue), 4–8× faster than one plain loop. Wrapping uint32 sums do not depend
// on the order, so the result is the same.
constexpr size_t kBlock = 32;

// Bodies shared by portable:: and the x86 target_clones: always inlined, so that each clone
// vectorizes its own copy for its instruction set.
#if defined(__GNUC__)
#define IMPLAY_INLINE [[gnu::always_inline]] inline
#else
#define IMPLAY_INLINE inline
#endif

// Σ term(a[i], b[i]) in uint32 (a: (n), b: (n)); each block's partial ≤ 32·255² fits easily.
template <class Term>
IMPLAY_INLINE uint32_t blocked_sum_u8(const uint8_t* a, const uint8_t* b, size_t n, Term term) {
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

IMPLAY_INLINE uint8_t absolute_difference(uint8_t x, uint8_t y) {
  return x > y ? uint8_t(x - y) : uint8_t(y - x);
}
IMPLAY_INLINE uint32_t abs_term(uint8_t x, uint8_t y) {  // |x − y|
  return uint32_t(std::abs(int(x) - int(y)));
}
IMPLAY_INLINE uint32_t square_term(uint8_t x, uint8_t y) {  // (x − y)² ≤ 255² = 65,025
  const int d = int(x) - int(y);
  return uint32_t(d * d);
}
IMPLAY_INLINE uint32_t product_term(uint8_t x, uint8_t y) { return uint32_t(x) * uint32_t(y); }

IMPLAY_INLINE uint32_t l1_body(const uint8_t* a, const uint8_t* b, size_t n) {
  return blocked_sum_u8(a, b, n, abs_term);  // Σ |a − b|
}
IMPLAY_INLINE uint32_t squared_l2_body(const uint8_t* a, const uint8_t* b, size_t n) {
  return blocked_sum_u8(a, b, n, square_term);  // Σ (a − b)²
}
IMPLAY_INLINE uint32_t dot_body(const uint8_t* a, const uint8_t* b, size_t n) {
  return blocked_sum_u8(a, b, n, product_term);  // Σ a·b
}

IMPLAY_INLINE uint32_t linf_body(const uint8_t* a, const uint8_t* b, size_t n) {
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

IMPLAY_INLINE float cosine_body(const uint8_t* a, const uint8_t* b, size_t n) {
  uint32_t dot = 0, aa = 0, bb = 0;  // a·b, ‖a‖², ‖b‖² in one pass, blocked as above
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    uint32_t block_dot = 0, block_aa = 0, block_bb = 0;
    for (size_t j = 0; j < kBlock; ++j) {
      block_dot += product_term(a[i + j], b[i + j]);
      block_aa += product_term(a[i + j], a[i + j]);
      block_bb += product_term(b[i + j], b[i + j]);
    }
    dot += block_dot;
    aa += block_aa;
    bb += block_bb;
  }
  for (; i < n; ++i) {
    dot += product_term(a[i], b[i]);
    aa += product_term(a[i], a[i]);
    bb += product_term(b[i], b[i]);
  }
  return cosine_distance_from_parts(dot, aa, bb);
}

// Largest n for which a sum of n terms ≤ `largest_term` cannot wrap in uint32: below it the
// partial sums only grow, so the capped kernels may stop early; above it they must not.
constexpr size_t max_exact_length(uint32_t largest_term) { return 0xFFFFFFFFu / largest_term; }
constexpr size_t kMaxExactL1 = max_exact_length(255);          // 16,843,009
constexpr size_t kMaxExactL2 = max_exact_length(255u * 255u);  // 66,051

// After the first comparison (kFirstCheckBlocks, distance.hpp), the capped kernels compare the
// partial sum with the cap every 8 blocks (128 bytes). Both multiples of 4 (an AVX-512 group).
constexpr size_t kFirstCheck = kFirstCheckBlocks, kCheckEvery = 8;
static_assert(kFirstCheck % 4 == 0 && kCheckEvery % 4 == 0);

// Byte offset of the j-th block to visit: blocks[j] 16-byte blocks in, or j in natural order.
inline size_t block_offset(std::span<const uint32_t> blocks, size_t j) {
  return kCappedBlock * (blocks.empty() ? j : size_t(blocks[j]));
}

}  // namespace

namespace portable {

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) { return l1_body(a, b, n); }
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return squared_l2_body(a, b, n);
}
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) { return linf_body(a, b, n); }
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) { return dot_body(a, b, n); }
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return cosine_body(a, b, n);
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

namespace {

// Σ term(a, b) over blocks [first, last) of the order (a: (n), b: (n)).
template <class Term>
uint32_t blocks_sum(const uint8_t* a, const uint8_t* b, std::span<const uint32_t> blocks,
                    size_t first, size_t last, Term term) {
  uint32_t sum = 0;
  for (size_t j = first; j < last; ++j) {
    const size_t at = block_offset(blocks, j);
    uint32_t block = 0;  // ≤ 16·255²
    for (size_t v = 0; v < kCappedBlock; ++v) block += term(a[at + v], b[at + v]);
    sum += block;
  }
  return sum;
}

// min(sum + Σ term(a, b) over the blocks after the first kFirstCheck and the tail, cap), given
// sum = the first kFirstCheck blocks' (or all whole blocks', if fewer).
template <class Term>
uint32_t finish_sum(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                    uint32_t cap, uint32_t sum, Term term) {
  const size_t whole = n / kCappedBlock;
  for (size_t j = std::min(kFirstCheck, whole); sum < cap && j < whole; j += kCheckEvery)
    sum += blocks_sum(a, b, blocks, j, std::min(j + kCheckEvery, whole), term);
  if (sum >= cap) return cap;  // the rest can only add
  for (size_t i = whole * kCappedBlock; i < n; ++i) sum += term(a[i], b[i]);
  return std::min(sum, cap);
}

template <class Term>
uint32_t capped_sum(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                    uint32_t cap, Term term) {
  const uint32_t first = blocks_sum(a, b, blocks, 0, std::min(kFirstCheck, n / kCappedBlock), term);
  return finish_sum(a, b, n, blocks, cap, first, term);
}

// max |a − b| over blocks [first, last) of the order.
uint32_t blocks_max(const uint8_t* a, const uint8_t* b, std::span<const uint32_t> blocks,
                    size_t first, size_t last) {
  uint8_t largest = 0;
  for (size_t j = first; j < last; ++j) {
    const size_t at = block_offset(blocks, j);
    for (size_t v = 0; v < kCappedBlock; ++v)
      largest = std::max(largest, absolute_difference(a[at + v], b[at + v]));
  }
  return largest;
}

}  // namespace

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                      std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1) return std::min(l1_u8(a, b, n), cap);
  return capped_sum(a, b, n, blocks, cap, abs_term);
}

uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                              std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2) return std::min(squared_l2_u8(a, b, n), cap);
  return capped_sum(a, b, n, blocks, cap, square_term);
}

uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                        std::span<const uint32_t> blocks, uint32_t cap) {
  // A max never wraps: it can stop at any length once it reaches cap.
  const size_t whole = n / kCappedBlock;
  uint32_t largest = blocks_max(a, b, blocks, 0, std::min(kFirstCheck, whole));
  for (size_t j = std::min(kFirstCheck, whole); largest < cap && j < whole; j += kCheckEvery)
    largest = std::max(largest, blocks_max(a, b, blocks, j, std::min(j + kCheckEvery, whole)));
  for (size_t i = whole * kCappedBlock; i < n && largest < cap; ++i)
    largest = std::max<uint32_t>(largest, absolute_difference(a[i], b[i]));
  return std::min(largest, cap);
}

void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                       std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = l1_u8_capped(a, rows + i * stride, n, blocks, cap);
}

void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                               size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                               uint32_t* out) {
  for (size_t i = 0; i < count; ++i)
    out[i] = squared_l2_u8_capped(a, rows + i * stride, n, blocks, cap);
}

void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                         size_t n, std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace portable

// ---------------------------------------------------------------------------------------------
// [SECTION] WebAssembly SIMD (128-bit). Each loop eats 16 bytes or 8 floats, the tail goes to the
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

// Capped kernels. The first kFirstCheck blocks of a (the query) are loaded once per call; the
// rows' prefix sums end in one transposing 4 × 4 reduction per four rows; rows still below cap
// go on two blocks per step, comparing every kCheckEvery blocks.

namespace {

// Largest of 16 bytes: fold halves onto the first byte.
uint32_t max_of_bytes(v128_t v) {
  v = wasm_u8x16_max(
      v, wasm_i8x16_shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  return wasm_u8x16_extract_lane(v, 0);
}

// (4) the lane sums of x0, x1, x2, x3: pairs of lanes, then pairs of pairs.
v128_t sum_lanes_4x4(v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
  const v128_t s01 = wasm_i32x4_add(wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7));
  const v128_t s23 = wasm_i32x4_add(wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5),
                                    wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7));
  return wasm_i32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5),
                        wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
}

// The query's first kFirstCheck blocks and their byte offsets (needs n ≥ 16·kFirstCheck).
struct QueryBlocks {
  v128_t value[kFirstCheck];
  size_t at[kFirstCheck];
  QueryBlocks(const uint8_t* a, std::span<const uint32_t> blocks) {
    for (size_t j = 0; j < kFirstCheck; ++j) {
      at[j] = block_offset(blocks, j);
      value[j] = wasm_v128_load(a + at[j]);
    }
  }
};

// Per metric: `lanes` sums the first kFirstCheck blocks of b against the query into 4 u32 lanes
// (the prefix), `finish` goes on from the prefix sum to min(distance, cap).

// (x − y)² of 16 bytes as 4 u32 lanes: |x − y| split into even/odd u16 lanes, dot(d, d).
v128_t squares_u32x4(v128_t x, v128_t y) {
  const v128_t d = absdiff_u8x16(x, y);
  const v128_t even = even_bytes_u16x8(d), odd = odd_bytes_u16x8(d);
  return wasm_i32x4_add(wasm_i32x4_dot_i16x8(even, even), wasm_i32x4_dot_i16x8(odd, odd));
}

struct SquaredL2 {
  static v128_t lanes(const QueryBlocks& q, const uint8_t* b) {
    v128_t acc0 = wasm_i32x4_splat(0), acc1 = acc0;  // two chains, so adds do not wait
    for (size_t j = 0; j < kFirstCheck; j += 2) {
      acc0 = wasm_i32x4_add(acc0, squares_u32x4(q.value[j], wasm_v128_load(b + q.at[j])));
      acc1 = wasm_i32x4_add(acc1, squares_u32x4(q.value[j + 1], wasm_v128_load(b + q.at[j + 1])));
    }
    return wasm_i32x4_add(acc0, acc1);
  }
  static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    v128_t acc = wasm_u32x4_make(sum, 0, 0, 0);
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;  // the rest can only add
      for (const size_t end = std::min(j + kCheckEvery, whole); j < end; ++j) {
        const size_t at = block_offset(blocks, j);
        acc = wasm_i32x4_add(acc, squares_u32x4(wasm_v128_load(a + at), wasm_v128_load(b + at)));
      }
      sum = sum_u32x4(acc);
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::squared_l2_u8(a + done, b + done, n - done), cap);
  }
};

struct L1 {
  static v128_t lanes(const QueryBlocks& q, const uint8_t* b) {
    v128_t pairs = wasm_i16x8_splat(0);  // (8) u16 pair sums of |a − b|, ≤ 12 · 510
    for (size_t j = 0; j < kFirstCheck; ++j)
      pairs = wasm_i16x8_add(pairs, wasm_u16x8_extadd_pairwise_u8x16(
                                        absdiff_u8x16(q.value[j], wasm_v128_load(b + q.at[j]))));
    return wasm_u32x4_extadd_pairwise_u16x8(pairs);
  }
  static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      v128_t pairs = wasm_i16x8_splat(0);  // ≤ 8 · 510 per lane
      for (const size_t end = std::min(j + kCheckEvery, whole); j < end; ++j) {
        const size_t at = block_offset(blocks, j);
        pairs = wasm_i16x8_add(pairs, wasm_u16x8_extadd_pairwise_u8x16(absdiff_u8x16(
                                          wasm_v128_load(a + at), wasm_v128_load(b + at))));
      }
      sum += sum_u32x4(wasm_u32x4_extadd_pairwise_u16x8(pairs));
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::l1_u8(a + done, b + done, n - done), cap);
  }
};

// min(distance(a, row i), cap) for count rows; n ≥ 16·kFirstCheck and within the exact range.
template <class Metric>
void capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                 std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  const QueryBlocks q(a, blocks);
  size_t i = 0;
  for (; i + 4 <= count; i += 4) {  // prefixes, four rows per reduction, no branch
    const uint8_t* b = rows + i * stride;
    wasm_v128_store(
        out + i, sum_lanes_4x4(Metric::lanes(q, b), Metric::lanes(q, b + stride),
                               Metric::lanes(q, b + 2 * stride), Metric::lanes(q, b + 3 * stride)));
  }
  for (; i < count; ++i) out[i] = sum_u32x4(Metric::lanes(q, rows + i * stride));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

}  // namespace

uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                              std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  const uint32_t first = sum_u32x4(SquaredL2::lanes(QueryBlocks(a, blocks), b));
  return first >= cap ? cap : SquaredL2::finish(a, b, n, blocks, cap, first);
}

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                      std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped(a, b, n, blocks, cap);
  const uint32_t first = sum_u32x4(L1::lanes(QueryBlocks(a, blocks), b));
  return first >= cap ? cap : L1::finish(a, b, n, blocks, cap, first);
}

uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                        std::span<const uint32_t> blocks, uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  v128_t largest = wasm_i8x16_splat(0);  // (16) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    for (const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole);
         j < end; ++j) {
      const size_t at = block_offset(blocks, j);
      largest =
          wasm_u8x16_max(largest, absdiff_u8x16(wasm_v128_load(a + at), wasm_v128_load(b + at)));
    }
  }
  const size_t done = whole * kCappedBlock;
  const uint32_t result =
      std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done));
  return std::min(result, cap);
}

void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                               size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                               uint32_t* out) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<SquaredL2>(a, rows, stride, count, n, blocks, cap, out);
}

void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                       std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<L1>(a, rows, stride, count, n, blocks, cap, out);
}

void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                         size_t n, std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace wasm_simd
#endif  // IMPLAY_WASM_SIMD

// ---------------------------------------------------------------------------------------------
// [SECTION] x86-64: AVX2 and AVX-512, chosen at run time
//
// The plain integer kernels are the portable bodies above compiled three times by GCC's
// target_clones (x86-64-v4 = AVX-512, AVX2, baseline); the loader picks one for the CPU. The
// capped kernels, where k-NN spends its time, are written with intrinsics: four 16-byte blocks
// of the given order fill one AVX-512 register (two AVX2 registers); the query's first 12 blocks
// stay in registers across a run of rows. |a − b| = (a ⊖ b) | (b ⊖ a) with saturating
// subtraction; L1 sums it with psadbw, L2 squares it in 16-bit lanes with pmaddwd (2 · 255² fits
// int32), L∞ keeps a byte max.

#if IMPLAY_X86_DISPATCH
#define IMPLAY_AVX2 __attribute__((target("avx2")))
#define IMPLAY_AVX512 __attribute__((target("avx512f,avx512bw")))
#define IMPLAY_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))

namespace x86_clones {
IMPLAY_CLONES uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return l1_body(a, b, n);
}
IMPLAY_CLONES uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return squared_l2_body(a, b, n);
}
IMPLAY_CLONES uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return linf_body(a, b, n);
}
IMPLAY_CLONES uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return dot_body(a, b, n);
}
IMPLAY_CLONES float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return cosine_body(a, b, n);
}
}  // namespace x86_clones

namespace {

inline __m128i load_block(const uint8_t* row, size_t block) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + kCappedBlock * block));
}

// Largest of 16 bytes (SSE2): fold halves until one byte is left.
inline uint32_t max_u8x16(__m128i v) {
  v = _mm_max_epu8(v, _mm_srli_si128(v, 8));
  v = _mm_max_epu8(v, _mm_srli_si128(v, 4));
  v = _mm_max_epu8(v, _mm_srli_si128(v, 2));
  v = _mm_max_epu8(v, _mm_srli_si128(v, 1));
  return uint32_t(_mm_cvtsi128_si32(v)) & 0xFFu;
}

}  // namespace

namespace x86_avx512 {
namespace {

// Blocks j .. j + count − 1 of the order (count ≤ 4) as one 64-byte register, zeros past count
// (|0 − 0| adds nothing to any metric).
IMPLAY_AVX512 inline __m512i load_blocks(const uint8_t* row, std::span<const uint32_t> blocks,
                                         size_t j, size_t count) {
  if (blocks.empty()) {
    if (count == 4) return _mm512_loadu_si512(row + kCappedBlock * j);
    return _mm512_maskz_loadu_epi8(~0ull >> (64 - kCappedBlock * count), row + kCappedBlock * j);
  }
  const uint32_t* at = blocks.data() + j;
  __m512i v = _mm512_zextsi128_si512(load_block(row, at[0]));
  if (count > 1) v = _mm512_inserti32x4(v, load_block(row, at[1]), 1);
  if (count > 2) v = _mm512_inserti32x4(v, load_block(row, at[2]), 2);
  if (count > 3) v = _mm512_inserti32x4(v, load_block(row, at[3]), 3);
  return v;
}

IMPLAY_AVX512 inline __m512i absdiff(__m512i x, __m512i y) {
  return _mm512_or_si512(_mm512_subs_epu8(x, y), _mm512_subs_epu8(y, x));
}

// Σ (x − y)² of 64 bytes as 16 u32 lanes (each ≤ 4 · 255²).
IMPLAY_AVX512 inline __m512i squares(__m512i x, __m512i y) {
  const __m512i d = absdiff(x, y), zero = _mm512_setzero_si512();
  const __m512i lo = _mm512_unpacklo_epi8(d, zero), hi = _mm512_unpackhi_epi8(d, zero);
  return _mm512_add_epi32(_mm512_madd_epi16(lo, lo), _mm512_madd_epi16(hi, hi));
}

// (4) the lane sums of four vectors of 16 u32: interleave pairs of rows and add, then pairs of
// pairs, then fold the four 128-bit lanes.
IMPLAY_AVX512 inline __m128i sum_lanes_4x16(__m512i x0, __m512i x1, __m512i x2, __m512i x3) {
  const __m512i s01 =
      _mm512_add_epi32(_mm512_unpacklo_epi32(x0, x1), _mm512_unpackhi_epi32(x0, x1));
  const __m512i s23 =
      _mm512_add_epi32(_mm512_unpacklo_epi32(x2, x3), _mm512_unpackhi_epi32(x2, x3));
  const __m512i s =
      _mm512_add_epi32(_mm512_unpacklo_epi64(s01, s23), _mm512_unpackhi_epi64(s01, s23));
  const __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(s), _mm512_extracti64x4_epi64(s, 1));
  return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

// Largest byte of v.
IMPLAY_AVX512 inline uint32_t max_of_bytes(__m512i v) {
  v = _mm512_max_epu8(v, _mm512_srli_epi32(v, 16));  // each u32 lane's max into its low byte
  v = _mm512_max_epu8(v, _mm512_srli_epi32(v, 8));
  return uint32_t(_mm512_reduce_max_epu32(_mm512_and_si512(v, _mm512_set1_epi32(0xFF))));
}

// The query's first kFirstCheck blocks, four per register (needs n ≥ 16·kFirstCheck).
struct QueryGroups {
  __m512i value[kFirstCheck / 4];
};
IMPLAY_AVX512 inline QueryGroups load_query(const uint8_t* a, std::span<const uint32_t> blocks) {
  QueryGroups q;
  for (size_t g = 0; g < kFirstCheck / 4; ++g) q.value[g] = load_blocks(a, blocks, 4 * g, 4);
  return q;
}

// Per metric: `lanes` sums the first kFirstCheck blocks of b against the query into 16 u32
// lanes (the prefix), `finish` goes on from the prefix sum to min(distance, cap).
struct SquaredL2 {
  IMPLAY_AVX512 static __m512i lanes(const QueryGroups& q, const uint8_t* b,
                                     std::span<const uint32_t> blocks) {
    __m512i acc = _mm512_setzero_si512();
    for (size_t g = 0; g < kFirstCheck / 4; ++g)
      acc = _mm512_add_epi32(acc, squares(q.value[g], load_blocks(b, blocks, 4 * g, 4)));
    return acc;
  }
  IMPLAY_AVX512 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                                       std::span<const uint32_t> blocks, uint32_t cap,
                                       uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m512i acc = _mm512_zextsi128_si512(_mm_cvtsi32_si128(int(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;  // the rest can only add
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 4) {
        const size_t count = std::min<size_t>(4, end - j);
        acc = _mm512_add_epi32(
            acc, squares(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = uint32_t(_mm512_reduce_add_epi32(acc));
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::squared_l2_u8(a + done, b + done, n - done), cap);
  }
};

struct L1 {  // psadbw: sums of |x − y| in 8 u64 lanes (< 2³², so also 16 u32 lanes)
  IMPLAY_AVX512 static __m512i lanes(const QueryGroups& q, const uint8_t* b,
                                     std::span<const uint32_t> blocks) {
    __m512i acc = _mm512_setzero_si512();
    for (size_t g = 0; g < kFirstCheck / 4; ++g)
      acc = _mm512_add_epi64(acc, _mm512_sad_epu8(q.value[g], load_blocks(b, blocks, 4 * g, 4)));
    return acc;
  }
  IMPLAY_AVX512 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                                       std::span<const uint32_t> blocks, uint32_t cap,
                                       uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m512i acc = _mm512_zextsi128_si512(_mm_cvtsi64_si128(int64_t(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 4) {
        const size_t count = std::min<size_t>(4, end - j);
        acc = _mm512_add_epi64(acc, _mm512_sad_epu8(load_blocks(a, blocks, j, count),
                                                    load_blocks(b, blocks, j, count)));
      }
      sum = uint32_t(_mm512_reduce_add_epi64(acc));
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::l1_u8(a + done, b + done, n - done), cap);
  }
};

// min(distance(a, row i), cap) for count rows; n ≥ 16·kFirstCheck and within the exact range.
template <class Metric>
IMPLAY_AVX512 void capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                               size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                               uint32_t* out) {
  const QueryGroups q = load_query(a, blocks);
  size_t i = 0;
  for (; i + 4 <= count; i += 4) {  // prefixes, four rows per reduction, no branch
    const uint8_t* b = rows + i * stride;
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(out + i),
        sum_lanes_4x16(Metric::lanes(q, b, blocks), Metric::lanes(q, b + stride, blocks),
                       Metric::lanes(q, b + 2 * stride, blocks),
                       Metric::lanes(q, b + 3 * stride, blocks)));
  }
  for (; i < count; ++i)
    out[i] = uint32_t(_mm512_reduce_add_epi32(Metric::lanes(q, rows + i * stride, blocks)));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

template <class Metric>
IMPLAY_AVX512 uint32_t capped(const uint8_t* a, const uint8_t* b, size_t n,
                              std::span<const uint32_t> blocks, uint32_t cap) {
  const uint32_t first =
      uint32_t(_mm512_reduce_add_epi32(Metric::lanes(load_query(a, blocks), b, blocks)));
  return first >= cap ? cap : Metric::finish(a, b, n, blocks, cap, first);
}

}  // namespace

IMPLAY_AVX512 uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                            std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  return capped<SquaredL2>(a, b, n, blocks, cap);
}

IMPLAY_AVX512 uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                    std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped(a, b, n, blocks, cap);
  return capped<L1>(a, b, n, blocks, cap);
}

IMPLAY_AVX512 uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                      std::span<const uint32_t> blocks, uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  __m512i largest = _mm512_setzero_si512();  // (64) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole);
    for (; j < end; j += 4) {
      const size_t count = std::min<size_t>(4, end - j);
      largest = _mm512_max_epu8(
          largest, absdiff(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
    }
  }
  const size_t done = whole * kCappedBlock;
  return std::min(std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done)),
                  cap);
}

IMPLAY_AVX512 void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                             size_t count, size_t n,
                                             std::span<const uint32_t> blocks, uint32_t cap,
                                             uint32_t* out) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<SquaredL2>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX512 void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                     size_t count, size_t n, std::span<const uint32_t> blocks,
                                     uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<L1>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX512 void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                       size_t count, size_t n, std::span<const uint32_t> blocks,
                                       uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace x86_avx512

namespace x86_avx2 {
namespace {

// Blocks j and j + 1 of the order as one 32-byte register (count 1: the upper half is zero).
IMPLAY_AVX2 inline __m256i load_blocks(const uint8_t* row, std::span<const uint32_t> blocks,
                                       size_t j, size_t count) {
  if (blocks.empty()) {
    if (count == 2)
      return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + kCappedBlock * j));
    return _mm256_zextsi128_si256(load_block(row, j));
  }
  const uint32_t* at = blocks.data() + j;
  const __m256i v = _mm256_zextsi128_si256(load_block(row, at[0]));
  return count == 2 ? _mm256_inserti128_si256(v, load_block(row, at[1]), 1) : v;
}

IMPLAY_AVX2 inline __m256i absdiff(__m256i x, __m256i y) {
  return _mm256_or_si256(_mm256_subs_epu8(x, y), _mm256_subs_epu8(y, x));
}

// Σ (x − y)² of 32 bytes as 8 u32 lanes.
IMPLAY_AVX2 inline __m256i squares(__m256i x, __m256i y) {
  const __m256i d = absdiff(x, y), zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_unpacklo_epi8(d, zero), hi = _mm256_unpackhi_epi8(d, zero);
  return _mm256_add_epi32(_mm256_madd_epi16(lo, lo), _mm256_madd_epi16(hi, hi));
}

IMPLAY_AVX2 inline uint32_t sum_u32x8(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));  // lanes (2, 3, 0, 1)
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));  // lanes (1, 0, 3, 2)
  return uint32_t(_mm_cvtsi128_si32(s));
}

// (4) the lane sums of four vectors of 8 u32: horizontal adds within 128-bit halves, then the
// halves.
IMPLAY_AVX2 inline __m128i sum_lanes_4x8(__m256i x0, __m256i x1, __m256i x2, __m256i x3) {
  const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(x0, x1), _mm256_hadd_epi32(x2, x3));
  return _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
}

IMPLAY_AVX2 inline uint32_t max_of_bytes(__m256i v) {
  return max_u8x16(_mm_max_epu8(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
}

// The query's first kFirstCheck blocks, two per register (needs n ≥ 16·kFirstCheck).
struct QueryPairs {
  __m256i value[kFirstCheck / 2];
};
IMPLAY_AVX2 inline QueryPairs load_query(const uint8_t* a, std::span<const uint32_t> blocks) {
  QueryPairs q;
  for (size_t g = 0; g < kFirstCheck / 2; ++g) q.value[g] = load_blocks(a, blocks, 2 * g, 2);
  return q;
}

// As in x86_avx512: `lanes` is the prefix in 8 u32 lanes, `finish` goes on to min(d, cap).
struct SquaredL2 {
  IMPLAY_AVX2 static __m256i lanes(const QueryPairs& q, const uint8_t* b,
                                   std::span<const uint32_t> blocks) {
    __m256i acc = _mm256_setzero_si256();
    for (size_t g = 0; g < kFirstCheck / 2; ++g)
      acc = _mm256_add_epi32(acc, squares(q.value[g], load_blocks(b, blocks, 2 * g, 2)));
    return acc;
  }
  IMPLAY_AVX2 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                                     std::span<const uint32_t> blocks, uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m256i acc = _mm256_zextsi128_si256(_mm_cvtsi32_si128(int(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;  // the rest can only add
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 2) {
        const size_t count = std::min<size_t>(2, end - j);
        acc = _mm256_add_epi32(
            acc, squares(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = sum_u32x8(acc);
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::squared_l2_u8(a + done, b + done, n - done), cap);
  }
};

struct L1 {  // psadbw: sums of |x − y| in 4 u64 lanes (< 2³², so also 8 u32 lanes)
  IMPLAY_AVX2 static __m256i lanes(const QueryPairs& q, const uint8_t* b,
                                   std::span<const uint32_t> blocks) {
    __m256i acc = _mm256_setzero_si256();
    for (size_t g = 0; g < kFirstCheck / 2; ++g)
      acc = _mm256_add_epi64(acc, _mm256_sad_epu8(q.value[g], load_blocks(b, blocks, 2 * g, 2)));
    return acc;
  }
  IMPLAY_AVX2 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n,
                                     std::span<const uint32_t> blocks, uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m256i acc = _mm256_zextsi128_si256(_mm_cvtsi64_si128(int64_t(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 2) {
        const size_t count = std::min<size_t>(2, end - j);
        acc = _mm256_add_epi64(acc, _mm256_sad_epu8(load_blocks(a, blocks, j, count),
                                                    load_blocks(b, blocks, j, count)));
      }
      sum = sum_u32x8(acc);  // u64 lanes with zero high halves
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::l1_u8(a + done, b + done, n - done), cap);
  }
};

template <class Metric>
IMPLAY_AVX2 void capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                             size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                             uint32_t* out) {
  const QueryPairs q = load_query(a, blocks);
  size_t i = 0;
  for (; i + 4 <= count; i += 4) {  // prefixes, four rows per reduction, no branch
    const uint8_t* b = rows + i * stride;
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(out + i),
        sum_lanes_4x8(Metric::lanes(q, b, blocks), Metric::lanes(q, b + stride, blocks),
                      Metric::lanes(q, b + 2 * stride, blocks),
                      Metric::lanes(q, b + 3 * stride, blocks)));
  }
  for (; i < count; ++i) out[i] = sum_u32x8(Metric::lanes(q, rows + i * stride, blocks));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

template <class Metric>
IMPLAY_AVX2 uint32_t capped(const uint8_t* a, const uint8_t* b, size_t n,
                            std::span<const uint32_t> blocks, uint32_t cap) {
  const uint32_t first = sum_u32x8(Metric::lanes(load_query(a, blocks), b, blocks));
  return first >= cap ? cap : Metric::finish(a, b, n, blocks, cap, first);
}

}  // namespace

IMPLAY_AVX2 uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                          std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  return capped<SquaredL2>(a, b, n, blocks, cap);
}

IMPLAY_AVX2 uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                  std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped(a, b, n, blocks, cap);
  return capped<L1>(a, b, n, blocks, cap);
}

IMPLAY_AVX2 uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                    std::span<const uint32_t> blocks, uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  __m256i largest = _mm256_setzero_si256();  // (32) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole);
    for (; j < end; j += 2) {
      const size_t count = std::min<size_t>(2, end - j);
      largest = _mm256_max_epu8(
          largest, absdiff(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
    }
  }
  const size_t done = whole * kCappedBlock;
  return std::min(std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done)),
                  cap);
}

IMPLAY_AVX2 void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                           size_t count, size_t n, std::span<const uint32_t> blocks,
                                           uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<SquaredL2>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX2 void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                   size_t count, size_t n, std::span<const uint32_t> blocks,
                                   uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<L1>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX2 void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride,
                                     size_t count, size_t n, std::span<const uint32_t> blocks,
                                     uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace x86_avx2
#endif  // IMPLAY_X86_DISPATCH

// ---------------------------------------------------------------------------------------------
// [SECTION] Dispatch. `kernels` names the namespace of the plain kernels in this build; the
// capped ones are picked once at run time (natively on x86-64) and kept as function pointers.

#if IMPLAY_WASM_SIMD
namespace kernels = wasm_simd;
#else
namespace kernels = portable;
#endif

#if IMPLAY_X86_DISPATCH
namespace integer_kernels = x86_clones;  // target_clones: the loader picked the ISA
#else
namespace integer_kernels = kernels;
#endif

namespace {

struct CappedKernels {
  CappedKernelU8 l1, squared_l2, linf;
  CappedRowsKernelU8 l1_rows, squared_l2_rows, linf_rows;
  const char* name;  // integer_kernels_name()
};

// All six kernels of one namespace.
#define IMPLAY_CAPPED_KERNELS(ns, name)                                                    \
  CappedKernels {                                                                          \
    ns::l1_u8_capped, ns::squared_l2_u8_capped, ns::linf_u8_capped, ns::l1_u8_capped_rows, \
        ns::squared_l2_u8_capped_rows, ns::linf_u8_capped_rows, name                       \
  }

// The one run-time choice of target.hpp (so active_kernels() names what runs here).
CappedKernels choose_capped_kernels() {
  switch (active_kernel_set()) {
#if IMPLAY_WASM_SIMD
    case KernelSet::WasmSimd128: return IMPLAY_CAPPED_KERNELS(wasm_simd, "wasm simd128");
#endif
#if IMPLAY_X86_DISPATCH
    case KernelSet::Avx512: return IMPLAY_CAPPED_KERNELS(x86_avx512, "x86 avx512bw");
    case KernelSet::Avx2: return IMPLAY_CAPPED_KERNELS(x86_avx2, "x86 avx2");
#endif
    default: return IMPLAY_CAPPED_KERNELS(portable, "portable");
  }
}
#undef IMPLAY_CAPPED_KERNELS

const CappedKernels& capped_kernels() {
  static const CappedKernels chosen = choose_capped_kernels();  // once, thread-safe
  return chosen;
}

}  // namespace

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return integer_kernels::l1_u8(a, b, n);
}
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return integer_kernels::squared_l2_u8(a, b, n);
}
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return integer_kernels::linf_u8(a, b, n);
}
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return integer_kernels::dot_u8(a, b, n);
}
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) {
  return integer_kernels::cosine_distance_u8(a, b, n);
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

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                      std::span<const uint32_t> blocks, uint32_t cap) {
  return capped_kernels().l1(a, b, n, blocks, cap);
}
uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                              std::span<const uint32_t> blocks, uint32_t cap) {
  return capped_kernels().squared_l2(a, b, n, blocks, cap);
}
uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                        std::span<const uint32_t> blocks, uint32_t cap) {
  return capped_kernels().linf(a, b, n, blocks, cap);
}

CappedKernelU8 capped_kernel_u8(Metric metric) {
  switch (metric) {
    case Metric::L1:
      return capped_kernels().l1;
    case Metric::L2:
      return capped_kernels().squared_l2;
    case Metric::Linf:
      return capped_kernels().linf;
    case Metric::Cosine:
      return nullptr;
  }
  return nullptr;
}

CappedRowsKernelU8 capped_rows_kernel_u8(Metric metric) {
  switch (metric) {
    case Metric::L1:
      return capped_kernels().l1_rows;
    case Metric::L2:
      return capped_kernels().squared_l2_rows;
    case Metric::Linf:
      return capped_kernels().linf_rows;
    case Metric::Cosine:
      return nullptr;
  }
  return nullptr;
}

void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                       std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  capped_kernels().l1_rows(a, rows, stride, count, n, blocks, cap, out);
}
void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                               size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                               uint32_t* out) {
  capped_kernels().squared_l2_rows(a, rows, stride, count, n, blocks, cap, out);
}
void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                         size_t n, std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  capped_kernels().linf_rows(a, rows, stride, count, n, blocks, cap, out);
}

const char* integer_kernels_name() { return capped_kernels().name; }

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
