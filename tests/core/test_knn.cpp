// test_knn.cpp — k-NN search, voting and cross-validation: hand-worked 1-D examples, the tie
// rules, error messages, blocked/threaded search against a sort-everything brute force (also
// with image-sized rows, where early abandoning and the reordered copy do their work), and
// cross-validation against a naive per-fold, per-k recomputation (one-shot and resumable job).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/knn/distance.hpp"
#include "core/knn/knn.hpp"
#include "core/rng.hpp"

namespace {

using namespace implay;

std::vector<uint8_t> random_u8(Rng& rng, size_t n, int levels) {  // (n) uniform 0..levels-1
  std::vector<uint8_t> v(n);
  for (uint8_t& x : v) x = uint8_t(rng.below(uint64_t(levels)));
  return v;
}

std::vector<float> random_quarters(Rng& rng, size_t n) {  // (n) in {0, .25, .5, .75}: exact sums
  std::vector<float> v(n);
  for (float& x : v) x = 0.25f * float(rng.below(4));
  return v;
}

// Reference ranking key of a uint8 pair: exact integers written naively, cosine from the kernel.
double reference_key(Metric metric, const uint8_t* a, const uint8_t* b, int dim) {
  double l1 = 0, l2 = 0, linf = 0;
  for (int i = 0; i < dim; ++i) {
    const double d = std::abs(int(a[i]) - int(b[i]));
    l1 += d;
    l2 += d * d;
    linf = std::max(linf, d);
  }
  switch (metric) {
    case Metric::L1: return l1;
    case Metric::L2: return l2;
    case Metric::Linf: return linf;
    case Metric::Cosine: return cosine_distance_u8(a, b, size_t(dim));
  }
  return 0;
}

double reference_key(Metric metric, const float* a, const float* b, int dim) {
  return distance_f32(metric, a, b, size_t(dim));  // quarter values: every path sums exactly
}

// Brute force: all N keys of each query, sorted by (key, index), the first k.
template <class Rows>
Neighbors brute_force(const Rows& train, const Rows& queries, int k, Metric metric) {
  Neighbors out{queries.rows, k, {}, {}};
  for (int q = 0; q < queries.rows; ++q) {
    std::vector<std::pair<double, int32_t>> all;  // (N) (key, index)
    for (int t = 0; t < train.rows; ++t)
      all.emplace_back(reference_key(metric, queries.data + q * queries.dim, train.data + t * train.dim, train.dim), t);
    std::sort(all.begin(), all.end());
    for (int j = 0; j < k; ++j) {
      out.index.push_back(all[size_t(j)].second);
      out.distance.push_back(float(all[size_t(j)].first));
    }
  }
  return out;
}

constexpr Metric kAllMetrics[] = {Metric::L1, Metric::L2, Metric::Linf, Metric::Cosine};

}  // namespace

TEST_CASE("1-D k-NN: query 33 among 10, 20, ..., 60 with every neighbour spelled out") {
  const uint8_t train_values[] = {10, 20, 30, 40, 50, 60};  // (6, 1)
  const uint8_t labels[] = {0, 0, 1, 1, 2, 2};              // (6)
  const U8Rows train{train_values, 6, 1};
  const uint8_t query = 33;
  // |33 − x| = 23, 13, 3, 7, 17, 27 → nearest: row 2 (3), row 3 (7), row 1 (13), row 4 (17).
  Neighbors l1 = search_one(train, &query, 4, Metric::L1);
  CHECK(l1.queries == 1);
  CHECK(l1.k == 4);
  CHECK(l1.index == std::vector<int32_t>{2, 3, 1, 4});
  CHECK(l1.distance == std::vector<float>{3, 7, 13, 17});
  // Squared L2 ranks the same and reports 9, 49, 169, 289.
  Neighbors l2 = search_one(train, &query, 4, Metric::L2);
  CHECK(l2.index == std::vector<int32_t>{2, 3, 1, 4});
  CHECK(l2.distance == std::vector<float>{9, 49, 169, 289});
  CHECK(true_distance(Metric::L2, l2.distance[1]) == 7.0f);
  // k = 3 votes: labels 1, 1, 0 → class 1 with 2 of 3 votes.
  Vote v = classify(train, labels, 3, &query, KnnParams{3, Metric::L2, false});
  CHECK(v.label == 1);
  CHECK(v.votes == std::vector<float>{1, 2, 0});
  CHECK_FALSE(v.tied);
  CHECK(v.share == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("equal distances rank the lower training index first (uint8 and float, any block)") {
  const uint8_t train_values[] = {5, 15, 5, 15, 10};  // (5, 1); query 10: distances 5, 5, 5, 5, 0
  const uint8_t query = 10;
  for (Metric m : {Metric::L1, Metric::L2, Metric::Linf}) {
    Neighbors n = search_one(U8Rows{train_values, 5, 1}, &query, 5, m);
    CHECK(n.index == std::vector<int32_t>{4, 0, 1, 2, 3});
  }
  const uint8_t at_five = 5;  // distances 0, 10, 0, 10, 5 → rows 0, 2 tie at 0
  CHECK(search_one(U8Rows{train_values, 5, 1}, &at_five, 3, Metric::L1).index == std::vector<int32_t>{0, 2, 4});
  // Blocks of one row and one query must keep the same order.
  const uint8_t queries[] = {10, 5};
  Neighbors blocked = search(U8Rows{train_values, 5, 1}, U8Rows{queries, 2, 1}, 5, Metric::L1, SearchOptions{1, 1, 1});
  CHECK(blocked.index == std::vector<int32_t>{4, 0, 1, 2, 3, 0, 2, 4, 1, 3});

  const float f_train[] = {0.5f, 1.5f, 0.5f, 1.5f};  // (4, 1); query 1: all at 0.5
  const float f_query = 1.0f;
  CHECK(search_one(F32Rows{f_train, 4, 1}, &f_query, 4, Metric::L1).index == std::vector<int32_t>{0, 1, 2, 3});
}

TEST_CASE("a tied vote goes to the smallest label and is flagged as tied") {
  const uint8_t labels[] = {3, 1, 3, 1};
  const int32_t neighbours[] = {0, 1, 2, 3};  // two votes each for classes 3 and 1
  Vote v = vote(neighbours, {}, labels, 4, false);
  CHECK(v.label == 1);
  CHECK(v.tied);
  CHECK(v.votes == std::vector<float>{0, 2, 0, 2});
  CHECK(v.share == 0.5f);
  // Through search: 1-D rows at 4 (label 3) and 6 (label 1), query 5, k = 2 → label 1.
  const uint8_t rows[] = {4, 6};
  const uint8_t row_labels[] = {3, 1};
  const uint8_t query = 5;
  const Vote through_search = classify(U8Rows{rows, 2, 1}, row_labels, 4, &query, KnnParams{2, Metric::L1, false});
  CHECK(through_search.label == 1);
  CHECK(through_search.tied);
  // One extra vote breaks the tie.
  const int32_t three[] = {0, 1, 2};
  Vote clear = vote(three, {}, labels, 4, false);
  CHECK(clear.label == 3);
  CHECK_FALSE(clear.tied);
}

TEST_CASE("weighted vote is 1/(d + eps) of the true distance, so near neighbours outvote far") {
  // Direct: class 0 at distance 1, class 1 at distances 3 and 3: 1 vs 1/3 + 1/3.
  const uint8_t labels[] = {0, 1, 1};
  const int32_t neighbours[] = {0, 1, 2};
  const float distances[] = {1, 3, 3};
  Vote weighted = vote(neighbours, distances, labels, 2, true);
  CHECK(weighted.label == 0);
  CHECK(weighted.votes[0] == doctest::Approx(1.0));
  CHECK(weighted.votes[1] == doctest::Approx(2.0 / 3.0));
  CHECK(weighted.share == doctest::Approx(0.6));
  CHECK(vote(neighbours, distances, labels, 2, false).label == 1);  // majority says 1

  // Through predict with L2: rows 12 (class 0), 7 and 13 (class 1), query 10 → true
  // distances 2, 3, 3: weights 1/2 vs 1/3 + 1/3 → class 1. Weighting the *squared*
  // distances (1/4 vs 1/9 + 1/9) would wrongly give class 0.
  const uint8_t rows[] = {12, 7, 13};
  const uint8_t row_labels[] = {0, 1, 1};
  const uint8_t query = 10;
  const U8Rows train{rows, 3, 1};
  CHECK(predict(train, row_labels, 2, U8Rows{&query, 1, 1}, KnnParams{3, Metric::L2, true}) == std::vector<int>{1});
  // Rows 11 (class 0), 7, 13 (class 1), query 10: 1/1 vs 1/3 + 1/3 → weighting flips it to 0.
  const uint8_t closer[] = {11, 7, 13};
  CHECK(predict(U8Rows{closer, 3, 1}, row_labels, 2, U8Rows{&query, 1, 1}, KnnParams{3, Metric::L2, true}) ==
        std::vector<int>{0});
  CHECK(predict(U8Rows{closer, 3, 1}, row_labels, 2, U8Rows{&query, 1, 1}, KnnParams{3, Metric::L2, false}) ==
        std::vector<int>{1});
}

TEST_CASE("bad input throws implay::Error naming the value") {
  const uint8_t rows[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};  // (5, 2)
  const U8Rows train{rows, 5, 2};
  const uint8_t query[] = {0, 0, 0};
  CHECK_THROWS_WITH_AS(search_one(train, query, 0, Metric::L2), "k = 0 must be at least 1", Error);
  CHECK_THROWS_WITH_AS(search_one(train, query, 7, Metric::L2), "k = 7 is larger than the 5 training examples", Error);
  CHECK_THROWS_WITH_AS(search_one(U8Rows{rows, 0, 2}, query, 1, Metric::L2), doctest::Contains("training set is empty"),
                       Error);
  CHECK_THROWS_WITH_AS(search(train, U8Rows{query, 1, 3}, 1, Metric::L2),
                       "queries have dimension 3 but training rows have dimension 2", Error);
  CHECK_THROWS_WITH_AS(parse_metric("manhattan"), doctest::Contains("\"manhattan\""), Error);
  CHECK_THROWS_WITH_AS(search_one(train, query, 1, Metric(9)), doctest::Contains("unknown metric number 9"), Error);
  const uint8_t labels[] = {0, 1, 2, 3, 4};
  CHECK_THROWS_WITH_AS(classify(train, std::span(labels).first(4), 5, query, KnnParams{}), "4 labels for 5 examples",
                       Error);
  CHECK_THROWS_WITH_AS(classify(train, labels, 4, query, KnnParams{5, Metric::L2, false}),
                       "label 4 is not below num_classes = 4", Error);
  CHECK_THROWS_WITH_AS(search(train, train, 1, Metric::L1, SearchOptions{0, 256, 32}), doctest::Contains("threads = 0"),
                       Error);
}

TEST_CASE("blocked, threaded uint8 search equals sorting all distances, ties included") {
  Rng rng(5);
  const int n = 300, q = 45, dim = 5;                                 // neither a multiple of any block size below
  std::vector<uint8_t> train = random_u8(rng, size_t(n * dim), 4);    // (300, 5) values 0..3
  std::vector<uint8_t> queries = random_u8(rng, size_t(q * dim), 4);  // (45, 5)
  const U8Rows t{train.data(), n, dim}, qs{queries.data(), q, dim};
  for (Metric metric : kAllMetrics) {
    for (int k : {1, 4, 17, 300}) {
      const Neighbors expected = brute_force(t, qs, k, metric);
      for (SearchOptions options : {SearchOptions{1, 256, 32}, SearchOptions{3, 256, 32}, SearchOptions{1, 7, 5},
                                    SearchOptions{3, 1, 1}, SearchOptions{2, 1000, 1000}}) {
        CAPTURE(metric_name(metric));
        CAPTURE(k);
        CAPTURE(options.threads);
        CAPTURE(options.train_block);
        const Neighbors got = search(t, qs, k, metric, options);
        CHECK(got.queries == q);
        CHECK(got.k == k);
        CHECK(got.index == expected.index);
        CHECK(got.distance == expected.distance);
      }
    }
  }
}

namespace {

// (rows, dim) image-like rows: mostly 0, else one of `levels` values spread over 1..255 (few
// levels → many equal distances), and every 7th row a copy of an earlier one (exact ties, some
// of them more than a 256-row run apart).
std::vector<uint8_t> image_like_rows(Rng& rng, int rows, int dim, int levels) {
  std::vector<uint8_t> v(size_t(rows) * size_t(dim));
  for (uint8_t& x : v) x = rng.below(3) != 0 ? 0 : uint8_t(255 - 254 * int(rng.below(uint64_t(levels))) / levels);
  for (int r = 7; r < rows; r += 7) {
    const int from = int(rng.below(uint64_t(r)));
    std::copy_n(v.begin() + std::ptrdiff_t(from) * dim, dim, v.begin() + std::ptrdiff_t(r) * dim);
  }
  return v;
}

// Both ways a uint8 batch is searched: a reordered copy (every batch here) and in place.
constexpr int kAlwaysReorder = 1, kNeverReorder = std::numeric_limits<int>::max();

}  // namespace

TEST_CASE("early abandoning equals brute force: image-sized rows, every metric, k, path, shape") {
  // 200 values: 12 whole blocks + 8 tail bytes; 784: MNIST. Rows of ≥ 192 values take the SIMD
  // capped kernels (the first 12 blocks, then the rest), shorter ones their portable fallback.
  for (int dim : {200, 784}) {
    for (int levels : {2, 255}) {
      Rng rng(uint64_t(dim * 1000 + levels));
      const int n = 600, q = 23;
      const std::vector<uint8_t> train = image_like_rows(rng, n, dim, levels);  // (600, dim)
      std::vector<uint8_t> queries = image_like_rows(rng, q, dim, levels);      // (23, dim)
      std::copy_n(train.begin() + 5 * dim, dim, queries.begin());               // a query equal to row 5
      const U8Rows t{train.data(), n, dim}, qs{queries.data(), q, dim};
      for (Metric metric : kAllMetrics) {
        for (int k : {1, 3, 10, 600}) {
          const Neighbors expected = brute_force(t, qs, k, metric);
          for (SearchOptions options :
               {SearchOptions{1, 256, 32, kAlwaysReorder}, SearchOptions{1, 256, 32, kNeverReorder},
                SearchOptions{3, 7, 5, kAlwaysReorder}, SearchOptions{2, 1000, 1, kNeverReorder},
                SearchOptions{3, 1, 1, kNeverReorder}}) {
            CAPTURE(dim);
            CAPTURE(levels);
            CAPTURE(metric_name(metric));
            CAPTURE(k);
            CAPTURE(options.threads);
            CAPTURE(options.train_block);
            CAPTURE(options.reorder_min_queries);
            const Neighbors got = search(t, qs, k, metric, options);
            CHECK(got.index == expected.index);
            CHECK(got.distance == expected.distance);
          }
        }
        // search_one: in place, with a block order of its own for the query.
        for (int i : {0, 1, 22}) {
          const Neighbors one = search_one(t, queries.data() + size_t(i) * size_t(dim), 10, metric);
          const Neighbors expected =
              brute_force(t, U8Rows{queries.data() + size_t(i) * size_t(dim), 1, dim}, 10, metric);
          CHECK(one.index == expected.index);
          CHECK(one.distance == expected.distance);
        }
      }
    }
  }
}

TEST_CASE("the reordered copy and the in-place search find the same neighbours as brute force") {
  // The value permutation of big batches must change no distance and no tie: rows where only
  // the *last* values differ (the blank border of an image comes last after reordering).
  const int n = 40, q = 6, dim = 300;
  std::vector<uint8_t> train(size_t(n) * dim, 0), queries(size_t(q) * dim, 0);
  Rng rng(99);
  for (int r = 0; r < n; ++r) train[size_t(r) * dim + size_t(dim - 1 - r % 3)] = uint8_t(rng.below(4) * 60);
  for (int r = 0; r < q; ++r) queries[size_t(r) * dim + size_t(r * 7)] = 200;
  const U8Rows t{train.data(), n, dim}, qs{queries.data(), q, dim};
  for (Metric metric : kAllMetrics) {
    const Neighbors expected = brute_force(t, qs, 12, metric);
    CAPTURE(metric_name(metric));
    CHECK(search(t, qs, 12, metric, SearchOptions{1, 256, 32, kAlwaysReorder}).index == expected.index);
    CHECK(search(t, qs, 12, metric, SearchOptions{1, 256, 32, kNeverReorder}).index == expected.index);
    CHECK(search(t, qs, 12, metric, SearchOptions{1, 256, 32, kAlwaysReorder}).distance == expected.distance);
  }
}

TEST_CASE("squared L2 past 66,051 values ranks on the wrapped uint32 sum, as the kernel defines") {
  // No early stop is allowed there (partial sums wrap); the ranking must still be the kernel's.
  const int n = 5, dim = 66100;
  std::vector<uint8_t> train(size_t(n) * dim), query(size_t(dim), 0);
  for (int r = 0; r < n; ++r) std::fill_n(train.begin() + std::ptrdiff_t(r) * dim, dim - r * 13000, uint8_t(255));
  std::vector<std::pair<uint32_t, int32_t>> keys;  // (key, index) by the plain kernel
  for (int r = 0; r < n; ++r)
    keys.emplace_back(squared_l2_u8(query.data(), train.data() + size_t(r) * dim, size_t(dim)), r);
  std::sort(keys.begin(), keys.end());
  std::vector<int32_t> expected;
  for (const auto& key : keys) expected.push_back(key.second);
  const U8Rows t{train.data(), n, dim};
  CHECK(search_one(t, query.data(), n, Metric::L2).index == expected);
  for (int reorder : {kAlwaysReorder, kNeverReorder})
    CHECK(search(t, U8Rows{query.data(), 1, dim}, n, Metric::L2, SearchOptions{1, 256, 32, reorder}).index == expected);
}

TEST_CASE("blocked, threaded float search equals sorting all distances, ties included") {
  Rng rng(6);
  const int n = 70, q = 33, dim = 9;
  std::vector<float> train = random_quarters(rng, size_t(n * dim));    // (70, 9)
  std::vector<float> queries = random_quarters(rng, size_t(q * dim));  // (33, 9)
  const F32Rows t{train.data(), n, dim}, qs{queries.data(), q, dim};
  for (Metric metric : kAllMetrics) {
    for (int k : {1, 6, 70}) {
      const Neighbors expected = brute_force(t, qs, k, metric);
      for (SearchOptions options : {SearchOptions{1, 256, 32}, SearchOptions{3, 8, 3}}) {
        CAPTURE(metric_name(metric));
        CAPTURE(k);
        const Neighbors got = search(t, qs, k, metric, options);
        CHECK(got.index == expected.index);
        CHECK(got.distance == expected.distance);
      }
    }
  }
}

TEST_CASE("a NaN float distance ranks last, after every real distance") {
  const float rows[] = {std::nanf(""), 2.0f, 1.0f};  // (3, 1)
  const float query = 0.0f;
  for (Metric metric : {Metric::L1, Metric::L2, Metric::Linf}) {
    const Neighbors n = search_one(F32Rows{rows, 3, 1}, &query, 3, metric);
    CHECK(n.index == std::vector<int32_t>{2, 1, 0});
    CHECK(std::isinf(n.distance[2]));
  }
}

TEST_CASE("search_one equals a row of the batched search; predict with a prefix k re-searches") {
  Rng rng(8);
  const int n = 120, q = 10, dim = 16, classes = 3;
  std::vector<uint8_t> train = random_u8(rng, size_t(n * dim), 256);  // (120, 16)
  std::vector<uint8_t> queries = random_u8(rng, size_t(q * dim), 256);
  std::vector<uint8_t> labels = random_u8(rng, size_t(n), classes);  // (120)
  const U8Rows t{train.data(), n, dim}, qs{queries.data(), q, dim};
  const Neighbors all = search(t, qs, 9, Metric::L2);
  for (int i = 0; i < q; ++i) {
    const Neighbors one = search_one(t, queries.data() + i * dim, 9, Metric::L2);
    CHECK(std::vector<int32_t>(all.index_of(i).begin(), all.index_of(i).end()) == one.index);
  }
  for (bool weighted : {false, true}) {
    for (int k : {1, 4, 9}) {
      const KnnParams params{k, Metric::L2, weighted};
      CHECK(predict(all, labels, classes, params) == predict(t, labels, classes, qs, params));
    }
  }
  CHECK_THROWS_WITH_AS(predict(all, labels, classes, KnnParams{10, Metric::L2, false}), doctest::Contains("k = 10"),
                       Error);
}

TEST_CASE("accuracy is the fraction of matching labels") {
  const std::vector<int> predicted = {0, 1, 2, 2};
  const uint8_t labels[] = {0, 1, 1, 2};
  CHECK(accuracy(predicted, labels) == 0.75);
}

// ---------------------------------------------------------------------------------------------
// Cross-validation

namespace {

struct CvData {
  std::vector<uint8_t> rows;    // (N, D) values 0..3: many ties
  std::vector<uint8_t> labels;  // (N) in 0..2, loosely tied to the first value
  int n, dim;
  U8Rows view() const { return U8Rows{rows.data(), n, dim}; }
};

CvData make_cv_data(int n, int dim, uint64_t seed) {
  Rng rng(seed);
  CvData d{random_u8(rng, size_t(n * dim), 4), {}, n, dim};
  for (int i = 0; i < n; ++i)
    d.labels.push_back(uint8_t(rng.below(4) == 0 ? rng.below(3) : d.rows[size_t(i * dim)] % 3));
  return d;
}

// Naive cross-validation: for each fold, gather its training rows (ascending), then for each
// k search and vote again from scratch.
CvResult naive_cross_validation(const CvData& d, int classes, const CvParams& p) {
  const std::vector<int32_t> fold_of = assign_folds(d.n, p.folds, p.seed);
  CvResult r;
  r.ks = p.ks;
  r.folds = p.folds;
  r.fold_accuracy.assign(p.ks.size() * size_t(p.folds), 0.0);
  for (int f = 0; f < p.folds; ++f) {
    std::vector<int32_t> train_idx, valid_idx;
    for (int i = 0; i < d.n; ++i) (fold_of[size_t(i)] == f ? valid_idx : train_idx).push_back(i);
    const std::vector<uint8_t> train = gather_rows(d.view(), train_idx);
    const std::vector<uint8_t> train_labels = gather_labels(d.labels, train_idx);
    const std::vector<uint8_t> valid = gather_rows(d.view(), valid_idx);
    const std::vector<uint8_t> valid_labels = gather_labels(d.labels, valid_idx);
    const U8Rows t{train.data(), int(train_idx.size()), d.dim};
    const U8Rows v{valid.data(), int(valid_idx.size()), d.dim};
    for (size_t i = 0; i < p.ks.size(); ++i) {
      const std::vector<int> predicted = predict(t, train_labels, classes, v, KnnParams{p.ks[i], p.metric, p.weighted});
      r.fold_accuracy[i * size_t(p.folds) + size_t(f)] = accuracy(predicted, valid_labels);
    }
  }
  for (size_t i = 0; i < p.ks.size(); ++i) {
    double sum = 0, squares = 0;
    for (int f = 0; f < p.folds; ++f) sum += r.fold_accuracy[i * size_t(p.folds) + size_t(f)];
    const double mean = sum / p.folds;
    for (int f = 0; f < p.folds; ++f) {
      const double x = r.fold_accuracy[i * size_t(p.folds) + size_t(f)] - mean;
      squares += x * x;
    }
    r.mean.push_back(mean);
    r.stddev.push_back(std::sqrt(squares / p.folds));
  }
  return r;
}

}  // namespace

TEST_CASE("cross_validate_k equals a naive per-fold, per-k recomputation") {
  const CvData d = make_cv_data(53, 6, 3);  // 53 examples: folds of 10 and 11
  for (Metric metric : {Metric::L2, Metric::L1, Metric::Cosine}) {
    for (bool weighted : {false, true}) {
      CAPTURE(metric_name(metric));
      CAPTURE(weighted);
      CvParams p;
      p.folds = 5;
      p.ks = {1, 2, 3, 5, 8, 13};
      p.metric = metric;
      p.weighted = weighted;
      p.seed = 17;
      const CvResult got = cross_validate_k(d.view(), d.labels, 3, p);
      const CvResult expected = naive_cross_validation(d, 3, p);
      CHECK(got.ks == p.ks);
      CHECK(got.folds == 5);
      CHECK(got.evaluated == 53);
      CHECK(got.fold_accuracy == expected.fold_accuracy);
      CHECK(got.mean == expected.mean);
      CHECK(got.stddev == expected.stddev);
      // best_k: the highest mean, equal means → the smaller k.
      int best = 0;
      for (size_t i = 1; i < p.ks.size(); ++i)
        if (expected.mean[i] > expected.mean[size_t(best)]) best = int(i);
      CHECK(got.best_k == p.ks[size_t(best)]);
    }
  }
}

TEST_CASE("cross-validation with image-sized rows (early abandoning, fold skips) equals naive") {
  Rng rng(77);
  CvData d{image_like_rows(rng, 90, 200, 3), {}, 90, 200};
  for (int i = 0; i < d.n; ++i) d.labels.push_back(uint8_t(d.rows[size_t(i) * 200 + 100] % 3));
  for (Metric metric : kAllMetrics) {
    CAPTURE(metric_name(metric));
    CvParams p;
    p.folds = 4;
    p.ks = {1, 3, 10};
    p.metric = metric;
    p.seed = 5;
    const CvResult expected = naive_cross_validation(d, 3, p);
    CHECK(cross_validate_k(d.view(), d.labels, 3, p).fold_accuracy == expected.fold_accuracy);
    p.threads = 2;
    CrossValidationJob job(d.view(), d.labels, 3, p);
    while (!job.step(11)) {
    }
    CHECK(job.result().fold_accuracy == expected.fold_accuracy);
  }
}

TEST_CASE("cross_validate_k: the same seed gives the same result, threads do not matter") {
  const CvData d = make_cv_data(80, 4, 9);
  CvParams p;
  p.ks = {1, 3, 7};
  p.seed = 123;
  const CvResult first = cross_validate_k(d.view(), d.labels, 3, p);
  const CvResult again = cross_validate_k(d.view(), d.labels, 3, p);
  CHECK(first.fold_accuracy == again.fold_accuracy);
  CHECK(first.best_k == again.best_k);
  p.threads = 3;
  CHECK(cross_validate_k(d.view(), d.labels, 3, p).fold_accuracy == first.fold_accuracy);
  CHECK(assign_folds(80, 5, 123) == assign_folds(80, 5, 123));
  CHECK(assign_folds(80, 5, 123) != assign_folds(80, 5, 124));
}

TEST_CASE("float cross-validation equals uint8 cross-validation on the same small integers") {
  const CvData d = make_cv_data(47, 5, 21);
  const std::vector<float> as_float(d.rows.begin(), d.rows.end());  // (47, 5) exact copies
  CvParams p;
  p.ks = {1, 2, 5};
  for (bool weighted : {false, true}) {
    p.weighted = weighted;
    const CvResult u8 = cross_validate_k(d.view(), d.labels, 3, p);
    const CvResult f32 = cross_validate_k(F32Rows{as_float.data(), 47, 5}, d.labels, 3, p);
    CHECK(f32.fold_accuracy == u8.fold_accuracy);
    CHECK(f32.best_k == u8.best_k);
  }
}

TEST_CASE("best_k: equal mean accuracy goes to the smaller k") {
  // Two well-separated clusters: every k from 1 to 3 is perfect, so all means are 1.
  std::vector<uint8_t> rows, labels;
  for (int i = 0; i < 20; ++i) {
    rows.push_back(uint8_t(i < 10 ? i : 200 + i));
    labels.push_back(uint8_t(i < 10 ? 0 : 1));
  }
  CvParams p;
  p.folds = 4;
  p.ks = {3, 2, 1};
  const CvResult r = cross_validate_k(U8Rows{rows.data(), 20, 1}, labels, 2, p);
  CHECK(r.mean == std::vector<double>{1.0, 1.0, 1.0});
  CHECK(r.stddev == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(r.best_k == 1);
}

TEST_CASE("a CrossValidationJob stepped 7 queries at a time equals the one-shot result") {
  const CvData d = make_cv_data(61, 5, 4);
  CvParams p;
  p.folds = 4;
  p.ks = {1, 4, 9};
  p.weighted = true;
  const CvResult one_shot = cross_validate_k(d.view(), d.labels, 3, p);
  CrossValidationJob job(d.view(), d.labels, 3, p);
  CHECK(job.progress() == 0.0f);
  CHECK_FALSE(job.step(0));
  CHECK(job.progress() == 0.0f);
  int steps = 0;
  for (bool finished = false; !finished;) {
    finished = job.step(7);
    ++steps;
    CHECK(job.result().evaluated == std::min(7 * steps, 61));
    CHECK(job.progress() == doctest::Approx(std::min(7 * steps, 61) / 61.0));
  }
  CHECK(steps == 9);  // ⌈61 / 7⌉
  CHECK(job.done());
  CHECK(job.progress() == 1.0f);
  const CvResult stepped = job.result();
  CHECK(stepped.fold_accuracy == one_shot.fold_accuracy);
  CHECK(stepped.mean == one_shot.mean);
  CHECK(stepped.stddev == one_shot.stddev);
  CHECK(stepped.best_k == one_shot.best_k);
  CHECK(job.step(7));  // stepping a finished job is harmless
}

TEST_CASE("a partial job result reports NaN for folds not reached and averages the others") {
  const CvData d = make_cv_data(40, 3, 12);
  CvParams p;
  p.folds = 4;
  p.ks = {1};
  CrossValidationJob job(d.view(), d.labels, 3, p);
  job.step(1);  // exactly one example → exactly one fold measured
  const CvResult r = job.result();
  int measured = 0;
  for (double a : r.fold_accuracy) measured += std::isnan(a) ? 0 : 1;
  CHECK(measured == 1);
  CHECK((r.mean[0] == 0.0 || r.mean[0] == 1.0));
  CHECK(r.stddev[0] == 0.0);
}

TEST_CASE("cross-validation errors name the bad value") {
  const CvData d = make_cv_data(20, 2, 1);
  CvParams p;
  p.ks = {1, 17};  // 5 folds of 4 → 16 training examples per fold
  CHECK_THROWS_WITH_AS(cross_validate_k(d.view(), d.labels, 3, p),
                       doctest::Contains("k = 17 is larger than the 16 training examples"), Error);
  p.ks = {0};
  CHECK_THROWS_WITH_AS(cross_validate_k(d.view(), d.labels, 3, p), "k = 0 must be at least 1", Error);
  p.ks = {1};
  p.folds = 1;
  CHECK_THROWS_WITH_AS(cross_validate_k(d.view(), d.labels, 3, p), doctest::Contains("folds = 1"), Error);
  p.folds = 5;
  p.ks = {};
  CHECK_THROWS_AS(cross_validate_k(d.view(), d.labels, 3, p), Error);
}

TEST_CASE("assign_folds: fold sizes differ by at most one and cover every example") {
  const std::vector<int32_t> fold_of = assign_folds(53, 5, 2);
  std::vector<int> sizes(5, 0);
  for (int32_t f : fold_of) ++sizes[size_t(f)];
  CHECK(std::accumulate(sizes.begin(), sizes.end(), 0) == 53);
  CHECK(*std::max_element(sizes.begin(), sizes.end()) == 11);
  CHECK(*std::min_element(sizes.begin(), sizes.end()) == 10);
}

TEST_CASE("split_indices covers every index exactly once with rounded part sizes") {
  const Split s = split_indices(103, 0.2, 0.1, 77);
  CHECK(s.validation.size() == 21);  // round(20.6)
  CHECK(s.test.size() == 10);        // round(10.3)
  CHECK(s.train.size() == 72);
  std::vector<int> seen(103, 0);
  for (const auto* part : {&s.train, &s.validation, &s.test}) {
    CHECK(std::is_sorted(part->begin(), part->end()));
    for (int32_t i : *part) ++seen[size_t(i)];
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  CHECK(split_indices(103, 0.2, 0.1, 77).test == s.test);  // deterministic for a seed
  CHECK(split_indices(10, 0.0, 0.0, 1).train.size() == 10);
  CHECK_THROWS_WITH_AS(split_indices(10, 1.0, 0.0, 1), "validation_fraction = 1 must be in [0, 1)", Error);
  CHECK_THROWS_WITH_AS(split_indices(10, 0.0, -0.1, 1), "test_fraction = -0.1 must be in [0, 1)", Error);
  CHECK_THROWS_WITH_AS(split_indices(10, 0.6, 0.4, 1),
                       "validation_fraction = 0.6 and test_fraction = 0.4 leave no training examples out of 10", Error);
  CHECK_THROWS_AS(split_indices(10, std::nan(""), 0.0, 1), Error);
}

TEST_CASE("gather_rows copies the listed rows in order into one contiguous buffer") {
  const uint8_t rows[] = {0, 1, 10, 11, 20, 21};  // (3, 2)
  const int32_t pick[] = {2, 0, 2};
  CHECK(gather_rows(U8Rows{rows, 3, 2}, pick) == std::vector<uint8_t>{20, 21, 0, 1, 20, 21});
  const float f_rows[] = {0.5f, 1.5f, 2.5f};  // (3, 1)
  CHECK(gather_rows(F32Rows{f_rows, 3, 1}, pick) == std::vector<float>{2.5f, 0.5f, 2.5f});
  const uint8_t labels[] = {7, 8, 9};
  CHECK(gather_labels(labels, pick) == std::vector<uint8_t>{9, 7, 9});
  const int32_t bad[] = {3};
  CHECK_THROWS_WITH_AS(gather_rows(U8Rows{rows, 3, 2}, bad), "row index 3 is outside the 3 rows", Error);
}
