// distance_impl.hpp — internal to the distance kernels (include it only from distance.cpp,
// distance_wasm.cpp and distance_x86.cpp; the API is distance.hpp): the capped kernels' block
// constants, the portable integer loop bodies they all build on (always inlined, so each x86
// target clone vectorizes its own copy) and two float helpers.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/knn/distance.hpp"

namespace implay {
namespace distance_detail {

// cosine_distance_from_parts (distance.hpp) for float parts; cos is clamped to [−1, 1] so the
// distance stays in [0, 2].
inline float cosine_distance_from_float_parts(float dot, float squared_norm_a, float squared_norm_b) {
  if (squared_norm_a == 0.0f || squared_norm_b == 0.0f) return 1.0f;
  double cosine = double(dot) / std::sqrt(double(squared_norm_a) * double(squared_norm_b));
  return float(1.0 - std::clamp(cosine, -1.0, 1.0));
}

// max(x, y), but NaN if either is NaN (std::max would silently drop a NaN in y), so that a NaN
// feature makes the L∞ distance NaN as it does for the summed metrics.
inline float max_keeping_nan(float x, float y) { return (y > x || std::isnan(y)) ? y : x; }

// The integer loops run in fixed 32-byte blocks with a partial sum per block: a fixed-length
// inner loop is what GCC vectorizes even at -O2 (its "very cheap" cost model skips loops that
// need a scalar epilogue), 4–8× faster than one plain loop. Wrapping uint32 sums do not depend
// on the order, so the result is the same.
inline constexpr size_t kBlock = 32;

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

IMPLAY_INLINE uint8_t absolute_difference(uint8_t x, uint8_t y) { return x > y ? uint8_t(x - y) : uint8_t(y - x); }
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
    for (size_t j = 0; j < kBlock; ++j) block = std::max(block, absolute_difference(a[i + j], b[i + j]));
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
inline constexpr size_t kMaxExactL1 = max_exact_length(255);          // 16,843,009
inline constexpr size_t kMaxExactL2 = max_exact_length(255u * 255u);  // 66,051

// After the first comparison (kFirstCheckBlocks, distance.hpp), the capped kernels compare the
// partial sum with the cap every 8 blocks (128 bytes). Both multiples of 4 (an AVX-512 group).
inline constexpr size_t kFirstCheck = kFirstCheckBlocks, kCheckEvery = 8;
static_assert(kFirstCheck % 4 == 0 && kCheckEvery % 4 == 0);

// Byte offset of the j-th block to visit: blocks[j] 16-byte blocks in, or j in natural order.
inline size_t block_offset(std::span<const uint32_t> blocks, size_t j) {
  return kCappedBlock * (blocks.empty() ? j : size_t(blocks[j]));
}

}  // namespace distance_detail

}  // namespace implay
