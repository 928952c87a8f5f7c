// distance.hpp — the distance metrics of the playground: L1, squared L2, L∞ (Chebyshev) and
// cosine distance, over uint8 images (exact integer kernels) and float feature vectors.
// Each kernel has a portable loop (implay::portable) and, in wasm SIMD builds, an explicit
// wasm_simd128 version (implay::wasm_simd); natively on x86-64 the integer kernels also come in
// AVX2 and AVX-512 versions chosen once at run time for the CPU. The un-namespaced names dispatch.
// The capped (early-abandoning) kernels at the end are what k-NN search spends its time in.
// Implemented in distance.cpp (portable loops, dispatch), distance_wasm.cpp and distance_x86.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/target.hpp"  // IMPLAY_WASM_SIMD, IMPLAY_X86_DISPATCH

namespace implay {

// Which distance k-NN ranks by. L2 is reported *squared* (same ranking as L2, no sqrt, and
// exact in integers for uint8 images); use true_distance() in knn.hpp to show real lengths.
enum class Metric { L1, L2, Linf, Cosine };

// "l1", "l2", "linf", "cosine" -> Metric; anything else throws implay::Error naming the value
// and listing the valid names.
Metric parse_metric(std::string_view name);
// The inverse of parse_metric: "l1", "l2", "linf", "cosine".
const char* metric_name(Metric metric);
// True when the reported value is the square of the distance (only L2: ‖a − b‖²).
bool metric_is_squared(Metric metric);
// True when the uint8 kernel is an exact integer (L1, L2, L∞), so k-NN ranks on integers;
// cosine is a float even for uint8 inputs.
bool metric_is_integer_u8(Metric metric);

// Kernel conventions, shared by every namespace below:
//  - a, b: (n) vectors; any n including 0 (an empty sum is 0, an empty max is 0).
//  - uint8 kernels are exact in uint32 for n ≤ 66,051 (255² · n < 2³²), e.g. 784 MNIST pixels
//    or 3,072 CIFAR values; beyond that they wrap modulo 2³², identically in every path.
//  - cosine distance is 1 − a·b / (‖a‖‖b‖), in [0, 2]; if either vector is all zeros the
//    angle is undefined and the distance is 1 (as if orthogonal; scikit-learn does the same).
//  - float kernels return NaN when an input holds NaN (k-NN then ranks that row last).
//  - float SIMD kernels may differ from the portable ones by rounding (different summation
//    order is allowed); integer SIMD kernels are bit-for-bit equal to the portable ones.

namespace portable {
uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n);          // Σ |a − b|
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n);  // Σ (a − b)²
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n);        // max |a − b|
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n);         // Σ a·b
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n);
float l1_f32(const float* a, const float* b, size_t n);
float squared_l2_f32(const float* a, const float* b, size_t n);
float linf_f32(const float* a, const float* b, size_t n);
float dot_f32(const float* a, const float* b, size_t n);
float cosine_distance_f32(const float* a, const float* b, size_t n);
}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n);
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n);
float l1_f32(const float* a, const float* b, size_t n);
float squared_l2_f32(const float* a, const float* b, size_t n);
float linf_f32(const float* a, const float* b, size_t n);
float dot_f32(const float* a, const float* b, size_t n);
float cosine_distance_f32(const float* a, const float* b, size_t n);
}  // namespace wasm_simd
#endif

// The dispatching kernels: wasm_simd:: in wasm SIMD builds; natively on x86-64 the integer ones
// are the portable loops compiled for x86-64-v4 (AVX-512), AVX2 or the baseline (GCC
// target_clones, picked at load time); portable:: otherwise.
uint32_t l1_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t squared_l2_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t linf_u8(const uint8_t* a, const uint8_t* b, size_t n);
uint32_t dot_u8(const uint8_t* a, const uint8_t* b, size_t n);
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n);
float l1_f32(const float* a, const float* b, size_t n);
float squared_l2_f32(const float* a, const float* b, size_t n);
float linf_f32(const float* a, const float* b, size_t n);
float dot_f32(const float* a, const float* b, size_t n);
float cosine_distance_f32(const float* a, const float* b, size_t n);

// ‖a‖² of a (n) uint8 vector, exact: precompute it once per row for the overload below.
uint32_t squared_norm_u8(const uint8_t* a, size_t n);
// Cosine distance with precomputed squared norms (from squared_norm_u8); bit-for-bit equal to
// cosine_distance_u8(a, b, n), but only one dot product per pair.
float cosine_distance_u8(const uint8_t* a, const uint8_t* b, size_t n, uint32_t squared_norm_a,
                         uint32_t squared_norm_b);
// 1 − dot / √(‖a‖²‖b‖²) from exact integer parts, in double so that equal vectors give 0.
float cosine_distance_from_parts(uint32_t dot, uint32_t squared_norm_a, uint32_t squared_norm_b);

// One metric by name at run time, as a float (integers converted; squared L2 above 2²⁴ rounds,
// so k-NN ranks uint8 inputs on the integer kernels directly, not on these floats).
float distance_u8(Metric metric, const uint8_t* a, const uint8_t* b, size_t n);
float distance_f32(Metric metric, const float* a, const float* b, size_t n);

// ---------------------------------------------------------------------------------------------
// Capped (early-abandoning) uint8 kernels for k-NN: "partial distance search"
//
// k-NN only needs a candidate's exact distance when it beats the current k-th best, `cap`. These
// return min(distance, cap) and stop summing once a partial sum reaches cap: every term is ≥ 0,
// so the partial sums only grow and one ≥ cap proves the whole sum is too. Visiting the blocks
// where rows differ most first makes that happen early: on MNIST after ~1/8 of the pixels.
//  - blocks: (n / 16) the order in which to visit the 16-byte blocks [16·j, 16·j + 16) of a and
//    b, a permutation of 0 .. n/16 − 1 (knn.cpp picks it per query); empty means 0, 1, 2, ...;
//    the n mod 16 tail bytes come last. The order changes only the speed: integer sums do not
//    depend on it.
//  - the result is exactly min(l1_u8(a, b, n), cap) (and so on), the same in every path, also
//    past the uint32 limit above (n > 66,051 for L2), where the full, wrapping sum is computed.
//  - every path sums the first kFirstCheckBlocks blocks (192 bytes) before it first compares
//    with cap, then compares every 8 blocks: a comparison costs a horizontal sum and a branch
//    that is hard to predict, and 192 of the most varied bytes decide most MNIST pairs.
inline constexpr size_t kCappedBlock = 16;       // bytes per block of the `blocks` order
inline constexpr size_t kFirstCheckBlocks = 12;  // blocks summed before the first comparison

using CappedKernelU8 = uint32_t (*)(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,
                                    uint32_t cap);
// The same for `count` rows at once (row i at rows + i·stride, (n) values each):
// out[i] = min(distance(a, row i), cap). One call per run of rows keeps a's first blocks in
// registers, sums the first 12 blocks of four rows at a time without a branch, and only the
// rows still below cap go on. out: (count).
using CappedRowsKernelU8 = void (*)(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,
                                    std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out);

#define IMPLAY_DECLARE_CAPPED_KERNELS                                                                                  \
  uint32_t l1_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks, uint32_t cap); \
  uint32_t squared_l2_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,        \
                                uint32_t cap);                                                                         \
  uint32_t linf_u8_capped(const uint8_t* a, const uint8_t* b, size_t n, std::span<const uint32_t> blocks,              \
                          uint32_t cap);                                                                               \
  void l1_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,                 \
                         std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out);                               \
  void squared_l2_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,         \
                                 std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out);                       \
  void linf_u8_capped_rows(const uint8_t* a, const uint8_t* rows, size_t stride, size_t count, size_t n,               \
                           std::span<const uint32_t> blocks, uint32_t cap, uint32_t* out);

namespace portable {
IMPLAY_DECLARE_CAPPED_KERNELS
}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
IMPLAY_DECLARE_CAPPED_KERNELS
}  // namespace wasm_simd
#endif

#if IMPLAY_X86_DISPATCH
// Explicit intrinsics; call them only when supported() (the dispatch below does).
namespace x86_avx2 {
inline bool supported() { return cpu_has_avx2(); }  // this CPU (and OS) runs AVX2
IMPLAY_DECLARE_CAPPED_KERNELS
}  // namespace x86_avx2
namespace x86_avx512 {
inline bool supported() { return cpu_has_avx512bw(); }  // ...AVX-512F and AVX-512BW
IMPLAY_DECLARE_CAPPED_KERNELS
}  // namespace x86_avx512
#endif

// The dispatching capped kernels (wasm_simd, x86_avx512, x86_avx2 or portable).
IMPLAY_DECLARE_CAPPED_KERNELS
#undef IMPLAY_DECLARE_CAPPED_KERNELS

// The dispatching capped kernels of L1, L2 or L∞ as plain function pointers, resolved once, for
// hot loops; nullptr for cosine, which cannot abandon this way.
CappedKernelU8 capped_kernel_u8(Metric metric);
CappedRowsKernelU8 capped_rows_kernel_u8(Metric metric);

// Which integer kernels the dispatch runs on this machine: "wasm simd128", "x86 avx512bw",
// "x86 avx2" or "portable" (for benchmarks, tests and `--version`). The choice is
// active_kernel_set() of target.hpp, whose active_kernels() names it for people.
const char* integer_kernels_name();

}  // namespace implay
