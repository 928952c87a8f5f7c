// regions.hpp — k-NN decision regions of 2-D points over a grid of the plane: the kNN lab
// recomputes tens of thousands of cells while a point is dragged. Same neighbours, votes and
// tie rules as search() + vote() in knn.hpp, with the 2-D distance inlined (several times
// faster than the general D-dimensional path for D = 2).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/knn/knn.hpp"

namespace implay {

// Cell centres of a (rows, cols) grid over [x_min, x_max] × [y_min, y_max]; row 0 is the top
// (y_max), as an image is stored.
struct PlaneGrid {
  float x_min = -1, x_max = 1, y_min = -1, y_max = 1;
  int cols = 100, rows = 100;
};

struct RegionCell {
  uint8_t label = 0;  // the vote's winner (ties → smallest label)
  bool tied = false;  // the top vote was shared before the tie-break
  float share = 0;    // winner's votes / all votes
};

// points: (N, 2) row-major; labels: (N) in 0..num_classes-1. Returns (rows, cols) cells.
// Throws implay::Error for N = 0, k outside 1..N, or mismatched sizes.
std::vector<RegionCell> knn_regions_2d(std::span<const float> points, std::span<const uint8_t> labels, int num_classes,
                                       const KnnParams& params, const PlaneGrid& grid);

}  // namespace implay
