// test_distance.cpp — the distance kernels: uint8 kernels bit-for-bit against naive loops for
// lengths 0..100 and 784, float kernels within a tolerance, hand-computed examples, cosine edge
// cases, metric names, and portable == dispatching (which tests the SIMD path in wasm builds
// and the target_clones natively); the capped (early-abandoning) kernels equal min(kernel, cap)
// in every path this machine runs (portable, wasm_simd, x86 AVX2, x86 AVX-512, dispatch).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/knn/distance.hpp"
#include "core/rng.hpp"

namespace {

using namespace implay;

// Lengths that hit every tail size of a 16-byte (and 8-float) loop, plus an MNIST image.
std::vector<size_t> test_lengths() {
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 100; ++n) lengths.push_back(n);
  lengths.push_back(784);
  return lengths;
}

std::vector<uint8_t> random_bytes(Rng& rng, size_t n) {  // (n) uniform 0..255
  std::vector<uint8_t> v(n);
  for (uint8_t& x : v) x = uint8_t(rng.below(256));
  return v;
}

std::vector<float> random_floats(Rng& rng, size_t n) {  // (n) uniform in [−2, 2)
  std::vector<float> v(n);
  for (float& x : v) x = float(rng.uniform() * 4.0 - 2.0);
  return v;
}

// Naive references in 64-bit / double, written the obvious way.
uint64_t reference_l1(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += uint64_t(std::abs(int(a[i]) - int(b[i])));
  return s;
}
uint64_t reference_squared_l2(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += uint64_t((int(a[i]) - int(b[i])) * (int(a[i]) - int(b[i])));
  return s;
}
uint64_t reference_linf(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t m = 0;
  for (size_t i = 0; i < n; ++i) m = std::max<uint64_t>(m, uint64_t(std::abs(int(a[i]) - int(b[i]))));
  return m;
}
uint64_t reference_dot(const uint8_t* a, const uint8_t* b, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += uint64_t(a[i]) * b[i];
  return s;
}
double reference_cosine(const double dot, const double aa, const double bb) {
  return (aa == 0 || bb == 0) ? 1.0 : 1.0 - dot / std::sqrt(aa * bb);
}

struct FloatReference {  // double-precision Σ|d|, Σd², max|d|, a·b, and Σ of |terms| for tolerances
  double l1 = 0, l2 = 0, linf = 0, dot = 0, aa = 0, bb = 0, abs_dot = 0;
};
FloatReference reference_f32(const float* a, const float* b, size_t n) {
  FloatReference r;
  for (size_t i = 0; i < n; ++i) {
    const double d = double(a[i]) - double(b[i]);
    r.l1 += std::fabs(d);
    r.l2 += d * d;
    r.linf = std::max(r.linf, std::fabs(d));
    r.dot += double(a[i]) * b[i];
    r.abs_dot += std::fabs(double(a[i]) * b[i]);
    r.aa += double(a[i]) * a[i];
    r.bb += double(b[i]) * b[i];
  }
  return r;
}

// float sums of n terms: error ≲ n·ε·Σ|term|; a few ε of slack on top.
double tolerance(double sum_of_abs_terms, size_t n) { return 1e-6 + 4.0 * double(n + 1) * 1.2e-7 * sum_of_abs_terms; }

}  // namespace

TEST_CASE("uint8 kernels equal naive loops bit-for-bit for lengths 0..100 and 784") {
  Rng rng(42);
  for (size_t n : test_lengths()) {
    CAPTURE(n);
    // One spare byte so that odd offsets test unaligned loads too.
    std::vector<uint8_t> a = random_bytes(rng, n + 1), b = random_bytes(rng, n + 1);
    for (size_t offset : {size_t(0), size_t(1)}) {
      const uint8_t* x = a.data() + offset;
      const uint8_t* y = b.data() + (1 - offset);
      CHECK(l1_u8(x, y, n) == reference_l1(x, y, n));
      CHECK(squared_l2_u8(x, y, n) == reference_squared_l2(x, y, n));
      CHECK(linf_u8(x, y, n) == reference_linf(x, y, n));
      CHECK(dot_u8(x, y, n) == reference_dot(x, y, n));
      CHECK(squared_norm_u8(x, n) == reference_dot(x, x, n));
      const double cosine = reference_cosine(double(reference_dot(x, y, n)), double(reference_dot(x, x, n)),
                                             double(reference_dot(y, y, n)));
      CHECK(cosine_distance_u8(x, y, n) == float(cosine));
    }
  }
}

TEST_CASE("uint8 kernels stay exact at extreme values: 0 vs 255 everywhere, up to n = 66,051") {
  for (size_t n : {size_t(15), size_t(16), size_t(17), size_t(784), size_t(66051)}) {
    CAPTURE(n);
    std::vector<uint8_t> zeros(n, 0), full(n, 255);
    CHECK(l1_u8(zeros.data(), full.data(), n) == 255u * n);
    // 255² · 66,051 = 4,294,966,275 < 2³²
    CHECK(squared_l2_u8(zeros.data(), full.data(), n) == 65025u * n);
    CHECK(squared_l2_u8(full.data(), zeros.data(), n) == 65025u * n);
    CHECK(linf_u8(full.data(), zeros.data(), n) == 255u);
    CHECK(dot_u8(full.data(), full.data(), n) == 65025u * n);
  }
  // Past the limit the sums wrap modulo 2³², the same in every path.
  const size_t n = 70000;
  std::vector<uint8_t> zeros(n, 0), full(n, 255);
  CHECK(squared_l2_u8(zeros.data(), full.data(), n) == uint32_t(65025ull * n));
  CHECK(dot_u8(full.data(), full.data(), n) == uint32_t(65025ull * n));
}

TEST_CASE("float kernels match a double-precision reference within rounding tolerance") {
  Rng rng(7);
  for (size_t n : test_lengths()) {
    CAPTURE(n);
    std::vector<float> a = random_floats(rng, n), b = random_floats(rng, n);
    const FloatReference r = reference_f32(a.data(), b.data(), n);
    CHECK(std::fabs(l1_f32(a.data(), b.data(), n) - r.l1) <= tolerance(r.l1, n));
    CHECK(std::fabs(squared_l2_f32(a.data(), b.data(), n) - r.l2) <= tolerance(r.l2, n));
    CHECK(linf_f32(a.data(), b.data(), n) == doctest::Approx(r.linf).epsilon(1e-6));
    CHECK(std::fabs(dot_f32(a.data(), b.data(), n) - r.dot) <= tolerance(r.abs_dot, n));
    const double cosine = reference_cosine(r.dot, r.aa, r.bb);
    CHECK(std::fabs(cosine_distance_f32(a.data(), b.data(), n) - cosine) <=
          1e-5 + tolerance(r.abs_dot, n) / std::sqrt(std::max(r.aa * r.bb, 1e-30)));
  }
}

TEST_CASE("hand-computed example a = (1,2,3), b = (4,0,3): L1 5, squared L2 13, Linf 3, cosine") {
  const uint8_t a8[] = {1, 2, 3}, b8[] = {4, 0, 3};
  const float af[] = {1, 2, 3}, bf[] = {4, 0, 3};
  // cos = a·b / (‖a‖‖b‖) = 13 / √(14 · 25) = 13 / √350 ≈ 0.694879; distance ≈ 0.305121.
  const double cosine_distance = 1.0 - 13.0 / std::sqrt(350.0);
  CHECK(l1_u8(a8, b8, 3) == 5);
  CHECK(squared_l2_u8(a8, b8, 3) == 13);
  CHECK(linf_u8(a8, b8, 3) == 3);
  CHECK(dot_u8(a8, b8, 3) == 13);
  CHECK(cosine_distance_u8(a8, b8, 3) == doctest::Approx(cosine_distance).epsilon(1e-6));
  CHECK(l1_f32(af, bf, 3) == 5.0f);
  CHECK(squared_l2_f32(af, bf, 3) == 13.0f);
  CHECK(linf_f32(af, bf, 3) == 3.0f);
  CHECK(cosine_distance_f32(af, bf, 3) == doctest::Approx(cosine_distance).epsilon(1e-6));
  CHECK(distance_u8(Metric::L1, a8, b8, 3) == 5.0f);
  CHECK(distance_u8(Metric::L2, a8, b8, 3) == 13.0f);
  CHECK(distance_u8(Metric::Linf, a8, b8, 3) == 3.0f);
  CHECK(distance_u8(Metric::Cosine, a8, b8, 3) == doctest::Approx(cosine_distance).epsilon(1e-6));
  CHECK(distance_f32(Metric::L1, af, bf, 3) == 5.0f);
  CHECK(distance_f32(Metric::L2, af, bf, 3) == 13.0f);
  CHECK(distance_f32(Metric::Linf, af, bf, 3) == 3.0f);
  CHECK(distance_f32(Metric::Cosine, af, bf, 3) == doctest::Approx(cosine_distance).epsilon(1e-6));
}

TEST_CASE("cosine distance: parallel 0, orthogonal 1, opposite 2, zero vector 1") {
  // 20 values so that both the SIMD loop and the tail are used.
  std::vector<uint8_t> a(20), twice(20), even_only(20), odd_only(20), zeros(20, 0);
  for (int i = 0; i < 20; ++i) {
    a[size_t(i)] = uint8_t(i + 1);
    twice[size_t(i)] = uint8_t(2 * (i + 1));
    even_only[size_t(i)] = i % 2 == 0 ? uint8_t(i + 3) : 0;
    odd_only[size_t(i)] = i % 2 == 1 ? uint8_t(i + 3) : 0;
  }
  CHECK(cosine_distance_u8(a.data(), a.data(), 20) == 0.0f);
  CHECK(cosine_distance_u8(a.data(), twice.data(), 20) == 0.0f);
  CHECK(cosine_distance_u8(even_only.data(), odd_only.data(), 20) == 1.0f);
  CHECK(cosine_distance_u8(a.data(), zeros.data(), 20) == 1.0f);
  CHECK(cosine_distance_u8(zeros.data(), zeros.data(), 20) == 1.0f);

  std::vector<float> f(20), f_scaled(20), f_opposite(20), f_even(20), f_odd(20), f_zero(20, 0.0f);
  for (int i = 0; i < 20; ++i) {
    f[size_t(i)] = 0.25f * float(i) - 2.0f;
    f_scaled[size_t(i)] = 3.0f * f[size_t(i)];
    f_opposite[size_t(i)] = -f[size_t(i)];
    f_even[size_t(i)] = i % 2 == 0 ? 1.5f : 0.0f;
    f_odd[size_t(i)] = i % 2 == 1 ? -0.5f : 0.0f;
  }
  CHECK(cosine_distance_f32(f.data(), f_scaled.data(), 20) == doctest::Approx(0.0).epsilon(1e-6));
  CHECK(cosine_distance_f32(f.data(), f_opposite.data(), 20) == doctest::Approx(2.0).epsilon(1e-6));
  CHECK(cosine_distance_f32(f_even.data(), f_odd.data(), 20) == 1.0f);
  CHECK(cosine_distance_f32(f.data(), f_zero.data(), 20) == 1.0f);
}

TEST_CASE("a NaN in a float vector makes every float distance NaN, in the SIMD loop or the tail") {
  for (size_t nan_at : {size_t(2), size_t(18)}) {  // inside the 8-float blocks, then in the tail
    CAPTURE(nan_at);
    std::vector<float> a(19, 1.0f), b(19, 0.5f);
    a[nan_at] = std::nanf("");
    CHECK(std::isnan(l1_f32(a.data(), b.data(), 19)));
    CHECK(std::isnan(squared_l2_f32(a.data(), b.data(), 19)));
    CHECK(std::isnan(linf_f32(a.data(), b.data(), 19)));
    CHECK(std::isnan(linf_f32(b.data(), a.data(), 19)));
    CHECK(std::isnan(dot_f32(a.data(), b.data(), 19)));
  }
}

TEST_CASE("cosine with precomputed squared norms equals the one-pass kernel bit-for-bit") {
  Rng rng(11);
  for (size_t n : {size_t(0), size_t(5), size_t(16), size_t(33), size_t(784)}) {
    CAPTURE(n);
    std::vector<uint8_t> a = random_bytes(rng, n), b = random_bytes(rng, n);
    const uint32_t aa = squared_norm_u8(a.data(), n), bb = squared_norm_u8(b.data(), n);
    CHECK(cosine_distance_u8(a.data(), b.data(), n, aa, bb) == cosine_distance_u8(a.data(), b.data(), n));
  }
}

TEST_CASE("portable and dispatching kernels agree: integers exactly, floats within tolerance") {
  Rng rng(2024);
  for (size_t n : test_lengths()) {
    CAPTURE(n);
    std::vector<uint8_t> a = random_bytes(rng, n), b = random_bytes(rng, n);
    CHECK(portable::l1_u8(a.data(), b.data(), n) == l1_u8(a.data(), b.data(), n));
    CHECK(portable::squared_l2_u8(a.data(), b.data(), n) == squared_l2_u8(a.data(), b.data(), n));
    CHECK(portable::linf_u8(a.data(), b.data(), n) == linf_u8(a.data(), b.data(), n));
    CHECK(portable::dot_u8(a.data(), b.data(), n) == dot_u8(a.data(), b.data(), n));
    CHECK(portable::cosine_distance_u8(a.data(), b.data(), n) == cosine_distance_u8(a.data(), b.data(), n));

    std::vector<float> x = random_floats(rng, n), y = random_floats(rng, n);
    const FloatReference r = reference_f32(x.data(), y.data(), n);
    CHECK(std::fabs(portable::l1_f32(x.data(), y.data(), n) - l1_f32(x.data(), y.data(), n)) <= tolerance(r.l1, n));
    CHECK(std::fabs(portable::squared_l2_f32(x.data(), y.data(), n) - squared_l2_f32(x.data(), y.data(), n)) <=
          tolerance(r.l2, n));
    CHECK(portable::linf_f32(x.data(), y.data(), n) == linf_f32(x.data(), y.data(), n));
    CHECK(std::fabs(portable::dot_f32(x.data(), y.data(), n) - dot_f32(x.data(), y.data(), n)) <=
          tolerance(r.abs_dot, n));
    CHECK(std::fabs(portable::cosine_distance_f32(x.data(), y.data(), n) -
                    cosine_distance_f32(x.data(), y.data(), n)) <= 1e-5);
  }
}

#if IMPLAY_WASM_SIMD
TEST_CASE("wasm_simd integer kernels equal portable ones bit-for-bit (wasm SIMD build only)") {
  Rng rng(99);
  for (size_t n : test_lengths()) {
    CAPTURE(n);
    std::vector<uint8_t> a = random_bytes(rng, n), b = random_bytes(rng, n);
    CHECK(wasm_simd::l1_u8(a.data(), b.data(), n) == portable::l1_u8(a.data(), b.data(), n));
    CHECK(wasm_simd::squared_l2_u8(a.data(), b.data(), n) == portable::squared_l2_u8(a.data(), b.data(), n));
    CHECK(wasm_simd::linf_u8(a.data(), b.data(), n) == portable::linf_u8(a.data(), b.data(), n));
    CHECK(wasm_simd::dot_u8(a.data(), b.data(), n) == portable::dot_u8(a.data(), b.data(), n));
    CHECK(wasm_simd::cosine_distance_u8(a.data(), b.data(), n) == portable::cosine_distance_u8(a.data(), b.data(), n));
  }
}
#endif

TEST_CASE("metric names round-trip, L2 is the squared one, unknown names throw naming the value") {
  for (Metric m : {Metric::L1, Metric::L2, Metric::Linf, Metric::Cosine}) CHECK(parse_metric(metric_name(m)) == m);
  CHECK(std::string(metric_name(Metric::Linf)) == "linf");
  CHECK(metric_is_squared(Metric::L2));
  CHECK_FALSE(metric_is_squared(Metric::L1));
  CHECK_FALSE(metric_is_squared(Metric::Cosine));
  CHECK(metric_is_integer_u8(Metric::Linf));
  CHECK_FALSE(metric_is_integer_u8(Metric::Cosine));
  CHECK_THROWS_WITH_AS(parse_metric("euclidean"), "unknown metric \"euclidean\" (valid: l1, l2, linf, cosine)", Error);
  CHECK_THROWS_WITH_AS(parse_metric("L2"), doctest::Contains("\"L2\""), Error);
}

// ---------------------------------------------------------------------------------------------
// Capped (early-abandoning) kernels

namespace {

// One implementation of the six capped kernels.
struct CappedPath {
  const char* name;
  CappedKernelU8 l1, squared_l2, linf;
  CappedRowsKernelU8 l1_rows, squared_l2_rows, linf_rows;
};

// Every path this build and CPU can run: all must agree with the plain kernels bit-for-bit.
std::vector<CappedPath> capped_paths() {
  std::vector<CappedPath> paths = {
      {"portable", portable::l1_u8_capped, portable::squared_l2_u8_capped, portable::linf_u8_capped,
       portable::l1_u8_capped_rows, portable::squared_l2_u8_capped_rows, portable::linf_u8_capped_rows},
      {"dispatch", l1_u8_capped, squared_l2_u8_capped, linf_u8_capped, l1_u8_capped_rows, squared_l2_u8_capped_rows,
       linf_u8_capped_rows}};
#if IMPLAY_WASM_SIMD
  paths.push_back({"wasm_simd", wasm_simd::l1_u8_capped, wasm_simd::squared_l2_u8_capped, wasm_simd::linf_u8_capped,
                   wasm_simd::l1_u8_capped_rows, wasm_simd::squared_l2_u8_capped_rows, wasm_simd::linf_u8_capped_rows});
#endif
#if IMPLAY_X86_DISPATCH
  if (x86_avx2::supported())
    paths.push_back({"x86_avx2", x86_avx2::l1_u8_capped, x86_avx2::squared_l2_u8_capped, x86_avx2::linf_u8_capped,
                     x86_avx2::l1_u8_capped_rows, x86_avx2::squared_l2_u8_capped_rows, x86_avx2::linf_u8_capped_rows});
  if (x86_avx512::supported())
    paths.push_back({"x86_avx512", x86_avx512::l1_u8_capped, x86_avx512::squared_l2_u8_capped,
                     x86_avx512::linf_u8_capped, x86_avx512::l1_u8_capped_rows, x86_avx512::squared_l2_u8_capped_rows,
                     x86_avx512::linf_u8_capped_rows});
#endif
  return paths;
}

// Bytes that are 0 with probability 2/3, else uniform: like images, so partial sums stop at
// varied points; plus a few 255s so that sums reach their extremes.
std::vector<uint8_t> sparse_bytes(Rng& rng, size_t n) {
  std::vector<uint8_t> v(n);
  for (uint8_t& x : v) x = rng.below(3) != 0 ? 0 : rng.below(8) == 0 ? 255 : uint8_t(rng.below(256));
  return v;
}

// A random order of the n / 16 blocks.
std::vector<uint32_t> shuffled_blocks(Rng& rng, size_t n) {
  std::vector<uint32_t> order(n / kCappedBlock);
  std::iota(order.begin(), order.end(), 0u);
  rng.shuffle(std::span<uint32_t>(order));
  return order;
}

// Caps around a full value d: every side of "stop here", plus none and zero.
std::vector<uint32_t> caps_around(uint32_t d) {
  std::vector<uint32_t> caps = {0u, 1u, d / 3, d / 2, d, d + 1, std::numeric_limits<uint32_t>::max()};
  if (d > 0) caps.push_back(d - 1);
  return caps;
}

// Lengths for the capped kernels: short (portable fallback in every path), around the 192-byte
// prefix (12 blocks), odd tails, MNIST.
std::vector<size_t> capped_lengths() {
  return {0, 1, 15, 16, 17, 100, 176, 191, 192, 193, 200, 207, 208, 255, 256, 320, 400, 784, 785, 1000};
}

}  // namespace

TEST_CASE("capped kernels return min(distance, cap) in every path, for any block order and cap") {
  const std::vector<CappedPath> paths = capped_paths();
  for (const CappedPath& path : paths) {
    const std::string tested = std::string("capped kernels tested: ") + path.name;
    MESSAGE(tested);
  }
  Rng rng(314);
  for (size_t n : capped_lengths()) {
    for (int trial = 0; trial < 3; ++trial) {
      const std::vector<uint8_t> a = trial == 0 ? random_bytes(rng, n) : sparse_bytes(rng, n);
      const std::vector<uint8_t> b = trial == 0 ? random_bytes(rng, n) : sparse_bytes(rng, n);
      const uint32_t l1 = l1_u8(a.data(), b.data(), n);
      const uint32_t l2 = squared_l2_u8(a.data(), b.data(), n);
      const uint32_t linf = linf_u8(a.data(), b.data(), n);
      CHECK(l1 == reference_l1(a.data(), b.data(), n));
      CHECK(l2 == reference_squared_l2(a.data(), b.data(), n));
      const std::vector<uint32_t> natural, shuffled = shuffled_blocks(rng, n);
      for (const std::vector<uint32_t>* order : {&natural, &shuffled}) {
        for (const CappedPath& path : paths) {
          CAPTURE(path.name);
          CAPTURE(n);
          CAPTURE(order->size());
          for (uint32_t cap : caps_around(l1)) CHECK(path.l1(a.data(), b.data(), n, *order, cap) == std::min(l1, cap));
          for (uint32_t cap : caps_around(l2))
            CHECK(path.squared_l2(a.data(), b.data(), n, *order, cap) == std::min(l2, cap));
          for (uint32_t cap : caps_around(linf))
            CHECK(path.linf(a.data(), b.data(), n, *order, cap) == std::min(linf, cap));
        }
      }
    }
  }
}

TEST_CASE("capped rows kernels equal the one-pair kernel for every row, stride and row count") {
  const std::vector<CappedPath> paths = capped_paths();
  Rng rng(2718);
  for (size_t n : {size_t(20), size_t(192), size_t(200), size_t(784)}) {
    for (size_t count : {size_t(0), size_t(1), size_t(3), size_t(4), size_t(5), size_t(9), size_t(33)}) {
      const size_t stride = n + 7;  // rows need not be aligned or packed
      std::vector<uint8_t> rows = sparse_bytes(rng, count * stride + 1);
      const std::vector<uint8_t> a = sparse_bytes(rng, n);
      // A few rows equal to a (distance 0) and one far away, so caps fall inside the spread.
      if (count > 2) std::copy(a.begin(), a.end(), rows.begin() + std::ptrdiff_t(2 * stride));
      if (count > 4) std::fill_n(rows.begin() + std::ptrdiff_t(4 * stride), n, uint8_t(255));
      std::vector<uint32_t> l1(count), l2(count), linf(count);  // (count) full distances
      for (size_t i = 0; i < count; ++i) {
        l1[i] = l1_u8(a.data(), rows.data() + i * stride, n);
        l2[i] = squared_l2_u8(a.data(), rows.data() + i * stride, n);
        linf[i] = linf_u8(a.data(), rows.data() + i * stride, n);
      }
      const std::vector<uint32_t> natural, shuffled = shuffled_blocks(rng, n);
      std::vector<uint32_t> out(count + 1, 12345u);  // one spare slot must stay untouched
      for (const std::vector<uint32_t>* order : {&natural, &shuffled}) {
        for (const CappedPath& path : paths) {
          CAPTURE(path.name);
          CAPTURE(n);
          CAPTURE(count);
          const uint32_t median_l2 = count ? l2[count / 2] : 0;
          for (uint32_t cap : {0u, median_l2, median_l2 + 1, std::numeric_limits<uint32_t>::max()}) {
            path.squared_l2_rows(a.data(), rows.data(), stride, count, n, *order, cap, out.data());
            for (size_t i = 0; i < count; ++i) CHECK(out[i] == std::min(l2[i], cap));
            CHECK(out[count] == 12345u);
          }
          const uint32_t median_l1 = count ? l1[count / 2] : 0;
          for (uint32_t cap : {0u, median_l1, median_l1 + 1, std::numeric_limits<uint32_t>::max()}) {
            path.l1_rows(a.data(), rows.data(), stride, count, n, *order, cap, out.data());
            for (size_t i = 0; i < count; ++i) CHECK(out[i] == std::min(l1[i], cap));
          }
          for (uint32_t cap : {0u, 100u, 255u, 256u, std::numeric_limits<uint32_t>::max()}) {
            path.linf_rows(a.data(), rows.data(), stride, count, n, *order, cap, out.data());
            for (size_t i = 0; i < count; ++i) CHECK(out[i] == std::min(linf[i], cap));
          }
        }
      }
    }
  }
}

TEST_CASE("capped kernels past the uint32 limit equal min(wrapped kernel, cap): no early stop") {
  // n = 70,000 > 66,051: Σ (a − b)² of 0 against 255 wraps, so partial sums stop growing and
  // the capped kernels must not stop on them.
  const size_t n = 70000;
  std::vector<uint8_t> zeros(n, 0), full(n, 255);
  const uint32_t wrapped = uint32_t(65025ull * n);  // what squared_l2_u8 returns
  REQUIRE(squared_l2_u8(zeros.data(), full.data(), n) == wrapped);
  for (const CappedPath& path : capped_paths()) {
    CAPTURE(path.name);
    for (uint32_t cap : {wrapped, wrapped + 1, std::numeric_limits<uint32_t>::max(), 1000000u}) {
      CHECK(path.squared_l2(zeros.data(), full.data(), n, {}, cap) == std::min(wrapped, cap));
      uint32_t out = 0;
      path.squared_l2_rows(zeros.data(), full.data(), n, 1, n, {}, cap, &out);
      CHECK(out == std::min(wrapped, cap));
    }
    CHECK(path.l1(zeros.data(), full.data(), n, {}, 20000000u) == 255u * n);
  }
}

TEST_CASE("the kernels this machine runs are named, and SIMD where it should be") {
  const std::string name = integer_kernels_name();
  const std::string running = "integer kernels: " + name;
  MESSAGE(running);
  CHECK((name == "portable" || name == "wasm simd128" || name == "x86 avx2" || name == "x86 avx512bw"));
  if (kWasmSimd) CHECK(name == "wasm simd128");
#if IMPLAY_X86_DISPATCH
  if (x86_avx512::supported())
    CHECK(name == "x86 avx512bw");
  else if (x86_avx2::supported())
    CHECK(name == "x86 avx2");
#endif
  for (Metric m : {Metric::L1, Metric::L2, Metric::Linf}) {
    const bool has_kernels = capped_kernel_u8(m) != nullptr && capped_rows_kernel_u8(m) != nullptr;
    CHECK(has_kernels);
  }
  const bool cosine_has_none =
      capped_kernel_u8(Metric::Cosine) == nullptr && capped_rows_kernel_u8(Metric::Cosine) == nullptr;
  CHECK(cosine_has_none);
}
