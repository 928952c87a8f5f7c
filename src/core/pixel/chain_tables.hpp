// chain_tables.hpp — count tables (core/eval/probability.hpp) over a few binary pixels, for the Sketch
// lab's aggregation tree: the four pixels of a 2×2 patch counted over a set of images, and the
// count model's first k template neighbours with the pixel they predict.
#pragma once
#include "core/eval/probability.hpp"
#include "core/pixel/pixel_model.hpp"

namespace implay {

// Variables x1..x4 = pixels (row, col), (row, col+1), (row+1, col), (row+1, col+1) of every image
// (raster order, values "0"/"1"); the 16 counts sum to images.count. Throws implay::Error for a
// patch that does not fit in the image or an empty set.
CountTable patch_count_table(const BinaryImages& images, int row, int col);

// Variables: the first k template neighbours (named W, N, NW, …) and "x", the pixel, with the
// model's raw counts summed over positions and over the dropped neighbours: the conditionals
// of the last level are the k-neighbour model's p(x = 1 | context) without smoothing.
// Throws implay::Error for k outside 1..min(K, 3) (a tree of up to 16 leaves) or a model that
// has counted nothing.
CountTable template_count_table(const ContextModel& model, int k);

}  // namespace implay
