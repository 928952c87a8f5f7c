// test_target.cpp — core/target.hpp: the compile-time facts agree with each other, every kernel
// set has its name, and active_kernels() names the set the k-NN dispatch really picked (natively
// the CPUID choice, in the wasm build WebAssembly SIMD128).
#include <doctest/doctest.h>

#include <string>

#include "core/knn/distance.hpp"
#include "core/target.hpp"

using namespace implay;

TEST_CASE("the target facts are consistent") {
  CHECK_FALSE((kTargetWasm && kTargetX86_64));
  if (kWasmSimd) CHECK(kTargetWasm);
  if (kX86Dispatch) CHECK(kTargetX86_64);
  if (kTargetX86_64) CHECK(kSse2);  // SSE2 is baseline on x86-64
  if (!kX86Dispatch) {
    CHECK_FALSE(cpu_has_avx2());
    CHECK_FALSE(cpu_has_avx512bw());
  }
}

TEST_CASE("kernel_set_name names every set") {
  CHECK(std::string(kernel_set_name(KernelSet::WasmSimd128)) == "WebAssembly SIMD128");
  CHECK(std::string(kernel_set_name(KernelSet::Avx512)) == "AVX-512");
  CHECK(std::string(kernel_set_name(KernelSet::Avx2)) == "AVX2");
  CHECK(std::string(kernel_set_name(KernelSet::Sse2)) == "SSE2 (portable)");
  CHECK(std::string(kernel_set_name(KernelSet::Portable)) == "portable");
}

TEST_CASE("active_kernels() names the kernels the k-NN dispatch runs") {
  const KernelSet set = active_kernel_set();
  CHECK(active_kernels() == kernel_set_name(set));
  const std::string dispatched = integer_kernels_name();
  switch (set) {
    case KernelSet::WasmSimd128: CHECK(dispatched == "wasm simd128"); break;
    case KernelSet::Avx512: CHECK(dispatched == "x86 avx512bw"); break;
    case KernelSet::Avx2: CHECK(dispatched == "x86 avx2"); break;
    case KernelSet::Sse2:
    case KernelSet::Portable: CHECK(dispatched == "portable"); break;
  }
  if (kWasmSimd) CHECK(set == KernelSet::WasmSimd128);
  if (set == KernelSet::Avx512) CHECK(cpu_has_avx512bw());
  if (set == KernelSet::Avx2) CHECK((cpu_has_avx2() && !cpu_has_avx512bw()));
}
