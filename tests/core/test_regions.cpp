// Tests of core/knn/regions.hpp: the fast 2-D grid classifier agrees cell for cell with the general
// search() + vote() path, including ties, for every metric and for weighted votes.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/knn/regions.hpp"
#include "core/rng.hpp"

using namespace implay;

namespace {

std::vector<RegionCell> reference_regions(const std::vector<float>& points, const std::vector<uint8_t>& labels,
                                          int num_classes, const KnnParams& params, const PlaneGrid& grid) {
  std::vector<float> queries;
  for (int r = 0; r < grid.rows; ++r)
    for (int c = 0; c < grid.cols; ++c) {
      queries.push_back(grid.x_min + (grid.x_max - grid.x_min) * (float(c) + 0.5f) / float(grid.cols));
      queries.push_back(grid.y_max - (grid.y_max - grid.y_min) * (float(r) + 0.5f) / float(grid.rows));
    }
  const Neighbors nb = search(F32Rows{points.data(), int(labels.size()), 2},
                              F32Rows{queries.data(), grid.rows * grid.cols, 2}, params.k, params.metric);
  std::vector<RegionCell> out;
  std::vector<float> d(static_cast<size_t>(params.k));
  for (int q = 0; q < grid.rows * grid.cols; ++q) {
    for (int j = 0; j < params.k; ++j) d[size_t(j)] = true_distance(params.metric, nb.distance_of(q)[size_t(j)]);
    const Vote v = vote(nb.index_of(q), d, labels, num_classes, params.weighted);
    out.push_back({uint8_t(v.label), v.tied, v.share});
  }
  return out;
}

}  // namespace

TEST_CASE("knn_regions_2d equals search + vote cell for cell, for every metric, k and weighting") {
  Rng rng(7);
  std::vector<float> points;
  std::vector<uint8_t> labels;
  // Coordinates on a coarse lattice so that many distances tie exactly.
  for (int i = 0; i < 60; ++i) {
    points.push_back(float(int(rng.below(9)) - 4) / 4.0f);
    points.push_back(float(int(rng.below(9)) - 4) / 4.0f);
    labels.push_back(uint8_t(rng.below(3)));
  }
  const PlaneGrid grid{-1, 1, -1, 1, 37, 29};
  for (Metric m : {Metric::L1, Metric::L2, Metric::Linf, Metric::Cosine})
    for (int k : {1, 2, 4, 7})
      for (bool weighted : {false, true}) {
        const KnnParams params{k, m, weighted};
        const auto fast = knn_regions_2d(points, labels, 3, params, grid);
        const auto slow = reference_regions(points, labels, 3, params, grid);
        CAPTURE(metric_name(m));
        CAPTURE(k);
        CAPTURE(weighted);
        REQUIRE(fast.size() == slow.size());
        int mismatches = 0;
        for (size_t i = 0; i < fast.size(); ++i)
          mismatches +=
              fast[i].label != slow[i].label || fast[i].tied != slow[i].tied || fast[i].share != slow[i].share;
        CHECK(mismatches == 0);
      }
}

TEST_CASE("two points, k = 1: the plane splits at the perpendicular bisector, row 0 on top") {
  const std::vector<float> points = {-0.5f, 0.0f, 0.5f, 0.0f};
  const std::vector<uint8_t> labels = {0, 1};
  const auto cells = knn_regions_2d(points, labels, 2, KnnParams{1, Metric::L2, false}, PlaneGrid{-1, 1, -1, 1, 4, 2});
  CHECK(cells[0].label == 0);
  CHECK(cells[1].label == 0);
  CHECK(cells[2].label == 1);
  CHECK(cells[3].label == 1);
  CHECK(cells[3].share == 1.0f);
  // k = 2 with one point of each class: every cell is a tie, won by the smaller label.
  const auto tied = knn_regions_2d(points, labels, 2, KnnParams{2, Metric::L2, false}, PlaneGrid{-1, 1, -1, 1, 4, 2});
  for (const auto& c : tied) {
    CHECK(c.tied);
    CHECK(c.label == 0);
  }
}

TEST_CASE("knn_regions_2d rejects no points and k larger than the number of points") {
  const std::vector<float> none;
  const std::vector<uint8_t> no_labels;
  CHECK_THROWS_AS(knn_regions_2d(none, no_labels, 2, KnnParams{}, PlaneGrid{}), Error);
  const std::vector<float> one = {0, 0};
  const std::vector<uint8_t> label = {0};
  CHECK_THROWS_WITH(knn_regions_2d(one, label, 2, KnnParams{3, Metric::L2, false}, PlaneGrid{}),
                    "k = 3 must be between 1 and the 1 training points");
}
