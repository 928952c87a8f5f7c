// knn_internal.hpp — internal to core/knn (the API is knn.hpp): what knn.cpp's search lends
// cross_validate.cpp. The input checks, what a search prepares once (sample sums for the block
// orders, row norms for cosine), the search that hides each query's own fold, and the vote of a
// neighbour list's first k.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/knn/knn.hpp"

namespace implay::knn_detail {

// Input checks: each throws implay::Error naming the bad value.
void check_rows(int rows, int dim, const char* what);  // rows ≥ 0, dim ≥ 1
void check_metric(Metric metric);                      // one of the four metrics
// (rows) labels, all below num_classes ≥ 1.
void check_labels(std::span<const uint8_t> labels, int rows, int num_classes);

// Sums over ≤ 64 evenly spaced training rows (kOrderSampleRows, knn.cpp); the block and value
// orders are built on them in exact integers, so they are the same everywhere. (Σx ≤ 64·255,
// Σx² ≤ 64·255² fit.)
struct SampleSums {
  int rows = 0;                  // m rows sampled
  std::vector<uint32_t> sum;     // (D) Σx
  std::vector<uint32_t> sum_sq;  // (D) Σx²
};
SampleSums sample_sums(const U8Rows& train);
// ‖row‖² of every row (R), for cosine with precomputed norms.
std::vector<uint32_t> squared_norms(const U8Rows& rows);

// What a search computes once, before its threads start (views; the caller owns the storage).
struct SearchPlan {
  const SampleSums* sample = nullptr;     // uint8 L1/L2/L∞ in place: per-query block orders;
                                          // null: rows were reordered (natural order)
  std::span<const uint32_t> train_norms;  // uint8 cosine: (N) ‖row‖², or empty: one-pass kernel
};

// Storage for a SearchPlan of uint8 rows: the sample sums for the integer metrics, the training
// norms for cosine when more than one query will reuse them (one query: the one-pass kernel
// reads each row once instead of twice).
struct U8PlanStorage {
  SampleSums sample;
  std::vector<uint32_t> train_norms;

  U8PlanStorage(const U8Rows& train, Metric metric, int query_count) {
    if (metric == Metric::Cosine) {
      if (query_count > 1) train_norms = squared_norms(train);
    } else {
      sample = sample_sums(train);
    }
  }
  SearchPlan plan() const { return {sample.sum.empty() ? nullptr : &sample, train_norms}; }
};

// Every query against the rows of `data` outside the query's own fold: query q is example
// first + q, fold_of: (data.rows) each example's fold. Otherwise as search() (rule 1 holds).
Neighbors search_other_folds(const U8Rows& data, const U8Rows& queries, int k, Metric metric,
                             const SearchOptions& options, const SearchPlan& plan, const int32_t* fold_of, int first);
Neighbors search_other_folds(const F32Rows& data, const F32Rows& queries, int k, Metric metric,
                             const SearchOptions& options, const SearchPlan& plan, const int32_t* fold_of, int first);

// True distances of the first k neighbours of one query, for weighted votes.
std::vector<float> true_distances(std::span<const float> distances, Metric metric);
// Vote of the first k of one neighbour list (true_dist: (≥ k) true distances, or empty).
int vote_prefix(std::span<const int32_t> index, std::span<const float> true_dist, int k,
                std::span<const uint8_t> labels, int num_classes, bool weighted);

}  // namespace implay::knn_detail
