// simd.hpp — whether this build has explicit WebAssembly SIMD kernels. The kernels themselves
// live in distance.cpp (distances, with AVX2/AVX-512 natively) and train_kernels.cpp (training
// loops, NADE's ReLU layer with SSE2 natively), each next to its portable fallback.
#pragma once

#if defined(__wasm_simd128__)
#define IMPLAY_WASM_SIMD 1
#else
#define IMPLAY_WASM_SIMD 0
#endif

namespace implay {

// True when the dispatching kernels use wasm_simd128.h; false natively, where the portable loops
// (auto-vectorized for the host) and the x86 paths named in those files run.
inline constexpr bool kWasmSimd = IMPLAY_WASM_SIMD != 0;

// "wasm simd128" or "portable", for the status bar and `implay --version`.
inline const char* simd_backend_name() { return kWasmSimd ? "wasm simd128" : "portable"; }

}  // namespace implay
