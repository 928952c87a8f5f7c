// test_train_kernels.cpp — the training kernels of core/pixel/train_kernels.hpp: hand-summed cases,
// and portable == dispatching bit for bit (the wasm_simd128 path in the wasm build, where this
// suite also runs) over many widths, counts and negative offsets, for the row sums; for
// NADE's ReLU kernels every compiled-in path (portable, wasm_simd or sse2, dispatch) against the
// documented order, on lengths 0..70 and larger, with negatives, ±0 and NaN in the inputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/pixel/train_kernels.hpp"
#include "core/rng.hpp"

namespace {

using namespace implay;

std::vector<float> random_floats(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = float(rng.normal());
  return v;
}

// The float bit patterns: == would let −0 pass for +0 (and fail NaN for NaN). (memcpy, as
// emscripten 3.1's libc++ has no std::bit_cast.)
uint32_t bits(float x) {
  uint32_t out;
  std::memcpy(&out, &x, sizeof out);
  return out;
}
std::vector<uint32_t> bits(const std::vector<float>& v) {
  std::vector<uint32_t> out(v.size());
  for (size_t k = 0; k < v.size(); ++k) out[k] = bits(v[k]);
  return out;
}

// Normal values (half negative) with exact zeros, −0s and, if with_nan, NaNs mixed in.
std::vector<float> relu_inputs(size_t n, uint64_t seed, bool with_nan) {
  std::vector<float> v = random_floats(n, seed);
  for (size_t k = 0; k < n; ++k) {
    if (k % 5 == 2) v[k] = 0.0f;
    if (k % 7 == 3) v[k] = -0.0f;
    if (with_nan && k % 11 == 6) v[k] = std::numeric_limits<float>::quiet_NaN();
  }
  return v;
}

// Every compiled-in path of the ReLU kernels: the portable loop, the SIMD version this build
// has (wasm_simd in wasm, sse2 natively on x86) and the dispatching kernel.
struct ReluPath {
  const char* name;
  float (*dot)(const float* a, const float* v, size_t n);
  void (*backward)(const float* a, const float* v, float g, float* dv, float* s, size_t n);
};

const ReluPath kReluPaths[] = {
    {"portable", portable::relu_dot_f32, portable::relu_backward_f32},
#if IMPLAY_WASM_SIMD
    {"wasm_simd", wasm_simd::relu_dot_f32, wasm_simd::relu_backward_f32},
#endif
#if IMPLAY_SSE2
    {"sse2", sse2::relu_dot_f32, sse2::relu_backward_f32},
#endif
    {"dispatch", relu_dot_f32, relu_backward_f32},
};

float relu_ref(float x) { return x > 0 ? x : 0.0f; }  // +0 for −0 and NaN, as documented

// relu_dot_f32 in the header's order, written out: 8 partial sums over the blocks of 8 and the
// one block of 4, combined pairwise and then in a row, then the tail one by one.
float relu_dot_documented_order(const std::vector<float>& a, const std::vector<float>& v) {
  const size_t n = a.size(), blocked = n / 8 * 8 + (n % 8 >= 4 ? 4 : 0);
  float p[8] = {};
  for (size_t k = 0; k < blocked; ++k) p[k % 8] += v[k] * relu_ref(a[k]);
  const float q0 = p[0] + p[4], q1 = p[1] + p[5], q2 = p[2] + p[6], q3 = p[3] + p[7];
  float sum = ((q0 + q1) + q2) + q3;
  for (size_t k = blocked; k < n; ++k) sum += v[k] * relu_ref(a[k]);
  return sum;
}

// Lengths 0..70 (every tail of 8 and 4) and some larger ones, H of NADE among them.
std::vector<size_t> relu_lengths() {
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 70; ++n) lengths.push_back(n);
  for (size_t n : {99, 100, 101, 127, 128, 129, 255, 256, 257, 500, 783, 784, 1001, 4099}) lengths.push_back(n);
  return lengths;
}

}  // namespace

TEST_CASE("add_rows_f32 adds the selected rows to acc (hand-summed)") {
  // base: 3 rows of 5 values 1..15; offsets pick rows 2 and 0, shifted by one column.
  std::vector<float> base(15);
  for (int k = 0; k < 15; ++k) base[size_t(k)] = float(k + 1);
  const std::vector<int32_t> offsets = {10 + 1, 0 + 1};
  std::vector<float> acc = {100, 200, 300, 400};
  add_rows_f32(base.data(), offsets.data(), offsets.size(), 4, acc.data());
  CHECK(acc == std::vector<float>{100 + 12 + 2, 200 + 13 + 3, 300 + 14 + 4, 400 + 15 + 5});
  add_rows_f32(base.data(), offsets.data(), 0, 4, acc.data());  // no rows: unchanged
  CHECK(acc[0] == 114);
}

TEST_CASE("add_rows_f32: the dispatching kernel equals the portable loop bit for bit") {
  const std::vector<float> base = random_floats(4000, 3);
  Rng rng(4);
  for (size_t width : {0, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 48, 64, 70}) {
    for (size_t count : {0, 1, 2, 7, 40}) {
      std::vector<int32_t> offsets(count);
      // offsets relative to the middle of base, some negative (FVSBN column bases are)
      for (auto& o : offsets) o = int32_t(rng.below(3000)) - 1500;
      std::vector<float> acc = random_floats(width, 5 + width), ref = acc;
      add_rows_f32(base.data() + 2000, offsets.data(), count, width, acc.data());
      portable::add_rows_f32(base.data() + 2000, offsets.data(), count, width, ref.data());
      CAPTURE(width);
      CAPTURE(count);
      CHECK(acc == ref);
      // and the plain sum in the documented order
      for (size_t c = 0; c < width; ++c) {
        float expected = random_floats(width, 5 + width)[c];
        for (size_t k = 0; k < count; ++k) expected += base[size_t(2000 + offsets[k]) + c];
        CHECK(acc[c] == expected);
      }
    }
  }
}

TEST_CASE("relu_dot_f32 and relu_backward_f32 on a hand-computed case (every path)") {
  // relu(a) = {1, 0, 0, 3, 0, 0.5}; a has −0 at k = 4
  const std::vector<float> a = {1, -2, 0, 3, -0.0f, 0.5f}, v = {2, 5, 7, 1, 4, 2};
  for (const ReluPath& path : kReluPaths) {
    CAPTURE(path.name);
    CHECK(path.dot(a.data(), v.data(), a.size()) == 2 * 1 + 3 * 1 + 0.5f * 2);
    CHECK(path.dot(a.data(), v.data(), 0) == 0.0f);
    std::vector<float> dv = {10, 10, 10, 10, 10, 10}, s = {-1, -1, -1, -1, -1, -1};
    path.backward(a.data(), v.data(), 2.0f, dv.data(), s.data(), a.size());
    CHECK(dv == std::vector<float>{10 + 2, 10, 10, 10 + 6, 10, 10 + 1});  // dv += g relu(a)
    CHECK(s == std::vector<float>{-1 + 4, -1, -1, -1 + 2, -1, -1 + 4});   // s += g v where a > 0
  }
}

TEST_CASE("relu_dot_f32 and relu_backward_f32 on small integers: every path equals the plain loop exactly") {
  // Every product and partial sum is an integer below 2^24, so any order gives the same float.
  Rng rng(60);
  for (size_t n : relu_lengths()) {
    std::vector<float> a(n), v(n), dv(n), s(n);
    for (size_t k = 0; k < n; ++k) {
      a[k] = float(int(rng.below(7)) - 3);
      v[k] = float(int(rng.below(9)) - 4);
      dv[k] = float(int(rng.below(21)) - 10);
      s[k] = float(int(rng.below(21)) - 10);
    }
    float dot = 0;
    std::vector<float> dv_ref = dv, s_ref = s;
    for (size_t k = 0; k < n; ++k) {
      dot += v[k] * std::max(a[k], 0.0f);
      dv_ref[k] += 3 * std::max(a[k], 0.0f);
      s_ref[k] += a[k] > 0 ? 3 * v[k] : 0;
    }
    for (const ReluPath& path : kReluPaths) {
      CAPTURE(path.name);
      CAPTURE(n);
      CHECK(path.dot(a.data(), v.data(), n) == dot);
      std::vector<float> dv_out = dv, s_out = s;
      path.backward(a.data(), v.data(), 3.0f, dv_out.data(), s_out.data(), n);
      CHECK(dv_out == dv_ref);
      CHECK(s_out == s_ref);
    }
  }
}

TEST_CASE("relu_dot_f32: every path sums in the documented order, bit for bit, and close to the exact sum") {
  for (size_t n : relu_lengths()) {
    for (bool with_nan : {false, true}) {
      // one element past the start, so the SIMD loads are unaligned
      std::vector<float> a_buf = relu_inputs(n + 1, 100 + n, with_nan), v_buf = random_floats(n + 1, 200 + n);
      const std::vector<float> a(a_buf.begin() + 1, a_buf.end()), v(v_buf.begin() + 1, v_buf.end());
      const float expected = relu_dot_documented_order(a, v);
      double exact = 0, magnitude = 0;
      for (size_t k = 0; k < n; ++k) {
        exact += double(v[k]) * relu_ref(a[k]);
        magnitude += std::fabs(double(v[k]) * relu_ref(a[k]));
      }
      CAPTURE(n);
      CAPTURE(with_nan);
      CHECK(std::fabs(expected - exact) <= double(n) * std::numeric_limits<float>::epsilon() * magnitude);  // γₙ bound
      for (const ReluPath& path : kReluPaths) {
        CAPTURE(path.name);
        const float got = path.dot(a_buf.data() + 1, v_buf.data() + 1, n);
        CHECK(bits(got) == bits(expected));
        CHECK(bits(got) == bits(portable::relu_dot_f32(a.data(), v.data(), n)));
      }
    }
  }
}

TEST_CASE("relu_backward_f32: every path equals the elementwise formula bit for bit (±0 and NaN included)") {
  for (size_t n : relu_lengths()) {
    for (bool with_nan : {false, true}) {
      const std::vector<float> a = relu_inputs(n, 300 + n, with_nan), v = random_floats(n, 400 + n);
      const std::vector<float> dv0 = relu_inputs(n, 500 + n, false), s0 = relu_inputs(n, 600 + n, false);
      for (float g : {0.37f, -1.5f, 0.0f}) {
        std::vector<float> dv_ref = dv0, s_ref = s0;
        for (size_t k = 0; k < n; ++k) {
          dv_ref[k] += g * relu_ref(a[k]);
          s_ref[k] += a[k] > 0 ? g * v[k] : 0.0f;  // +0 added where a ≤ 0: −0 becomes +0
        }
        std::vector<float> dv_portable = dv0, s_portable = s0;
        portable::relu_backward_f32(a.data(), v.data(), g, dv_portable.data(), s_portable.data(), n);
        for (const ReluPath& path : kReluPaths) {
          CAPTURE(path.name);
          CAPTURE(n);
          CAPTURE(with_nan);
          CAPTURE(g);
          std::vector<float> dv = dv0, s = s0;
          path.backward(a.data(), v.data(), g, dv.data(), s.data(), n);
          CHECK(bits(dv) == bits(dv_ref));
          CHECK(bits(s) == bits(s_ref));
          CHECK(bits(dv) == bits(dv_portable));
          CHECK(bits(s) == bits(s_portable));
        }
      }
    }
  }
}
