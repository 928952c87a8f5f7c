// distance_x86.cpp — the x86-64 versions of the distance kernels: the portable integer bodies as
// GCC target clones (the dispatching l1_u8 and its kin themselves), and the capped kernels in AVX2
// and AVX-512 intrinsics (namespaces x86_avx2, x86_avx512). Per-function target attributes, not per-file flags, so the
// binary runs on any x86-64 and distance.cpp's dispatch picks by CPUID (target.hpp). The portable references are in
// distance.cpp, the wasm versions in distance_wasm.cpp.
//
// Index: [Target clones and shared SSE2 pieces] [AVX-512] [AVX2]
#include "core/knn/distance.hpp"

#include "core/target.hpp"

#if IMPLAY_X86_DISPATCH
#include <algorithm>

#include "core/knn/distance_impl.hpp"

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined_*() (GCC bug
// 105593, fixed in 13); the pragma must cover the header, where the warning points.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace implay {

using namespace distance_detail;

// The plain integer kernels are the portable bodies of distance_impl.hpp compiled three times by
// GCC's target_clones (x86-64-v4 = AVX-512, AVX2, baseline); the loader picks one for the CPU.
// The capped kernels, where k-NN spends its time, are written with intrinsics: four 16-byte blocks
// of the given order fill one AVX-512 register (two AVX2 registers); the query's first 12 blocks
// stay in registers across a run of rows. |a − b| = (a ⊖ b) | (b ⊖ a) with saturating
// subtraction; L1 sums it with psadbw, L2 squares it in 16-bit lanes with pmaddwd (2 · 255² fits
// int32), L∞ keeps a byte max.

#define IMPLAY_AVX2 __attribute__((target("avx2")))
#define IMPLAY_AVX512 __attribute__((target("avx512f,avx512bw")))
#define IMPLAY_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))

// [SECTION] Target clones and shared SSE2 pieces -------------------------------------------------

// The dispatching plain integer kernels of distance.hpp themselves: on x86-64 they are these
// bodies compiled three times, and the loader's resolver picks the clone for the CPU.
IMPLAY_CLONES uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) { return l1_body(a, b, n); }
IMPLAY_CLONES uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) { return squared_l2_body(a, b, n); }
IMPLAY_CLONES uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) { return linf_body(a, b, n); }
IMPLAY_CLONES uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) { return dot_body(a, b, n); }
IMPLAY_CLONES float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) { return cosine_body(a, b, n); }

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

// [SECTION] AVX-512 ------------------------------------------------------------------------------

namespace x86_avx512 {
namespace {

// Blocks j .. j + count − 1 of the order (count ≤ 4) as one 64-byte register, zeros past count
// (|0 − 0| adds nothing to any metric).
IMPLAY_AVX512 inline __m512i load_blocks(const uint8_t* row, std::span<const uint32_t> blocks, size_t j, size_t count) {
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
  const __m512i s01 = _mm512_add_epi32(_mm512_unpacklo_epi32(x0, x1), _mm512_unpackhi_epi32(x0, x1));
  const __m512i s23 = _mm512_add_epi32(_mm512_unpacklo_epi32(x2, x3), _mm512_unpackhi_epi32(x2, x3));
  const __m512i s = _mm512_add_epi32(_mm512_unpacklo_epi64(s01, s23), _mm512_unpackhi_epi64(s01, s23));
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
  IMPLAY_AVX512 static __m512i lanes(const QueryGroups& q, const uint8_t* b, std::span<const uint32_t> blocks) {
    __m512i acc = _mm512_setzero_si512();
    for (size_t g = 0; g < kFirstCheck / 4; ++g)
      acc = _mm512_add_epi32(acc, squares(q.value[g], load_blocks(b, blocks, 4 * g, 4)));
    return acc;
  }
  IMPLAY_AVX512 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                       uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m512i acc = _mm512_zextsi128_si512(_mm_cvtsi32_si128(int(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;  // the rest can only add
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 4) {
        const size_t count = std::min<size_t>(4, end - j);
        acc = _mm512_add_epi32(acc, squares(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = uint32_t(_mm512_reduce_add_epi32(acc));
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::squared_l2_u8(a + done, b + done, n - done), cap);
  }
};

struct L1 {  // psadbw: sums of |x − y| in 8 u64 lanes (< 2³², so also 16 u32 lanes)
  IMPLAY_AVX512 static __m512i lanes(const QueryGroups& q, const uint8_t* b, std::span<const uint32_t> blocks) {
    __m512i acc = _mm512_setzero_si512();
    for (size_t g = 0; g < kFirstCheck / 4; ++g)
      acc = _mm512_add_epi64(acc, _mm512_sad_epu8(q.value[g], load_blocks(b, blocks, 4 * g, 4)));
    return acc;
  }
  IMPLAY_AVX512 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                       uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m512i acc = _mm512_zextsi128_si512(_mm_cvtsi64_si128(int64_t(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 4) {
        const size_t count = std::min<size_t>(4, end - j);
        acc =
            _mm512_add_epi64(acc, _mm512_sad_epu8(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = uint32_t(_mm512_reduce_add_epi64(acc));
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::l1_u8(a + done, b + done, n - done), cap);
  }
};

// min(distance(a, row i), cap) for count rows; n ≥ 16·kFirstCheck and within the exact range.
template <class Metric>
IMPLAY_AVX512 void capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                               std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  const QueryGroups q = load_query(a, blocks);
  size_t i = 0;
  for (; i + 4 <= count; i += 4) {  // prefixes, four rows per reduction, no branch
    const uint8_t* b = rows + i * stride;
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(out + i),
        sum_lanes_4x16(Metric::lanes(q, b, blocks), Metric::lanes(q, b + stride, blocks),
                       Metric::lanes(q, b + 2 * stride, blocks), Metric::lanes(q, b + 3 * stride, blocks)));
  }
  for (; i < count; ++i) out[i] = uint32_t(_mm512_reduce_add_epi32(Metric::lanes(q, rows + i * stride, blocks)));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

template <class Metric>
IMPLAY_AVX512 uint32_t capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                              uint32_t cap) {
  const uint32_t first = uint32_t(_mm512_reduce_add_epi32(Metric::lanes(load_query(a, blocks), b, blocks)));
  return first >= cap ? cap : Metric::finish(a, b, n, blocks, cap, first);
}

}  // namespace

IMPLAY_AVX512 uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                            std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock) return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  return capped<SquaredL2>(a, b, n, blocks, cap);
}

IMPLAY_AVX512 uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                    uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock) return portable::l1_u8_capped(a, b, n, blocks, cap);
  return capped<L1>(a, b, n, blocks, cap);
}

IMPLAY_AVX512 uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                      uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  __m512i largest = _mm512_setzero_si512();  // (64) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole);
    for (; j < end; j += 4) {
      const size_t count = std::min<size_t>(4, end - j);
      largest = _mm512_max_epu8(largest, absdiff(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
    }
  }
  const size_t done = whole * kCappedBlock;
  return std::min(std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done)), cap);
}

IMPLAY_AVX512 void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count,
                                             size_t n, std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<SquaredL2>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX512 void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                     std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<L1>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX512 void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                       std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace x86_avx512

// [SECTION] AVX2 ---------------------------------------------------------------------------------

namespace x86_avx2 {
namespace {

// Blocks j and j + 1 of the order as one 32-byte register (count 1: the upper half is zero).
IMPLAY_AVX2 inline __m256i load_blocks(const uint8_t* row, std::span<const uint32_t> blocks, size_t j, size_t count) {
  if (blocks.empty()) {
    if (count == 2) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + kCappedBlock * j));
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
  IMPLAY_AVX2 static __m256i lanes(const QueryPairs& q, const uint8_t* b, std::span<const uint32_t> blocks) {
    __m256i acc = _mm256_setzero_si256();
    for (size_t g = 0; g < kFirstCheck / 2; ++g)
      acc = _mm256_add_epi32(acc, squares(q.value[g], load_blocks(b, blocks, 2 * g, 2)));
    return acc;
  }
  IMPLAY_AVX2 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                     uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m256i acc = _mm256_zextsi128_si256(_mm_cvtsi32_si128(int(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;  // the rest can only add
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 2) {
        const size_t count = std::min<size_t>(2, end - j);
        acc = _mm256_add_epi32(acc, squares(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = sum_u32x8(acc);
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::squared_l2_u8(a + done, b + done, n - done), cap);
  }
};

struct L1 {  // psadbw: sums of |x − y| in 4 u64 lanes (< 2³², so also 8 u32 lanes)
  IMPLAY_AVX2 static __m256i lanes(const QueryPairs& q, const uint8_t* b, std::span<const uint32_t> blocks) {
    __m256i acc = _mm256_setzero_si256();
    for (size_t g = 0; g < kFirstCheck / 2; ++g)
      acc = _mm256_add_epi64(acc, _mm256_sad_epu8(q.value[g], load_blocks(b, blocks, 2 * g, 2)));
    return acc;
  }
  IMPLAY_AVX2 static uint32_t finish(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                     uint32_t cap, uint32_t sum) {
    const size_t whole = n / kCappedBlock;
    __m256i acc = _mm256_zextsi128_si256(_mm_cvtsi64_si128(int64_t(sum)));
    for (size_t j = kFirstCheck; j < whole;) {
      if (sum >= cap) return cap;
      const size_t end = std::min(j + kCheckEvery, whole);
      for (; j < end; j += 2) {
        const size_t count = std::min<size_t>(2, end - j);
        acc =
            _mm256_add_epi64(acc, _mm256_sad_epu8(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
      }
      sum = sum_u32x8(acc);  // u64 lanes with zero high halves
    }
    const size_t done = whole * kCappedBlock;
    return std::min(sum + portable::l1_u8(a + done, b + done, n - done), cap);
  }
};

template <class Metric>
IMPLAY_AVX2 void capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                             std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  const QueryPairs q = load_query(a, blocks);
  size_t i = 0;
  for (; i + 4 <= count; i += 4) {  // prefixes, four rows per reduction, no branch
    const uint8_t* b = rows + i * stride;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                     sum_lanes_4x8(Metric::lanes(q, b, blocks), Metric::lanes(q, b + stride, blocks),
                                   Metric::lanes(q, b + 2 * stride, blocks), Metric::lanes(q, b + 3 * stride, blocks)));
  }
  for (; i < count; ++i) out[i] = sum_u32x8(Metric::lanes(q, rows + i * stride, blocks));
  for (i = 0; i < count; ++i)  // most prefixes already reach cap
    out[i] = out[i] >= cap ? cap : Metric::finish(a, rows + i * stride, n, blocks, cap, out[i]);
}

template <class Metric>
IMPLAY_AVX2 uint32_t capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                            uint32_t cap) {
  const uint32_t first = sum_u32x8(Metric::lanes(load_query(a, blocks), b, blocks));
  return first >= cap ? cap : Metric::finish(a, b, n, blocks, cap, first);
}

}  // namespace

IMPLAY_AVX2 uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n,
                                          std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock) return portable::squared_l2_u8_capped(a, b, n, blocks, cap);
  return capped<SquaredL2>(a, b, n, blocks, cap);
}

IMPLAY_AVX2 uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                  uint32_t cap) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock) return portable::l1_u8_capped(a, b, n, blocks, cap);
  return capped<L1>(a, b, n, blocks, cap);
}

IMPLAY_AVX2 uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                    uint32_t cap) {
  const size_t whole = n / kCappedBlock;
  __m256i largest = _mm256_setzero_si256();  // (32) running max of |a − b| per byte lane
  for (size_t j = 0; j < whole;) {
    if (j >= kFirstCheck && max_of_bytes(largest) >= cap) return cap;
    const size_t end = std::min(j < kFirstCheck ? kFirstCheck : j + kCheckEvery, whole);
    for (; j < end; j += 2) {
      const size_t count = std::min<size_t>(2, end - j);
      largest = _mm256_max_epu8(largest, absdiff(load_blocks(a, blocks, j, count), load_blocks(b, blocks, j, count)));
    }
  }
  const size_t done = whole * kCappedBlock;
  return std::min(std::max(max_of_bytes(largest), portable::linf_u8(a + done, b + done, n - done)), cap);
}

IMPLAY_AVX2 void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                           std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL2 || n < kFirstCheck * kCappedBlock)
    return portable::squared_l2_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<SquaredL2>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX2 void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                   std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  if (n > kMaxExactL1 || n < kFirstCheck * kCappedBlock)
    return portable::l1_u8_capped_rows(a, rows, stride, count, n, blocks, cap, out);
  capped_rows<L1>(a, rows, stride, count, n, blocks, cap, out);
}

IMPLAY_AVX2 void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                     std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace x86_avx2

}  // namespace implay
#endif  // IMPLAY_X86_DISPATCH
