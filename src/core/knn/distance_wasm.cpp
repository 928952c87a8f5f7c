// distance_wasm.cpp — the wasm_simd128 versions of the distance kernels (namespace wasm_simd of
// distance.hpp), compiled in wasm SIMD builds only. Their portable references and the dispatch
// are in distance.cpp, the x86 versions in distance_x86.cpp; integer kernels here must stay bit
// for bit equal to the portable ones (test_distance.cpp checks every path).
#include "core/knn/distance.hpp"

#include "core/target.hpp"

#if IMPLAY_WASM_SIMD
#include <wasm_simd128.h>

#include <algorithm>
#include <cmath>

#include "core/knn/distance_impl.hpp"

namespace implay {

using namespace distance_detail;

// Each loop eats 16 bytes or 8 floats, the tail goes to the portable loop; integer sums widen
// before they could overflow, so they stay exact.

namespace wasm_simd {
namespace {

// Σ of the four u32 lanes, wrapping like the portable uint32 sums.
uint32_t sum_u32x4(v128_t v) {
  return uint32_t(wasm_i32x4_extract_lane(v, 0)) + uint32_t(wasm_i32x4_extract_lane(v, 1)) +
         uint32_t(wasm_i32x4_extract_lane(v, 2)) + uint32_t(wasm_i32x4_extract_lane(v, 3));
}

// |a − b| per byte: one of the two saturating differences is 0, the other is |a − b|.
v128_t absdiff_u8x16(v128_t a, v128_t b) { return wasm_v128_or(wasm_u8x16_sub_sat(a, b), wasm_u8x16_sub_sat(b, a)); }

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
  for (; i + 16 <= n; i += 16) acc = wasm_i32x4_add(acc, dot_u8x16(wasm_v128_load(a + i), wasm_v128_load(b + i)));
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
      a, b, n, [](v128_t x, v128_t y) { return wasm_f32x4_mul(x, y); }, [](float x, float y) { return x * y; });
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
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  v = wasm_u8x16_max(v, wasm_i8x16_shuffle(v, v, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  return wasm_u8x16_extract_lane(v, 0);
}

// (4) the lane sums of x0, x1, x2, x3: pairs of lanes, then pairs of pairs.
v128_t sum_lanes_4x4(v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
  const v128_t s01 = wasm_i32x4_add(wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7));
  const v128_t s23 = wasm_i32x4_add(wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5), wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7));
  return wasm_i32x4_add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5), wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
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
  static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                         uint32_t sum) {
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
      pairs = wasm_i16x8_add(pairs,
                             wasm_u16x8_extadd_pairwise_u8x16(absdiff_u8x16(q.value[j], wasm_v128_load(b + q.at[j]))));
    return wasm_u32x4_extadd_pairwise_u16x8(pairs);
  }
  static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                         uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      v128_t pairs = wasm_i16x8_splat(0);  // ≤ 8 · 510 per lane
      for (const size_t end = std::min(j + kCheckEvery, whole); j < end; ++j) {
        const size_t at = block_offset(blocks, j);
        pairs = wasm_i16x8_add(
            pairs, wasm_u16x8_extadd_pairwise_u8x16(absdiff_u8x16(wasm_v128_load(a + at), wasm_v128_load(b + at))));
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
    wasm_v128_store(out + i, sum_lanes_4x4(Metric::lanes(q, b), Metric::lanes(q, b + stride),
                                           Metric::lanes(q, b + 2 * stride), Metric::lanes(q, b + 3 * stride)));
  }
  for (; i < count; ++i) out[i] = sum_u32x4(Metric::lanes(q, rows + i * stride));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

}  // namespace

uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                              uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock) return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  const uint32_t first = sum_u32x4(SquaredL2::lanes(QueryBlocks(a, blocks), b));
  return first >= cap ? cap : SquaredL2::finish(a, b, n, blocks, cap, first);
}

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock) return portable::l1_u8_capped(a, b, n, blocks, cap);
  const uint32_t first = sum_u32x4(L1::lanes(QueryBlocks(a, blocks), b));
  return first >= cap ? cap : L1::finish(a, b, n, blocks, cap, first);
}

uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  v128_t largest = wasm_i8x16_splat(0);  // (16) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    for (const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole); j < end; ++j) {
      const size_t at = block_offset(blocks, j);
      largest = wasm_u8x16_max(largest, absdiff_u8x16(wasm_v128_load(a + at), wasm_v128_load(b + at)));
    }
  }
  const size_t done = whole * kCappedBlock;
  const uint32_t result = std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done));
  return std::min(result, cap);
}

void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                               std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
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

void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace wasm_simd

}  // namespace implay
#endif  // IMPLAY_WASM_SIMD
