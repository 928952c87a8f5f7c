// train_kernels.hpp — the inner loops of training on binary images: sums of selected float rows
// (what a matrix product becomes when one factor is 0/1 and mostly 0, e.g. the FVSBN of
// pixel_model.hpp) and NADE's ReLU layer (pixel_model_nade.cpp); Adam's update kernel is in
// optim/optimizer.hpp. Same pattern as distance.hpp: a portable loop (implay::portable), an
// explicit wasm_simd128 version in wasm SIMD builds (implay::wasm_simd), natively on x86 an SSE2
// version of the ReLU kernels (implay::sse2; SSE2 is baseline on x86-64, so no run-time check),
// and the un-namespaced names dispatch. Every path computes each lane in the same order, so all
// paths give bit-identical results (tests check this).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/target.hpp"

namespace implay {

// Kernel conventions, shared by every namespace below:
//  - add_rows_f32: acc[c] += Σ_k base[offsets[k] + c] for c < width, the rows added in the
//    order k = 0, 1, ..., count − 1 to each lane (so equal to the plain loop bit for bit).
//    base: any float array, offsets: (count) element offsets, possibly negative, every
//    base[offsets[k] .. offsets[k] + width) inside it; acc: (width). Any width, any count.
//  - relu(x) below is `x > 0 ? x : 0`: +0 for x ≤ 0 (−0 included) and for NaN, as wasm pmax and
//    SSE2 maxps give it (std::max(x, 0.0f) would return −0 and NaN), so every path agrees there too.
//  - relu_dot_f32: returns Σ_k v[k] relu(a[k]) (a hidden layer's ReLU applied on the fly in the
//    output layer's dot product). a, v: (n), any n. The order is fixed: 8 partial sums
//    p_j = Σ_{k ≡ j mod 8} over the blocks of 8, then one block of 4 (if n mod 8 ≥ 4) into
//    p_0..p_3, then q_j = p_j + p_{j+4}, sum = ((q_0 + q_1) + q_2) + q_3, then the last n mod 4
//    terms added one by one. Two 4-lane registers in SIMD; the portable loop keeps 8 floats.
//  - relu_backward_f32: dv[k] += g relu(a[k]) and s[k] += (a[k] > 0 ? g v[k] : +0) for k < n
//    (one image's ∂L/∂V_:i and its ∂L/∂a_i summed into s, for ∂L/∂logit = g). a, v, dv, s: (n),
//    any n; dv and s must not overlap a, v or each other. Elementwise, so every path is the
//    plain loop bit for bit (+0 is added, not skipped: s = −0 becomes +0 in every path).

namespace portable {
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
float relu_dot_f32(const float* a, const float* v, size_t n);
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n);
}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
float relu_dot_f32(const float* a, const float* v, size_t n);
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n);
}  // namespace wasm_simd
#endif

#if IMPLAY_SSE2
// Only the ReLU kernels. g++ 12 leaves the portable relu_backward scalar (it may not compute
// `g v` where a ≤ 0 under -ftrapping-math), 2x slower; it does vectorize the portable relu_dot's
// 8 independent sums, but the explicit version does not depend on the compiler seeing that.
namespace sse2 {
float relu_dot_f32(const float* a, const float* v, size_t n);
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n);
}  // namespace sse2
#endif

// The dispatching kernels: wasm_simd:: in wasm SIMD builds; otherwise the ReLU kernels are
// sse2:: where SSE2 is compiled in (every x86-64) and the rest portable:: (natively the compiler
// vectorizes those loops for the host baseline).
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
float relu_dot_f32(const float* a, const float* v, size_t n);
void relu_backward_f32(const float* a, const float* v, float g, float* dv, float* s, size_t n);

}  // namespace implay
