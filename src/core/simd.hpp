// simd.hpp — whether this build has explicit WebAssembly SIMD kernels. The kernels themselves
// live in distance.cpp (distances), train_kernels.cpp (training loops) and pixel_model_nade.cpp
// (NADE's ReLU layer), each next to its portable fallback.
#pragma once

#if defined(__wasm_simd128__)
#define IMPLAY_WASM_SIMD 1
#else
#define IMPLAY_WASM_SIMD 0
#endif

namespace implay {

// True when the dispatching kernels use wasm_simd128.h; false for the portable loops (natively
// the compiler auto-vectorizes those for the host).
inline constexpr bool kWasmSimd = IMPLAY_WASM_SIMD != 0;

// "wasm simd128" or "portable", for the status bar and `implay --version`.
inline const char* simd_backend_name() { return kWasmSimd ? "wasm simd128" : "portable"; }

}  // namespace implay
