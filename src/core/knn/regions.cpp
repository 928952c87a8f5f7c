// regions.cpp — see regions.hpp. One template per metric keeps the inner loop branch-free.
#include "core/knn/regions.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace implay {
namespace {

// The same float operations, in the same order, as the portable kernels for n = 2, so ranks
// (and so ties) match search() exactly.
template <Metric M>
inline float distance_2d(float ax, float ay, float bx, float by, float a_norm2, float b_norm2) {
  if constexpr (M == Metric::L1) {
    return std::fabs(ax - bx) + std::fabs(ay - by);
  } else if constexpr (M == Metric::L2) {
    const float dx = ax - bx, dy = ay - by;
    return dx * dx + dy * dy;
  } else if constexpr (M == Metric::Linf) {
    return std::max(std::fabs(ax - bx), std::fabs(ay - by));
  } else {
    // 1 − a·b / (‖a‖‖b‖); a zero vector has no direction: distance 1, as in distance.hpp.
    if (a_norm2 == 0.0f || b_norm2 == 0.0f) return 1.0f;
    const float dot = ax * bx + ay * by;
    const double cosine = double(dot) / std::sqrt(double(a_norm2) * double(b_norm2));
    return float(1.0 - std::clamp(cosine, -1.0, 1.0));
  }
}

template <Metric M>
void classify_cells(std::span<const float> points, std::span<const uint8_t> labels, int num_classes,
                    const KnnParams& params, const PlaneGrid& grid, std::vector<RegionCell>& out) {
  const int n = int(labels.size()), k = params.k;
  std::vector<float> norm2(size_t(n), 0.0f);  // (N) squared norms, for cosine
  for (int i = 0; i < n; ++i)
    norm2[size_t(i)] =
        points[size_t(2 * i)] * points[size_t(2 * i)] + points[size_t(2 * i + 1)] * points[size_t(2 * i + 1)];
  std::vector<float> best_d(size_t(k) + 1);  // (k) sorted ascending; one spare slot
  std::vector<int32_t> best_i(size_t(k) + 1);
  std::vector<float> true_d(static_cast<size_t>(k));
  for (int r = 0; r < grid.rows; ++r) {
    const float qy = grid.y_max - (grid.y_max - grid.y_min) * (float(r) + 0.5f) / float(grid.rows);
    for (int c = 0; c < grid.cols; ++c) {
      const float qx = grid.x_min + (grid.x_max - grid.x_min) * (float(c) + 0.5f) / float(grid.cols);
      const float q_norm2 = qx * qx + qy * qy;
      int filled = 0;
      for (int i = 0; i < n; ++i) {
        float d = distance_2d<M>(qx, qy, points[size_t(2 * i)], points[size_t(2 * i + 1)], q_norm2, norm2[size_t(i)]);
        if (std::isnan(d)) d = INFINITY;  // NaN ranks last, as in search()
        // Indices arrive in ascending order, so an equal distance never displaces an earlier
        // neighbour: ties keep the lower index first.
        if (filled == k && !(d < best_d[size_t(k - 1)])) continue;
        int j = filled < k ? filled++ : k - 1;
        while (j > 0 && best_d[size_t(j - 1)] > d) {
          best_d[size_t(j)] = best_d[size_t(j - 1)];
          best_i[size_t(j)] = best_i[size_t(j - 1)];
          --j;
        }
        best_d[size_t(j)] = d;
        best_i[size_t(j)] = i;
      }
      for (int j = 0; j < k; ++j) true_d[size_t(j)] = true_distance(M, best_d[size_t(j)]);
      const Vote v =
          vote(std::span<const int32_t>(best_i.data(), size_t(k)), true_d, labels, num_classes, params.weighted);
      out[size_t(r * grid.cols + c)] = {uint8_t(v.label), v.tied, v.share};
    }
  }
}

}  // namespace

std::vector<RegionCell> knn_regions_2d(std::span<const float> points, std::span<const uint8_t> labels, int num_classes,
                                       const KnnParams& params, const PlaneGrid& grid) {
  const int n = int(labels.size());
  if (n == 0) throw Error("no training points: add points to see decision regions");
  if (points.size() != size_t(n) * 2)
    throw Error("points hold " + std::to_string(points.size()) + " values, expected 2 per label (" +
                std::to_string(2 * n) + ")");
  if (params.k < 1 || params.k > n)
    throw Error("k = " + std::to_string(params.k) + " must be between 1 and the " + std::to_string(n) +
                " training points");
  if (grid.rows < 1 || grid.cols < 1) throw Error("grid must have at least one cell");
  std::vector<RegionCell> out(size_t(grid.rows) * size_t(grid.cols));
  switch (params.metric) {
    case Metric::L1: classify_cells<Metric::L1>(points, labels, num_classes, params, grid, out); break;
    case Metric::L2: classify_cells<Metric::L2>(points, labels, num_classes, params, grid, out); break;
    case Metric::Linf: classify_cells<Metric::Linf>(points, labels, num_classes, params, grid, out); break;
    case Metric::Cosine: classify_cells<Metric::Cosine>(points, labels, num_classes, params, grid, out); break;
  }
  return out;
}

}  // namespace implay
