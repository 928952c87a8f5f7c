// test_train_kernels.cpp — the training kernels of core/train_kernels.hpp: a hand-summed case,
// and portable == dispatching bit for bit (the wasm_simd128 path in the wasm build, where this
// suite also runs) over many widths, counts and negative offsets, for the row sums and Adam.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "core/train_kernels.hpp"

namespace {

using namespace implay;

std::vector<float> random_floats(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = float(rng.normal());
  return v;
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

TEST_CASE("adam_step_f32: the dispatching kernel equals the portable loop bit for bit, and the formula") {
  for (size_t n : {0, 1, 3, 4, 5, 17, 1001}) {
    const std::vector<float> grad = random_floats(n, 10 + n);
    std::vector<float> params = random_floats(n, 20 + n), m = random_floats(n, 30 + n), v = random_floats(n, 40 + n);
    for (auto& x : v) x = x * x;  // second moments are ≥ 0
    std::vector<float> params_ref = params, m_ref = m, v_ref = v, params0 = params, m0 = m, v0 = v;
    const AdamStep step{0.02f, 0.9f, 0.999f, 1 - 0.9f * 0.9f, 1 - 0.999f * 0.999f, 1e-8f};
    adam_step_f32(params.data(), grad.data(), m.data(), v.data(), n, step);
    portable::adam_step_f32(params_ref.data(), grad.data(), m_ref.data(), v_ref.data(), n, step);
    CAPTURE(n);
    CHECK(params == params_ref);
    CHECK(m == m_ref);
    CHECK(v == v_ref);
    for (size_t i = 0; i < n; ++i) {
      const double mi = 0.9 * m0[i] + 0.1 * grad[i], vi = 0.999 * v0[i] + 0.001 * double(grad[i]) * grad[i];
      const double expected = params0[i] - 0.02 * (mi / step.correction1) / (std::sqrt(vi / step.correction2) + 1e-8);
      CHECK(m[i] == doctest::Approx(mi).epsilon(1e-5));
      CHECK(v[i] == doctest::Approx(vi).epsilon(1e-5));
      CHECK(params[i] == doctest::Approx(expected).epsilon(1e-5));
    }
  }
}
