// cross_validate.cpp — choosing k by k-fold cross-validation (knn.hpp): the seeded folds, the
// resumable CrossValidationJob the browser steps in slices, and cross_validate_k, which runs one at
// once. Each query is searched by knn.cpp's blocked search against the rows of the other folds
// (search_other_folds, knn_internal.hpp), so knn.hpp's tie rules hold here too.
//
// Index: [Checks and summaries] [Folds and the job]
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

#include "core/error.hpp"
#include "core/knn/knn.hpp"
#include "core/knn/knn_internal.hpp"
#include "core/rng.hpp"

namespace implay {

using std::to_string;
using namespace knn_detail;

// [SECTION] Checks and summaries -----------------------------------------------------------------

namespace {

int max_fold_size(int n, int folds) { return (n + folds - 1) / folds; }

void check_cv(int n, const CvParams& params) {
  if (n == 0) throw Error("cross-validation needs examples: the data set is empty");
  if (params.folds < 2 || params.folds > n)
    throw Error("folds = " + to_string(params.folds) + " must be between 2 and the " + to_string(n) + " examples");
  if (params.ks.empty()) throw Error("cross-validation needs at least one k to try");
  const int smallest_train = n - max_fold_size(n, params.folds);
  for (int k : params.ks) {
    if (k < 1) throw Error("k = " + to_string(k) + " must be at least 1");
    if (k > smallest_train)
      throw Error("k = " + to_string(k) + " is larger than the " + to_string(smallest_train) +
                  " training examples of a fold (" + to_string(n) + " examples in " + to_string(params.folds) +
                  " folds)");
  }
  if (params.threads < 1) throw Error("threads = " + to_string(params.threads) + " must be ≥ 1");
  check_metric(params.metric);
}

// Index of the best mean: highest, equal means → smaller k.
int best_position(const std::vector<double>& mean, const std::vector<int>& ks) {
  int best = 0;
  for (int i = 1; i < int(ks.size()); ++i)
    if (mean[size_t(i)] > mean[size_t(best)] ||
        (mean[size_t(i)] == mean[size_t(best)] && ks[size_t(i)] < ks[size_t(best)]))
      best = i;
  return best;
}

// Mean and population std (÷ count) of the non-NaN values of row: (F).
std::pair<double, double> mean_and_stddev(std::span<const double> row) {
  double sum = 0.0, count = 0.0;
  for (double x : row) {
    if (std::isnan(x)) continue;  // a fold not reached yet (partial job result)
    sum += x;
    count += 1.0;
  }
  if (count == 0.0) return {0.0, 0.0};
  const double mean = sum / count;
  double squares = 0.0;  // Σ (x − mean)²
  for (double x : row)
    if (!std::isnan(x)) squares += (x - mean) * (x - mean);
  return {mean, std::sqrt(squares / count)};
}

}  // namespace

// [SECTION] Folds and the job --------------------------------------------------------------------

std::vector<int32_t> assign_folds(int n, int folds, uint64_t seed) {
  if (n < 0) throw Error("cannot make folds of n = " + to_string(n) + " examples");
  if (folds < 1 || (n > 0 && folds > n))
    throw Error("folds = " + to_string(folds) + " must be between 1 and the " + to_string(n) + " examples");
  std::vector<int32_t> order(static_cast<size_t>(n));  // (n) shuffled example indices
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(std::span<int32_t>(order));
  std::vector<int32_t> fold_of(static_cast<size_t>(n));  // (n)
  for (int f = 0; f < folds; ++f) {
    // Fold f = shuffled positions [f·n/F, (f+1)·n/F).
    const int64_t begin = int64_t(f) * n / folds, end = int64_t(f + 1) * n / folds;
    for (int64_t p = begin; p < end; ++p) fold_of[size_t(order[size_t(p)])] = f;
  }
  return fold_of;
}

CrossValidationJob::CrossValidationJob(const U8Rows& data, std::span<const uint8_t> labels, int num_classes,
                                       CvParams params)
    : data_(data), num_classes_(num_classes), params_(std::move(params)) {
  check_and_prepare(data.rows, data.dim, labels);
  // Prepared once for every step (a step may be a handful of queries in the browser).
  U8PlanStorage plan(data, params_.metric, data.rows);
  sample_rows_ = plan.sample.rows;
  sample_sum_ = std::move(plan.sample.sum);
  sample_sum_sq_ = std::move(plan.sample.sum_sq);
  squared_norms_ = std::move(plan.train_norms);
}

CrossValidationJob::CrossValidationJob(const F32Rows& data, std::span<const uint8_t> labels, int num_classes,
                                       CvParams params)
    : data_(data), num_classes_(num_classes), params_(std::move(params)) {
  check_and_prepare(data.rows, data.dim, labels);
}

void CrossValidationJob::check_and_prepare(int rows, int dim, std::span<const uint8_t> labels) {
  check_rows(rows, dim, "data");
  check_labels(labels, rows, num_classes_);
  check_cv(rows, params_);
  labels_.assign(labels.begin(), labels.end());
  k_max_ = *std::max_element(params_.ks.begin(), params_.ks.end());
  fold_of_ = assign_folds(rows, params_.folds, params_.seed);
  correct_.assign(params_.ks.size() * size_t(params_.folds), 0);
  evaluated_.assign(size_t(params_.folds), 0);
}

// Examples [first, first + count) as queries against all examples of the other folds.
Neighbors CrossValidationJob::search_slice(int first, int count) const {
  SearchOptions options;
  options.threads = params_.threads;
  const int32_t* fold_of = fold_of_.data();
  return std::visit(
      [&](const auto& data) {
        auto queries = data;  // the slice's rows, same type of view
        queries.data = data.data + size_t(first) * size_t(data.dim);
        queries.rows = count;
        const SampleSums sample{sample_rows_, sample_sum_, sample_sum_sq_};  // a copy: 6 KB
        const SearchPlan plan{sample.sum.empty() ? nullptr : &sample, squared_norms_};
        return search_other_folds(data, queries, k_max_, params_.metric, options, plan, fold_of, first);
      },
      data_);
}

// Votes every k from the prefix of each slice query's k_max list; counts correct ones per fold.
void CrossValidationJob::tally(const Neighbors& neighbors, int first) {
  const size_t folds = size_t(params_.folds);
  for (int q = 0; q < neighbors.queries; ++q) {
    const int example = first + q;
    const size_t fold = size_t(fold_of_[size_t(example)]);
    const std::vector<float> dist = true_distances(neighbors.distance_of(q), params_.metric);
    for (size_t i = 0; i < params_.ks.size(); ++i) {
      const int label =
          vote_prefix(neighbors.index_of(q), dist, params_.ks[i], labels_, num_classes_, params_.weighted);
      correct_[i * folds + fold] += label == labels_[size_t(example)];
    }
    ++evaluated_[fold];
  }
}

bool CrossValidationJob::step(int max_queries) {
  const int count = std::clamp(max_queries, 0, int(labels_.size()) - next_);
  if (count > 0) {
    tally(search_slice(next_, count), next_);
    next_ += count;
  }
  return done();
}

bool CrossValidationJob::done() const { return next_ == int(labels_.size()); }

float CrossValidationJob::progress() const { return labels_.empty() ? 1.0f : float(next_) / float(labels_.size()); }

CvResult CrossValidationJob::result() const {
  const size_t K = params_.ks.size(), F = size_t(params_.folds);
  CvResult out;
  out.ks = params_.ks;
  out.folds = params_.folds;
  out.evaluated = next_;
  out.fold_accuracy.resize(K * F);  // (K, F)
  out.mean.resize(K);
  out.stddev.resize(K);
  for (size_t i = 0; i < K; ++i) {
    for (size_t f = 0; f < F; ++f)
      out.fold_accuracy[i * F + f] = evaluated_[f] > 0 ? double(correct_[i * F + f]) / double(evaluated_[f])
                                                       : std::numeric_limits<double>::quiet_NaN();
    std::tie(out.mean[i], out.stddev[i]) =
        mean_and_stddev(std::span<const double>(out.fold_accuracy).subspan(i * F, F));
  }
  out.best_k = out.ks[size_t(best_position(out.mean, out.ks))];
  return out;
}

CvResult cross_validate_k(const U8Rows& data, std::span<const uint8_t> labels, int num_classes,
                          const CvParams& params) {
  CrossValidationJob job(data, labels, num_classes, params);
  job.step(data.rows);
  return job.result();
}

CvResult cross_validate_k(const F32Rows& data, std::span<const uint8_t> labels, int num_classes,
                          const CvParams& params) {
  CrossValidationJob job(data, labels, num_classes, params);
  job.step(data.rows);
  return job.result();
}

}  // namespace implay
