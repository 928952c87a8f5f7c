// train_kernels.hpp — the inner loops of training on binary images: sums of selected float rows
// (what a matrix product becomes when one factor is 0/1 and mostly 0, e.g. the FVSBN of
// pixel_model.hpp) and the Adam update. Same pattern as distance.hpp: a portable loop
// (implay::portable), an explicit wasm_simd128 version in wasm SIMD builds (implay::wasm_simd),
// and the un-namespaced names dispatch. Every path computes each lane in the same order, so all
// paths give bit-identical results (tests check this).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/simd.hpp"

namespace implay {

// One Adam step's constants: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
// θ ← θ − α (m / c₁) / (√(v / c₂) + ε) with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
struct AdamStep {
  float learning_rate = 1e-3f;  // α
  float beta1 = 0.9f;           // β₁
  float beta2 = 0.999f;         // β₂
  float correction1 = 1.0f;     // c₁ = 1 − β₁ᵗ
  float correction2 = 1.0f;     // c₂ = 1 − β₂ᵗ
  float epsilon = 1e-8f;        // ε
};

// Kernel conventions, shared by every namespace below:
//  - add_rows_f32: acc[c] += Σ_k base[offsets[k] + c] for c < width, the rows added in the
//    order k = 0, 1, ..., count − 1 to each lane (so equal to the plain loop bit for bit).
//    base: any float array, offsets: (count) element offsets, possibly negative, every
//    base[offsets[k] .. offsets[k] + width) inside it; acc: (width). Any width, any count.
//  - adam_step_f32: params, grad, m, v: (n), updated in place as in AdamStep.

namespace portable {
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);
}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);
}  // namespace wasm_simd
#endif

// The dispatching kernels: wasm_simd:: in wasm SIMD builds, portable:: otherwise (natively the
// compiler vectorizes those loops for the host baseline).
void add_rows_f32(const float* base, const int32_t* offsets, size_t count, size_t width, float* acc);
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);

}  // namespace implay
