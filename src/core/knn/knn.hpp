// knn.hpp — k-nearest-neighbour classification: exact top-k search (blocked for the cache and,
// natively, split over threads; uint8 L1/L2/L∞ stop summing a candidate once it cannot beat the
// k-th best, which changes no result), voting with deterministic tie rules, k-fold
// cross-validation of k (one-shot, or as a resumable job for the browser's time slices), and
// split/gather helpers. knn.cpp holds the search, voting and splits, cross_validate.cpp choosing k.
#pragma once
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "core/knn/distance.hpp"

namespace implay {

// Deterministic rules (the same natively, in wasm, with any thread count or block size):
//  1. Neighbours are sorted by (distance, training index): equal distances → lower index first.
//     uint8 L1 / L2 / L∞ rank on the exact integer distance, never on its float copy.
//  2. A tied vote goes to the smallest class label (scikit-learn's rule: argmax takes the first).
//  3. A float distance that is NaN ranks as +∞ (last), so NaN features cannot break the order.

// Row-major, non-owning views. data: (rows, dim); row i is data[i * dim, (i + 1) * dim).
struct U8Rows {
  const uint8_t* data = nullptr;  // (rows, dim) row-major uint8, e.g. MNIST pixels
  int rows = 0;                   // N (or Q for queries)
  int dim = 0;                    // D values per row, e.g. 784
};
struct F32Rows {
  const float* data = nullptr;  // (rows, dim) row-major float, e.g. feature vectors
  int rows = 0;                 // N (or Q)
  int dim = 0;                  // D
};

// How neighbours are found and how they vote.
struct KnnParams {
  int k = 5;                   // neighbours that vote; 1 ≤ k ≤ number of training examples
  Metric metric = Metric::L2;  // distance to rank by (L2 ranks by the squared value)
  bool weighted = false;       // true: vote 1/(d + kVoteEpsilon), d the true distance; false: 1
};

// Weighted votes are 1/(d + kVoteEpsilon) so an exact duplicate (d = 0) gets a huge, finite vote.
inline constexpr float kVoteEpsilon = 1e-6f;

// How a batched search walks the data. Blocking only changes speed, never the result.
struct SearchOptions {
  int threads = 1;                // native: queries split over this many std::threads (callers may pass
                                  // std::thread::hardware_concurrency()); wasm builds always use 1
  int train_block = 256;          // training rows per block: 256 × 784 B ≈ 200 KB stays in L2 cache...
  int query_block = 32;           // ...while this many queries all scan it
  int reorder_min_queries = 256;  // uint8 L1/L2/L∞ batches of at least this many queries search
                                  // a copy of the rows with the most varied values first (faster
                                  // early abandoning; N·D more bytes); smaller ones search in place
};

// The k nearest training rows of each query.
struct Neighbors {
  int queries = 0;              // Q
  int k = 0;                    // neighbours per query
  std::vector<int32_t> index;   // (Q, k) row-major: training row, sorted by (distance, index)
  std::vector<float> distance;  // (Q, k) row-major: its distance (squared for L2, see rule 1)

  std::span<const int32_t> index_of(int query) const;   // (k) neighbours of one query
  std::span<const float> distance_of(int query) const;  // (k) their distances
};

// k nearest training rows of every query, by blocks of train_block rows × query_block queries.
// Throws implay::Error for an empty training set, k < 1, k > N or a dimension mismatch.
Neighbors search(const U8Rows& train, const U8Rows& queries, int k, Metric metric, const SearchOptions& options = {});
Neighbors search(const F32Rows& train, const F32Rows& queries, int k, Metric metric, const SearchOptions& options = {});
// One query against all N rows (the live UI's path; no blocking or threads needed).
// query: (train.dim). Returns Neighbors with queries = 1.
Neighbors search_one(const U8Rows& train, const uint8_t* query, int k, Metric metric);
Neighbors search_one(const F32Rows& train, const float* query, int k, Metric metric);

// The distance a person means: √d for squared L2, d unchanged for the other metrics.
float true_distance(Metric metric, float distance);

// The outcome of one query's vote.
struct Vote {
  int label = 0;             // winning class (a tie goes to the smallest label)
  std::vector<float> votes;  // (num_classes) votes per class: counts, or summed weights
  bool tied = false;         // the top vote was shared by > 1 class before the tie-break
  float share = 0.0f;        // winner's votes / all votes, in (0, 1]
};

// Majority (or 1/(d + kVoteEpsilon)-weighted) vote of neighbours, in the order given.
// neighbor_index: (k) training rows; neighbor_distance: (k) *true* distances (pass each
// through true_distance(); may be empty when !weighted); train_labels: (N) in 0..num_classes-1.
Vote vote(std::span<const int32_t> neighbor_index, std::span<const float> neighbor_distance,
          std::span<const uint8_t> train_labels, int num_classes, bool weighted);

// search_one + vote for the live UI: the vote of one query (query: (train.dim)).
Vote classify(const U8Rows& train, std::span<const uint8_t> train_labels, int num_classes, const uint8_t* query,
              const KnnParams& params);
Vote classify(const F32Rows& train, std::span<const uint8_t> train_labels, int num_classes, const float* query,
              const KnnParams& params);

// Predicted label per query (Q) from an earlier search, voting with the first params.k
// neighbours of each list (params.k ≤ neighbors.k), so one search serves every smaller k.
std::vector<int> predict(const Neighbors& neighbors, std::span<const uint8_t> train_labels, int num_classes,
                         const KnnParams& params);
// search + vote for a batch: (Q) predicted labels.
std::vector<int> predict(const U8Rows& train, std::span<const uint8_t> train_labels, int num_classes,
                         const U8Rows& queries, const KnnParams& params, const SearchOptions& options = {});
std::vector<int> predict(const F32Rows& train, std::span<const uint8_t> train_labels, int num_classes,
                         const F32Rows& queries, const KnnParams& params, const SearchOptions& options = {});

// Fraction of predicted (Q) equal to labels (Q); 0 for Q = 0.
double accuracy(std::span<const int> predicted, std::span<const uint8_t> labels);

// ---------------------------------------------------------------------------------------------
// Choosing k by k-fold cross-validation

// How cross_validate_k evaluates candidate ks.
struct CvParams {
  // F ≥ 2 parts; each is the validation set once while the other F − 1 are the training set.
  int folds = 5;
  // (K) candidate ks; the default is the list of the CS231n k-NN notebook.
  std::vector<int> ks = {1, 3, 5, 8, 10, 12, 15, 20, 50, 100};
  // Distance to rank by.
  Metric metric = Metric::L2;
  // As KnnParams::weighted.
  bool weighted = false;
  // Seed of the fold shuffle: the same seed gives the same folds everywhere.
  uint64_t seed = 1;
  // Native: each step's queries split over std::threads; wasm builds always use 1.
  int threads = 1;
};

struct CvResult {
  std::vector<int> ks;                // (K) candidates, in the order given
  int folds = 0;                      // F
  std::vector<double> fold_accuracy;  // (K, F) row-major: accuracy of k on validation fold f
  std::vector<double> mean;           // (K) mean over folds
  std::vector<double> stddev;         // (K) population std (÷F, numpy's np.std default, as in
                                      // the CS231n error-bar plot): spread of these F folds
  int best_k = 0;                     // highest mean; equal means → the smaller k
  int evaluated = 0;                  // queries evaluated so far (N once complete)
};

// Fold of each of n examples (n): a seeded Fisher–Yates shuffle, then fold f takes shuffled
// positions [f·n/F, (f+1)·n/F), so fold sizes differ by at most one.
std::vector<int32_t> assign_folds(int n, int folds, uint64_t seed);

// Evaluates every k in params.ks on every fold. Each example is a query once, searched against
// the examples of the other folds with k_max = max(ks); every k votes with a prefix of that
// one neighbour list. Ties break on the original example index (rule 1), as if each fold's
// training rows were gathered in ascending order. Throws implay::Error for bad folds, bad ks
// (k < 1, k larger than a fold's training set), label/row count mismatch or labels ≥ num_classes.
CvResult cross_validate_k(const U8Rows& data, std::span<const uint8_t> labels, int num_classes, const CvParams& params);
CvResult cross_validate_k(const F32Rows& data, std::span<const uint8_t> labels, int num_classes,
                          const CvParams& params);

// cross_validate_k in slices, for the browser's main loop (no threads there): call step()
// until it returns true. The job copies labels and folds but only *views* the data: the
// data rows must outlive the job (copying a 47 MB training set would double memory).
class CrossValidationJob {
 public:
  CrossValidationJob(const U8Rows& data, std::span<const uint8_t> labels, int num_classes, CvParams params);
  CrossValidationJob(const F32Rows& data, std::span<const uint8_t> labels, int num_classes, CvParams params);

  // Evaluates up to max_queries more examples (in index order); true once all are done.
  bool step(int max_queries);
  bool done() const;
  // Fraction of examples evaluated, 0..1.
  float progress() const;
  // The result so far. Before done(), a fold without evaluated examples has NaN accuracy and
  // mean/stddev use the folds with at least one; once done it equals cross_validate_k.
  CvResult result() const;

 private:
  void check_and_prepare(int rows, int dim, std::span<const uint8_t> labels);
  Neighbors search_slice(int first, int count) const;
  void tally(const Neighbors& neighbors, int first);

  std::variant<U8Rows, F32Rows> data_;  // viewed, not owned
  std::vector<uint8_t> labels_;         // (N) copied
  int num_classes_ = 0;
  CvParams params_;
  int k_max_ = 0;                   // max(ks): the one neighbour list every k reads
  std::vector<int32_t> fold_of_;    // (N) fold of each example
  std::vector<int64_t> correct_;    // (K, F) row-major correct votes so far
  std::vector<int64_t> evaluated_;  // (F) examples evaluated per fold
  int next_ = 0;                    // next example to evaluate
  // Prepared once for all steps (knn.cpp): uint8 L1/L2/L∞ order their early abandoning by
  // Σx and Σx² over sample_rows_ sampled rows; uint8 cosine reuses every row's ‖row‖².
  int sample_rows_ = 0;
  std::vector<uint32_t> sample_sum_, sample_sum_sq_;  // (D) each, or empty
  std::vector<uint32_t> squared_norms_;               // (N), or empty
};

// ---------------------------------------------------------------------------------------------
// Splits and gathering

// Disjoint index lists covering 0..n-1, each ascending (so rule 1's tie order is the original
// order). A seeded shuffle picks round(n·test_fraction) test and round(n·validation_fraction)
// validation examples; train gets the rest.
struct Split {
  std::vector<int32_t> train;       // (n − V − T)
  std::vector<int32_t> validation;  // (V)
  std::vector<int32_t> test;        // (T)
};
// Throws implay::Error for n < 0, fractions outside [0, 1), or fractions that leave no
// training example.
Split split_indices(int n, double validation_fraction, double test_fraction, uint64_t seed);

// Copies the listed rows into a contiguous buffer: (M, dim) row-major for M indices.
// Throws implay::Error for an index outside 0..rows-1.
std::vector<uint8_t> gather_rows(const U8Rows& rows, std::span<const int32_t> indices);
std::vector<float> gather_rows(const F32Rows& rows, std::span<const int32_t> indices);
// labels[indices]: (M).
std::vector<uint8_t> gather_labels(std::span<const uint8_t> labels, std::span<const int32_t> indices);

}  // namespace implay
