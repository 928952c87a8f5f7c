// target.cpp — the run-time half of target.hpp: which x86 extensions this CPU has, and so which
// kernels the dispatching functions run. distance.cpp picks its k-NN kernels from the same answer.
#include "core/target.hpp"

namespace implay {

bool cpu_has_avx2() {
#if IMPLAY_X86_DISPATCH
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

bool cpu_has_avx512bw() {
#if IMPLAY_X86_DISPATCH
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
#else
  return false;
#endif
}

KernelSet active_kernel_set() {
  if constexpr (kWasmSimd) return KernelSet::WasmSimd128;
  if (cpu_has_avx512bw()) return KernelSet::Avx512;
  if (cpu_has_avx2()) return KernelSet::Avx2;
  return kSse2 ? KernelSet::Sse2 : KernelSet::Portable;
}

const char* kernel_set_name(KernelSet set) {
  switch (set) {
    case KernelSet::WasmSimd128: return "WebAssembly SIMD128";
    case KernelSet::Avx512: return "AVX-512";
    case KernelSet::Avx2: return "AVX2";
    case KernelSet::Sse2: return "SSE2 (portable)";
    case KernelSet::Portable: return "portable";
  }
  return "portable";
}

std::string active_kernels() { return kernel_set_name(active_kernel_set()); }

}  // namespace implay
