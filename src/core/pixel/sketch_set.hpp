// sketch_set.hpp — the Sketch lab's personal set: 28×28 binary sketches a student draws and keeps.
// The set travels as an IDX images file (0 = background, 255 = ink, MNIST's layout), so the one
// file persists in the browser, downloads, imports again and trains the CLI (`ar train --data`).
// (Mixing a set into a count model: ContextModel::add_counts.)
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/pixel/pixel_model.hpp"

namespace implay {

inline constexpr int kSketchSide = 28;
inline constexpr int kMaxSketches = 2000;  // keeps the stored set ≈ 1.6 MB (browser storage holds ~5 MB)

// An empty 28×28 set.
BinaryImages empty_sketch_set();

// Appends a (784) 0/1 sketch. Throws implay::Error for another size, values other than 0/1, or a
// set already holding kMaxSketches.
void append_sketch(BinaryImages& set, std::span<const uint8_t> sketch);
// The index of the first sketch in `set` equal pixel for pixel to `sketch`, or -1: Keep refuses
// to store the same sketch twice.
int find_sketch(const BinaryImages& set, std::span<const uint8_t> sketch);
// Removes sketch `index`. Throws implay::Error for an index outside 0..count−1.
void remove_sketch(BinaryImages& set, int index);

// The set as the bytes of an IDX images file (count, 28, 28), 0/255.
std::vector<uint8_t> sketch_set_to_idx(const BinaryImages& set);
// Reads an IDX images file of 28×28 images: 0/1 pixels as they are, others binarized (pixel ≥ 128
// → 1, so MNIST-style grey files work too).
// `source` names the bytes in messages. Throws implay::Error for anything parse_idx_u8 rejects,
// a labels file or other shapes than (N, 28, 28), and more than kMaxSketches images.
BinaryImages sketch_set_from_idx(std::span<const uint8_t> bytes, const std::string& source);

}  // namespace implay
