// test_chain_tables.cpp — count tables for the Sketch lab's aggregation tree: a 2×2 patch
// counted by hand on four images (the chain rule's product equals count/N), and the template
// tree equal to the k-neighbour count model without smoothing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/pixel/chain_tables.hpp"
#include "pixel_test_data.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::contains;
using implay::testing::error_of;
using implay::testing::four_images;

}  // namespace

TEST_CASE("patch table on four 2x2 images: counts, conditionals and the chain rule by hand") {
  const CountTable t = patch_count_table(four_images(), 0, 0);
  REQUIRE(t.variables.size() == 4);
  CHECK(t.total() == 4);
  CHECK(t.counts[0b1100] == 1);  // A
  CHECK(t.counts[0b1010] == 1);  // B
  CHECK(t.counts[0b0000] == 1);  // C
  CHECK(t.counts[0b1111] == 1);  // D
  // p(x1 = 1) = 3/4; p(x2 = 1 | x1 = 1) = 2/3 (A, D of A, B, D); p(x3 = 1 | x1 = 1, x2 = 1) = 1/2.
  CHECK(probability(t, {1, kAny, kAny, kAny}).text() == "3/4");
  CHECK(conditional(t, {1, 1, kAny, kAny}, {1, kAny, kAny, kAny}).text() == "2/3");
  CHECK(conditional(t, {1, 1, 1, kAny}, {1, 1, kAny, kAny}).text() == "1/2");
  const ChainRule d = chain_rule(t, {1, 1, 1, 1});
  CHECK(d.product == doctest::Approx(0.25));  // 3/4 · 2/3 · 1/2 · 1/1
  CHECK(d.joint.text() == "1/4");
  CHECK(d.factors[3].p.text() == "1/1");
}

TEST_CASE("patch table: position and errors") {
  BinaryImages s;
  s.count = 2;
  s.rows = 3;
  s.cols = 3;
  s.pixels = {0, 0, 0, 0, 1, 1, 0, 1, 0, /**/ 0, 0, 0, 0, 0, 1, 0, 1, 1};
  const CountTable t = patch_count_table(s, 1, 1);
  CHECK(t.counts[0b1110] == 1);
  CHECK(t.counts[0b0111] == 1);
  CHECK(contains(error_of([&] { patch_count_table(s, 2, 0); }), "(2, 0) does not fit in 3x3"));
  BinaryImages none = s;
  none.count = 0;
  none.pixels.clear();
  CHECK(contains(error_of([&] { patch_count_table(none, 0, 0); }), "empty set"));
}

TEST_CASE("template table equals the count model without smoothing") {
  const BinaryImages s = four_images();
  const ContextModel model(s, ContextOptions{2, 1.0f, false});
  // K = 1 (W): context 0 seen 11 times with 5 ones, context 1 five times with 3 ones (the
  // hand count of test_pixel_model.cpp, before Laplace's +1/+2).
  const CountTable t1 = template_count_table(model, 1);
  CHECK(t1.variables[0].name == "W");
  CHECK(t1.variables[1].name == "x");
  CHECK(t1.total() == 16);
  CHECK(conditional(t1, {0, 1}, {0, kAny}).text() == "5/11");
  CHECK(conditional(t1, {1, 1}, {1, kAny}).text() == "3/5");
  // K = 2: the last level's conditionals are the K = 2 model's with α = 0.
  const ContextModel raw(s, ContextOptions{2, 0.0f, false});
  const CountTable t2 = template_count_table(model, 2);
  for (int w = 0; w < 2; ++w)
    for (int n = 0; n < 2; ++n) {
      const Fraction f = conditional(t2, {w, n, 1}, {w, n, kAny});
      const int c = w + 2 * n;
      CHECK(f.numerator == model.count_ones(0, c));
      CHECK(f.denominator == model.count_total(0, c));
      if (f.denominator) {
        std::vector<uint8_t> img(4, 0);  // pixel 3 (bottom right): W = pixel 2, N = pixel 1
        img[2] = uint8_t(w), img[1] = uint8_t(n);
        CHECK(raw.probability(img, 3) == doctest::Approx(f.value()));
      }
    }
  CHECK(contains(error_of([&] { template_count_table(model, 3); }), "allows 1..2"));
}
