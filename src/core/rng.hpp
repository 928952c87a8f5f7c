// rng.hpp — the one small seeded random generator of the core (SplitMix64), so that native,
// WASM and tests produce identical runs for the same seed. std::mt19937 would do too, but the
// standard distributions are not specified bit-for-bit across standard libraries.
#pragma once
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

namespace implay {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_(seed) {}

  uint64_t next_u64() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift, bias below 2^-32 for n < 2^32.
  uint64_t below(uint64_t n) { return uint64_t((__uint128_t(next_u64()) * n) >> 64); }
  // Standard normal by Box–Muller (one value per call; simple beats fast here).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Fisher–Yates shuffle.
  template <class T>
  void shuffle(std::span<T> values) {
    for (size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[below(i)]);
  }

 private:
  uint64_t state_;
};

}  // namespace implay
