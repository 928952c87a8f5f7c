// fuzz_sketch_set.cpp — libFuzzer target for core/pixel/sketch_set.hpp's sketch_set_from_idx (a sketch
// set imported into the Sketch lab or stored in the browser). Any bytes either load or throw
// implay::Error; a set that loads is N×28×28 of 0/1 with N ≤ kMaxSketches and survives its own
// export and import unchanged.
#include "core/pixel/sketch_set.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto loaded = implay::fuzz::accepted(
      [&] { return implay::sketch_set_from_idx(implay::fuzz::as_bytes(data, size), implay::fuzz::kSource); });
  if (!loaded) return 0;
  const implay::BinaryImages& set = *loaded;
  FUZZ_CHECK(set.rows == implay::kSketchSide && set.cols == implay::kSketchSide);
  FUZZ_CHECK(set.count >= 0 && set.count <= implay::kMaxSketches);
  FUZZ_CHECK(set.pixels.size() == size_t(set.count) * size_t(set.dim()));
  for (uint8_t p : set.pixels) FUZZ_CHECK(p == 0 || p == 1);
  const implay::BinaryImages again = implay::sketch_set_from_idx(implay::sketch_set_to_idx(set), "<re-export>");
  FUZZ_CHECK(again.count == set.count && again.pixels == set.pixels);
  return 0;
}
