// distance.cpp — the distance kernels' portable loops (the reference every SIMD path is tested
// against), the dispatch that picks a path, and the metric names. The explicit SIMD versions are
// next door: distance_wasm.cpp (wasm_simd128), distance_x86.cpp (AVX2, AVX-512, target clones);
// what all three share is in distance_impl.hpp.
//
// Index: [Metric names] [Portable loops] (and the capped, early-abandoning ones) [Dispatch]
#include "core/knn/distance.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/knn/distance_impl.hpp"
#include "core/target.hpp"

namespace implay {

using namespace distance_detail;

// [SECTION] Metric names -------------------------------------------------------------------------

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

// [SECTION] Portable loops -----------------------------------------------------------------------
// Natively the compiler auto-vectorizes the integer ones for the host; on x86-64 the same bodies
// are also compiled for AVX2 and AVX-512 (distance_x86.cpp).

namespace portable {

uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) { return l1_body(a, b, n); }
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) { return squared_l2_body(a, b, n); }
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) { return linf_body(a, b, n); }
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) { return dot_body(a, b, n); }
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) { return cosine_body(a, b, n); }

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
uint32_t blocks_sum(const uint8_t* a, const uint8_t* b, std::span<const uint32_t> blocks, size_t first, size_t last,
                    Term term) {
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
uint32_t finish_sum(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                    uint32_t sum, Term term) {
  const size_t whole = n / kCappedBlock;
  for (size_t j = std::min(kFirstCheck, whole); sum < cap && j < whole; j += kCheckEvery)
    sum += blocks_sum(a, b, blocks, j, std::min(j + kCheckEvery, whole), term);
  if (sum >= cap) return cap;  // the rest can only add
  for (size_t i = whole * kCappedBlock; i < n; ++i) sum += term(a[i], b[i]);
  return std::min(sum, cap);
}

template <class Term>
uint32_t capped_sum(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap,
                    Term term) {
  const uint32_t first = blocks_sum(a, b, blocks, 0, std::min(kFirstCheck, n / kCappedBlock), term);
  return finish_sum(a, b, n, blocks, cap, first, term);
}

// max |a − b| over blocks [first, last) of the order.
uint32_t blocks_max(const uint8_t* a, const uint8_t* b, std::span<const uint32_t> blocks, size_t first, size_t last) {
  uint8_t largest = 0;
  for (size_t j = first; j < last; ++j) {
    const size_t at = block_offset(blocks, j);
    for (size_t v = 0; v < kCappedBlock; ++v) largest = std::max(largest, absolute_difference(a[at + v], b[at + v]));
  }
  return largest;
}

}  // namespace

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
  if (n > kMaxExactL1) return std::min(l1_u8(a, b, n), cap);
  return capped_sum(a, b, n, blocks, cap, abs_term);
}

uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                              uint32_t cap) {
  if (n > kMaxExactL2) return std::min(squared_l2_u8(a, b, n), cap);
  return capped_sum(a, b, n, blocks, cap, square_term);
}

uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
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

void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                               std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = squared_l2_u8_capped(a, rows + i * stride, n, blocks, cap);
}

void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = linf_u8_capped(a, rows + i * stride, n, blocks, cap);
}

}  // namespace portable

// [SECTION] Dispatch -----------------------------------------------------------------------------
// `kernels` names the namespace of the plain kernels in this build; the capped ones are picked
// once at run time (natively on x86-64) and kept as function pointers.

#if IMPLAY_WASM_SIMD
namespace kernels = wasm_simd;
#else
namespace kernels = portable;
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

// Natively on x86-64 the five integer kernels are distance_x86.cpp's target clones instead.
#if !IMPLAY_X86_DISPATCH
uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::l1_u8(a, b, n); }
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::squared_l2_u8(a, b, n); }
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::linf_u8(a, b, n); }
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::dot_u8(a, b, n); }
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n) { return kernels::cosine_distance_u8(a, b, n); }
#endif
float l1_f32(const float* a, const float* b, size_t n) { return kernels::l1_f32(a, b, n); }
float squared_l2_f32(const float* a, const float* b, size_t n) { return kernels::squared_l2_f32(a, b, n); }
float linf_f32(const float* a, const float* b, size_t n) { return kernels::linf_f32(a, b, n); }
float dot_f32(const float* a, const float* b, size_t n) { return kernels::dot_f32(a, b, n); }
float cosine_distance_f32(const float* a, const float* b, size_t n) { return kernels::cosine_distance_f32(a, b, n); }

uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
  return capped_kernels().l1(a, b, n, blocks, cap);
}
uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                              uint32_t cap) {
  return capped_kernels().squared_l2(a, b, n, blocks, cap);
}
uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap) {
  return capped_kernels().linf(a, b, n, blocks, cap);
}

CappedKernelU8 capped_kernel_u8(Metric metric) {
  switch (metric) {
    case Metric::L1: return capped_kernels().l1;
    case Metric::L2: return capped_kernels().squared_l2;
    case Metric::Linf: return capped_kernels().linf;
    case Metric::Cosine: return nullptr;
  }
  return nullptr;
}

CappedRowsKernelU8 capped_rows_kernel_u8(Metric metric) {
  switch (metric) {
    case Metric::L1: return capped_kernels().l1_rows;
    case Metric::L2: return capped_kernels().squared_l2_rows;
    case Metric::Linf: return capped_kernels().linf_rows;
    case Metric::Cosine: return nullptr;
  }
  return nullptr;
}

void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                       std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  capped_kernels().l1_rows(a, rows, stride, count, n, blocks, cap, out);
}
void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                               std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
  capped_kernels().squared_l2_rows(a, rows, stride, count, n, blocks, cap, out);
}
void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out) {
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
