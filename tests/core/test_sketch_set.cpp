// test_sketch_set.cpp — the personal sketch set (core/pixel/sketch_set.hpp): append/remove, the IDX
// round trip (bytes a browser stores and a student downloads), rejected files keep their names
// in the message, and weighted counts equal counting the repeated union.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/data/idx.hpp"
#include "core/pixel/sketch_set.hpp"
#include "test_support.hpp"

namespace {

using namespace implay;
using implay::testing::contains;
using implay::testing::error_of;

std::vector<uint8_t> stroke(int column) {  // a vertical line in one column
  std::vector<uint8_t> s(784, 0);
  for (int r = 4; r < 24; ++r) s[size_t(r * 28 + column)] = 1;
  return s;
}

}  // namespace

TEST_CASE("sketch set: append, remove, IDX round trip") {
  BinaryImages set = empty_sketch_set();
  append_sketch(set, stroke(10));
  append_sketch(set, stroke(14));
  append_sketch(set, stroke(18));
  remove_sketch(set, 1);
  REQUIRE(set.count == 2);
  CHECK(std::vector<uint8_t>(set.image(1).begin(), set.image(1).end()) == stroke(18));
  const std::vector<uint8_t> bytes = sketch_set_to_idx(set);
  REQUIRE(bytes.size() == 16 + 2 * 784);
  CHECK(bytes[3] == 3);                           // three dimensions
  CHECK(bytes[16 + 4 * 28 + 10] == 255);          // ink is 255 as in MNIST
  const IdxArray a = parse_idx_u8(bytes, "set");  // a standard IDX images file
  CHECK(a.dims == std::vector<int>{2, 28, 28});
  const BinaryImages back = sketch_set_from_idx(bytes, "set");
  CHECK(back.count == 2);
  CHECK(back.pixels == set.pixels);
  CHECK(sketch_set_from_idx(sketch_set_to_idx(empty_sketch_set()), "empty").count == 0);
}

TEST_CASE("find_sketch finds a sketch already kept, pixel for pixel, and nothing else") {
  BinaryImages set = empty_sketch_set();
  CHECK(find_sketch(set, stroke(10)) == -1);
  append_sketch(set, stroke(10));
  append_sketch(set, stroke(14));
  CHECK(find_sketch(set, stroke(10)) == 0);
  CHECK(find_sketch(set, stroke(14)) == 1);
  CHECK(find_sketch(set, stroke(18)) == -1);
  std::vector<uint8_t> almost = stroke(14);
  almost[0] = 1;  // one pixel more is another sketch
  CHECK(find_sketch(set, almost) == -1);
  CHECK(find_sketch(set, std::vector<uint8_t>(10, 0)) == -1);  // another size is never in the set
}

TEST_CASE("sketch set: bad sketches and files are refused by name") {
  BinaryImages set = empty_sketch_set();
  CHECK(contains(error_of([&] { append_sketch(set, std::vector<uint8_t>(100, 0)); }), "784 pixels, not 100"));
  CHECK(contains(error_of([&] { append_sketch(set, std::vector<uint8_t>(784, 255)); }), "0/1"));
  CHECK(contains(error_of([&] { remove_sketch(set, 0); }), "no sketch 0 in a set of 0"));
  append_sketch(set, stroke(3));
  std::vector<uint8_t> bytes = sketch_set_to_idx(set);
  bytes.pop_back();
  CHECK(contains(error_of([&] { sketch_set_from_idx(bytes, "my.idx"); }), "my.idx: truncated data"));
  const std::string text = "not an idx file";
  CHECK(contains(error_of([&] {
                   sketch_set_from_idx({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, "notes.txt");
                 }),
                 "notes.txt: wrong magic number"));
  IdxArray labels;
  labels.dims = {3};
  labels.data = {1, 2, 3};
  CHECK(contains(error_of([&] { sketch_set_from_idx(serialize_idx_u8(labels), "labels.idx"); }),
                 "labels.idx: holds an array of 3;"));
  IdxArray small;
  small.dims = {1, 8, 8};
  small.data.assign(64, 0);
  CHECK(contains(error_of([&] { sketch_set_from_idx(serialize_idx_u8(small), "s.idx"); }), "1×8×8"));
  IdxArray many;
  many.dims = {kMaxSketches + 1, 28, 28};
  many.data.assign(size_t(kMaxSketches + 1) * 784, 0);
  CHECK(contains(error_of([&] { sketch_set_from_idx(serialize_idx_u8(many), "big.idx"); }), "2001 images"));
}

TEST_CASE("serialize_idx_u8 checks sizes and is parse_idx_u8's inverse") {
  IdxArray a;
  a.dims = {2, 3};
  a.data = {1, 2, 3, 4, 5, 6};
  const std::vector<uint8_t> bytes = serialize_idx_u8(a);
  CHECK(bytes == std::vector<uint8_t>{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6});
  a.data.pop_back();
  CHECK(contains(error_of([&] { serialize_idx_u8(a); }), "promise 6 bytes, the data has 5"));
}

TEST_CASE("weighted counts equal counting the union with repeated images") {
  BinaryImages base = empty_sketch_set(), extra = empty_sketch_set(), repeated = empty_sketch_set();
  append_sketch(base, stroke(5));
  append_sketch(base, stroke(9));
  append_sketch(extra, stroke(14));
  repeated = base;
  for (int k = 0; k < 3; ++k) append_sketch(repeated, stroke(14));
  for (bool by_position : {false, true}) {
    const ContextOptions o{4, 1.0f, by_position};
    ContextModel mixed(base, o);
    mixed.add_counts(extra, 3);
    const ContextModel expected(repeated, o);
    CHECK(mixed.ones == expected.ones);
    CHECK(mixed.totals == expected.totals);
  }
  ContextModel m(base, ContextOptions{4, 1.0f, false});
  BinaryImages odd;
  odd.count = 1;
  odd.rows = odd.cols = 2;
  odd.pixels = {0, 1, 1, 0};
  CHECK(contains(error_of([&] { m.add_counts(odd, 1); }), "2x2 images to a model of 28x28"));
}

TEST_CASE("an IDX file of 0/1 pixels imports as those sketches, not as blanks") {
  IdxArray ones_and_zeros;
  ones_and_zeros.dims = {1, kSketchSide, kSketchSide};
  ones_and_zeros.data.assign(size_t(kSketchSide * kSketchSide), 0);
  for (int i = 0; i < 100; ++i) ones_and_zeros.data[size_t(300 + i)] = 1;
  const BinaryImages set = sketch_set_from_idx(serialize_idx_u8(ones_and_zeros), "binary.idx");
  REQUIRE(set.count == 1);
  CHECK(std::count(set.pixels.begin(), set.pixels.end(), uint8_t(1)) == 100);
  CHECK(set.pixels[300] == 1);
}
