// target.hpp — what this build targets and which kernels run: the one place in core that reads
// the compiler's target macros (__wasm__, __wasm_simd128__, __x86_64__, __SSE2__). Code asks the
// constexpr facts below; the IMPLAY_* macros are for where only the preprocessor will do (an
// intrinsics #include, code naming SIMD types). The kernels: knn/distance*.cpp,
// pixel/train_kernels.cpp, optim/optimizer.cpp; target.cpp makes the run-time choice.
#pragma once
#include <string>

#if defined(__wasm__)
#define IMPLAY_TARGET_WASM 1
#else
#define IMPLAY_TARGET_WASM 0
#endif

#if defined(__wasm_simd128__)
#define IMPLAY_WASM_SIMD 1
#else
#define IMPLAY_WASM_SIMD 0
#endif

#if defined(__x86_64__) || defined(_M_X64)
#define IMPLAY_TARGET_X86_64 1
#else
#define IMPLAY_TARGET_X86_64 0
#endif

#if defined(__SSE2__)
#define IMPLAY_SSE2 1
#else
#define IMPLAY_SSE2 0
#endif

// Native x86-64 builds with GCC or clang carry AVX2 and AVX-512 kernels (per-function target
// attributes, so the binary still runs on any x86-64) and pick one at run time by CPUID.
#if IMPLAY_TARGET_X86_64 && defined(__GNUC__)
#define IMPLAY_X86_DISPATCH 1
#else
#define IMPLAY_X86_DISPATCH 0
#endif

namespace implay {

inline constexpr bool kTargetWasm = IMPLAY_TARGET_WASM != 0;      // compiled to WebAssembly
inline constexpr bool kWasmSimd = IMPLAY_WASM_SIMD != 0;          // ...with -msimd128: wasm_simd128.h kernels
inline constexpr bool kTargetX86_64 = IMPLAY_TARGET_X86_64 != 0;  // native x86-64
inline constexpr bool kSse2 = IMPLAY_SSE2 != 0;                   // SSE2 kernels (baseline on x86-64)
inline constexpr bool kX86Dispatch = IMPLAY_X86_DISPATCH != 0;    // AVX2 / AVX-512 chosen at run time

// The instruction sets the explicit kernels are written for, best first.
enum class KernelSet {
  WasmSimd128,  // every dispatching kernel is its wasm_simd128 version
  Avx512,       // k-NN's integer kernels in AVX-512F/BW, training's ReLU kernels in SSE2
  Avx2,         // k-NN's integer kernels in AVX2, training's ReLU kernels in SSE2
  Sse2,         // portable loops (compiled for the SSE2 baseline) and the SSE2 ReLU kernels
  Portable,     // portable loops only (wasm without SIMD, other CPUs)
};

// What the dispatching kernels run on this machine: fixed at compile time in wasm, decided once
// by CPUID natively on x86-64 (AVX-512F and BW, else AVX2, else the SSE2 baseline). The k-NN
// dispatch in distance.cpp follows this very answer.
KernelSet active_kernel_set();
// This CPU (and OS) runs AVX2 / AVX-512F with AVX-512BW; always false without IMPLAY_X86_DISPATCH.
bool cpu_has_avx2();
bool cpu_has_avx512bw();
// "WebAssembly SIMD128", "AVX-512", "AVX2", "SSE2 (portable)" or "portable".
const char* kernel_set_name(KernelSet set);
// The kernels running right now, as the status bar and the benchmarks name them:
// kernel_set_name(active_kernel_set()).
std::string active_kernels();

}  // namespace implay
