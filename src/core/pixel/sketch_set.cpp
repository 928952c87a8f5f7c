// sketch_set.cpp — the personal sketch set and its IDX form (see sketch_set.hpp).
#include "core/pixel/sketch_set.hpp"

#include <algorithm>

#include "core/data/idx.hpp"
#include "core/error.hpp"

namespace implay {

namespace {
constexpr int kSketchDim = kSketchSide * kSketchSide;
}

BinaryImages empty_sketch_set() {
  BinaryImages set;
  set.rows = set.cols = kSketchSide;
  return set;
}

void append_sketch(BinaryImages& set, std::span<const uint8_t> sketch) {
  if (sketch.size() != size_t(kSketchDim))
    throw Error("a sketch has " + std::to_string(kSketchDim) + " pixels, not " + std::to_string(sketch.size()));
  if (std::any_of(sketch.begin(), sketch.end(), [](uint8_t v) { return v > 1; }))
    throw Error("a sketch holds 0/1 pixels only");
  if (set.count >= kMaxSketches)
    throw Error("the sketch set is full (" + std::to_string(kMaxSketches) + " sketches): remove some first");
  set.rows = set.cols = kSketchSide;
  set.pixels.insert(set.pixels.end(), sketch.begin(), sketch.end());
  ++set.count;
}

int find_sketch(const BinaryImages& set, std::span<const uint8_t> sketch) {
  if (sketch.size() != size_t(set.dim())) return -1;
  for (int i = 0; i < set.count; ++i) {
    const std::span<const uint8_t> kept = set.image(i);
    if (std::equal(kept.begin(), kept.end(), sketch.begin())) return i;
  }
  return -1;
}

void remove_sketch(BinaryImages& set, int index) {
  if (index < 0 || index >= set.count)
    throw Error("no sketch " + std::to_string(index) + " in a set of " + std::to_string(set.count));
  const auto first = set.pixels.begin() + ptrdiff_t(index) * kSketchDim;
  set.pixels.erase(first, first + kSketchDim);
  --set.count;
}

std::vector<uint8_t> sketch_set_to_idx(const BinaryImages& set) {
  IdxArray a;
  a.dims = {set.count, kSketchSide, kSketchSide};
  a.data.resize(set.pixels.size());
  std::transform(set.pixels.begin(), set.pixels.end(), a.data.begin(), [](uint8_t v) { return uint8_t(v ? 255 : 0); });
  return serialize_idx_u8(a);
}

BinaryImages sketch_set_from_idx(std::span<const uint8_t> bytes, const std::string& source) {
  const IdxArray a = parse_idx_u8(bytes, source);
  if (a.dims.size() != 3 || a.dims[1] != kSketchSide || a.dims[2] != kSketchSide) {
    std::string shape;
    for (int n : a.dims) shape += (shape.empty() ? "" : "×") + std::to_string(n);
    throw Error(source + ": holds an array of " + shape + "; a sketch set is an IDX images file of N×28×28");
  }
  if (a.dims[0] > kMaxSketches)
    throw Error(source + ": " + std::to_string(a.dims[0]) + " images; a sketch set holds at most " +
                std::to_string(kMaxSketches));
  if (a.dims[0] == 0) return empty_sketch_set();
  return binary_images_from_idx(a, source);  // 0/1 files kept as they are, grey ones binarized
}

}  // namespace implay
