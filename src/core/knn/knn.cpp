// knn.cpp — exact k-NN search (blocked top-k, threads natively, early abandoning through the
// capped kernels of distance.hpp), voting, and the split and gather helpers of knn.hpp. The
// deterministic tie rules are stated in knn.hpp and kept here by visiting rows in index order;
// [Early abandoning] says why abandoning keeps them. Choosing k is next door: cross_validate.cpp
// searches through search_other_folds(), declared with the other shared pieces in knn_internal.hpp.
//
// Index: [Checks] [Top-k search] [Early abandoning] [The blocked search] [Search] [Voting]
//        [Splits and gathering]
#include "core/knn/knn.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "core/knn/knn_internal.hpp"
#include "core/rng.hpp"
#include "core/target.hpp"

#if !IMPLAY_TARGET_WASM
#include <system_error>
#include <thread>
#endif

namespace implay {

using std::to_string;
using namespace knn_detail;

// [SECTION] Checks -------------------------------------------------------------------------------
// Bad user input → implay::Error naming the value.

namespace knn_detail {

void check_rows(int rows, int dim, const char* what) {
  if (rows < 0) throw Error(std::string(what) + " rows = " + to_string(rows) + " is negative");
  if (dim < 1) throw Error(std::string(what) + " dimension = " + to_string(dim) + " must be at least 1");
}

void check_metric(Metric metric) {
  if (int(metric) < int(Metric::L1) || int(metric) > int(Metric::Cosine))
    throw Error("unknown metric number " + to_string(int(metric)) + " (valid: l1, l2, linf, cosine)");
}

void check_labels(std::span<const uint8_t> labels, int rows, int num_classes) {
  if (num_classes < 1) throw Error("num_classes = " + to_string(num_classes) + " must be ≥ 1");
  if (labels.size() != size_t(rows))
    throw Error(to_string(labels.size()) + " labels for " + to_string(rows) + " examples");
  for (uint8_t label : labels)
    if (label >= num_classes)
      throw Error("label " + to_string(label) + " is not below num_classes = " + to_string(num_classes));
}

}  // namespace knn_detail

namespace {

void check_k(int k, int train_rows) {
  if (k < 1) throw Error("k = " + to_string(k) + " must be at least 1");
  if (k > train_rows)
    throw Error("k = " + to_string(k) + " is larger than the " + to_string(train_rows) + " training examples");
}

void check_search(int train_rows, int train_dim, int query_rows, int query_dim, int k) {
  if (train_rows == 0) throw Error("the training set is empty: k-NN needs at least one training example");
  check_rows(train_rows, train_dim, "training");
  check_rows(query_rows, query_dim, "query");
  if (query_dim != train_dim)
    throw Error("queries have dimension " + to_string(query_dim) + " but training rows have dimension " +
                to_string(train_dim));
  check_k(k, train_rows);
}

void check_options(const SearchOptions& options) {
  if (options.threads < 1) throw Error("threads = " + to_string(options.threads) + " must be ≥ 1");
  if (options.train_block < 1 || options.query_block < 1)
    throw Error("search blocks " + to_string(options.train_block) + " × " + to_string(options.query_block) +
                " must be at least 1 × 1");
}

// [SECTION] Top-k search -------------------------------------------------------------------------

const uint8_t* row_of(const U8Rows& rows, int i) { return rows.data + size_t(i) * size_t(rows.dim); }
const float* row_of(const F32Rows& rows, int i) { return rows.data + size_t(i) * size_t(rows.dim); }

// A possible neighbour: the key we rank on (exact uint32 for uint8 L1/L2/L∞, float otherwise).
template <class Key>
struct Candidate {
  Key key;
  int32_t index;
};

// Adds (key, index) to best: (k) sorted by (key, index), `size` of them filled. Rows arrive in
// increasing index, so a newcomer ranks after every held candidate with an equal key: it goes
// after equals, and must beat the worst strictly when the list is full (rule 1).
template <class Key>
void offer(Candidate<Key>* best, int& size, int k, Key key, int32_t index) {
  if (size == k) {
    if (!(key < best[k - 1].key)) return;
  } else {
    ++size;
  }
  int i = size - 1;
  for (; i > 0 && key < best[i - 1].key; --i) best[i] = best[i - 1];
  best[i] = {key, index};
}

// Float keys: NaN ranks as +∞ (rule 3) so that `<` stays a strict weak order.
float rank_key(float distance) { return std::isnan(distance) ? std::numeric_limits<float>::infinity() : distance; }

// [SECTION] Early abandoning ---------------------------------------------------------------------
// And what a search prepares once for it (block orders, reordered rows, norms).
//
// Once a query's list holds k candidates, a newcomer enters only if its key is strictly below the
// k-th best (it has the larger index, rule 1). So the capped kernels' min(distance, k-th best)
// decides exactly as the distance would, and they stop summing as soon as a partial sum reaches
// it. Every path (any block shape, threads, the cross-validation job) keeps rule 1 because each
// query still sees its training rows in increasing index.

// Training rows sampled to order values and blocks: 64 spread over MNIST order it as well as
// 256 or all 60,000 (no slower natively, 0.1 ms faster per search_one in node: 1/940 of one
// query's reads).
constexpr int kOrderSampleRows = 64;

}  // namespace

SampleSums knn_detail::sample_sums(const U8Rows& train) {
  const size_t dim = size_t(train.dim);
  SampleSums s{std::min(train.rows, kOrderSampleRows), std::vector<uint32_t>(dim, 0), std::vector<uint32_t>(dim, 0)};
  for (int i = 0; i < s.rows; ++i) {
    const uint8_t* row = row_of(train, int(int64_t(i) * train.rows / s.rows));
    for (size_t d = 0; d < dim; ++d) {
      s.sum[d] += row[d];
      s.sum_sq[d] += uint32_t(row[d]) * row[d];
    }
  }
  return s;
}

namespace {

// 0 .. n − 1 sorted by decreasing score; equal scores keep the natural order.
void order_by_decreasing(std::span<const int64_t> score, std::span<uint32_t> order) {
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return score[x] > score[y]; });
}

// The values of a row by decreasing variance, m²·var = m·Σx² − (Σx)², for the reordered copy
// below: (D) value numbers.
std::vector<uint32_t> value_order_by_variance(const SampleSums& s) {
  std::vector<int64_t> spread(s.sum.size());  // (D)
  for (size_t d = 0; d < spread.size(); ++d) spread[d] = int64_t(s.rows) * s.sum_sq[d] - int64_t(s.sum[d]) * s.sum[d];
  std::vector<uint32_t> order(spread.size());
  order_by_decreasing(spread, order);
  return order;
}

// The order in which the capped kernels visit the 16-byte blocks for one query (D), so that
// partial sums grow fastest. Each block is scored by Σ over the sampled rows x of Σ_block
// (q − x)² = m·q² − 2q·Σx + Σx²: the part of the distance it is expected to contribute (on
// MNIST the strokes of the query and the centre of the image; the blank border scores least).
// The first kFirstCheckBlocks blocks, which every row pays for, are two runs of 6 consecutive
// blocks with the highest total score, so that a row's prefix lies in about 4 cache lines
// instead of 7–8 for the 12 best blocks one by one; then the other blocks, best first. On
// MNIST in node this was 10 % faster than the 12 best blocks (more rows go past the prefix:
// 12 % against 4 % for L2, but each prefix reads less memory). Only the speed depends on the
// order. order: (D / 16) block numbers; score, taken: scratch.
constexpr size_t kPrefixRun = 6;  // consecutive blocks per run of the prefix

void block_order_for_query(const SampleSums& s, const uint8_t* query, std::span<uint32_t> order,
                           std::vector<int64_t>& score, std::vector<char>& taken) {
  const size_t blocks = order.size();
  score.assign(blocks, 0);
  for (size_t d = 0; d < blocks * kCappedBlock; ++d) {
    const int64_t q = query[d];
    score[d / kCappedBlock] += int64_t(s.rows) * q * q - 2 * q * s.sum[d] + s.sum_sq[d];
  }
  taken.assign(blocks, 0);
  size_t filled = 0;
  for (size_t run = 0; run < kFirstCheckBlocks / kPrefixRun; ++run) {
    size_t best = blocks;  // first block of the best free run, or none
    int64_t best_score = -1;
    for (size_t first = 0; first + kPrefixRun <= blocks; ++first) {
      int64_t total = 0;
      bool free = true;
      for (size_t j = first; j < first + kPrefixRun; ++j) {
        total += score[j];
        free = free && !taken[j];
      }
      if (free && total > best_score) best = first, best_score = total;
    }
    if (best == blocks) break;  // no free run left (short rows): the rest goes by score
    for (size_t j = best; j < best + kPrefixRun; ++j) {
      taken[j] = 1;
      order[filled++] = uint32_t(j);
    }
  }
  const auto rest = order.begin() + std::ptrdiff_t(filled);  // the other blocks, best first
  for (uint32_t j = 0; j < blocks; ++j)
    if (!taken[j]) order[filled++] = j;
  std::stable_sort(rest, order.end(), [&](uint32_t x, uint32_t y) { return score[x] > score[y]; });
}

// Large batches search reordered copies instead: every row's values permuted so the most varied
// come first (one order for all queries), each row padded with zeros to a multiple of 64 bytes
// and starting on a cache line. The 192-byte prefix that every pair pays for is then three whole
// cache lines, read with three aligned AVX-512 loads, where a query's block order gathers twelve
// 16-byte pieces from four or more lines; and by single values the order is sharper than by
// blocks (1.6 % of L2 pairs go past the prefix on MNIST). 1.3× faster natively, for one copy of
// the rows (N·D bytes, 50 ms for MNIST). The permutation changes no sum (|0 − 0| adds nothing),
// so neither the distances nor the neighbours change; rows keep their numbers.
constexpr size_t kReorderedAlign = 64;

struct ReorderedRows {
  std::vector<uint8_t> storage;  // the rows below, plus slack to start on a cache line
  U8Rows view;                   // (rows, padded_dim) row-major in storage: row[j] = original row[order[j]]
};

ReorderedRows reorder_rows(const U8Rows& rows, const std::vector<uint32_t>& order) {
  const size_t padded = (order.size() + kReorderedAlign - 1) / kReorderedAlign * kReorderedAlign;
  ReorderedRows out;
  out.storage.assign(size_t(rows.rows) * padded + kReorderedAlign, 0);
  const size_t skew = reinterpret_cast<uintptr_t>(out.storage.data()) % kReorderedAlign;
  uint8_t* values = out.storage.data() + (skew ? kReorderedAlign - skew : 0);
  for (int i = 0; i < rows.rows; ++i) {
    const uint8_t* from = row_of(rows, i);
    uint8_t* to = values + size_t(i) * padded;
    for (size_t j = 0; j < order.size(); ++j) to[j] = from[order[j]];
  }
  out.view = U8Rows{values, rows.rows, int(padded)};
  return out;
}

}  // namespace

std::vector<uint32_t> knn_detail::squared_norms(const U8Rows& rows) {
  std::vector<uint32_t> norms(static_cast<size_t>(rows.rows));
  for (int i = 0; i < rows.rows; ++i) norms[size_t(i)] = squared_norm_u8(row_of(rows, i), size_t(rows.dim));
  return norms;
}

namespace {

// [SECTION] The blocked search -------------------------------------------------------------------

// The cap while a query's list is not full yet: none (the exact key comes back).
template <class Key>
constexpr Key kNoCap = std::numeric_limits<Key>::max();

// Training rows whose keys one call computes (a buffer on the stack); the cap is refreshed
// between runs. A run of a few hundred rows keeps the call overhead small, and a cap that is a
// run old is only looser, never wrong (below).
constexpr int kKeyRun = 256;

// Queries [q_begin, q_end) against every training row not skipped, blocks of train_block
// rows × query_block queries so the training block is read from cache by all its queries.
// Writes rows [q_begin, q_end) of out.
//  - keys_of(query, t_begin, t_end, cap, keys) fills keys: (t_end − t_begin) with the Key ranked
//    on for each row, or cap where that key is ≥ cap (the capped kernels; float keys ignore it);
//  - skip(query, train_index) → true hides a training row from that query (cross-validation).
// Exactness: cap is the k-th best key when the run started (none while fewer than k are held).
// The k-th best only falls as a run goes on, so a key returned as cap is ≥ the current k-th
// best and offer() rejects it as the full key would be rejected (rule 1); keys below cap are
// exact. Every query sees its rows in increasing index, in any block shape or thread.
template <class Key, class KeysOf, class Skip>
void search_blocked(int train_rows, int q_begin, int q_end, int k, const SearchOptions& options, KeysOf keys_of,
                    Skip skip, Neighbors& out) {
  const int query_block = options.query_block;
  std::vector<Candidate<Key>> best(size_t(query_block) * size_t(k));  // (query_block, k)
  std::vector<int> filled(static_cast<size_t>(query_block));          // (query_block)
  Key keys[kKeyRun];                                                  // (kKeyRun) keys of the current run of rows
  for (int qb = q_begin; qb < q_end; qb += query_block) {
    const int qe = std::min(q_end, qb + query_block);
    std::fill(filled.begin(), filled.end(), 0);
    for (int tb = 0; tb < train_rows; tb += options.train_block) {
      const int te = std::min(train_rows, tb + options.train_block);
      for (int q = qb; q < qe; ++q) {
        Candidate<Key>* list = &best[size_t(q - qb) * size_t(k)];
        int& size = filled[size_t(q - qb)];
        for (int run = tb; run < te; run += kKeyRun) {
          const int run_end = std::min(te, run + kKeyRun);
          keys_of(q, run, run_end, size == k ? list[k - 1].key : kNoCap<Key>, keys);
          for (int t = run; t < run_end; ++t)
            if (!skip(q, t)) offer(list, size, k, keys[t - run], t);
        }
      }
    }
    for (int q = qb; q < qe; ++q) {  // unfilled slots (only if skip hid too much) stay −1 / ∞
      const Candidate<Key>* list = &best[size_t(q - qb) * size_t(k)];
      const size_t at = size_t(q) * size_t(k);
      for (int j = 0; j < filled[size_t(q - qb)]; ++j) {
        out.index[at + size_t(j)] = list[j].index;
        out.distance[at + size_t(j)] = float(list[j].key);  // uint32 above 2²⁴ rounds here only
      }
    }
  }
}

// keys_of for a distance computed pair by pair (float rows, cosine): no cap; skipped rows are
// not computed (their key is never read).
template <class KeyOf, class Skip>
auto pairwise_keys(KeyOf key_of, Skip skip) {
  return [key_of, skip](int q, int t_begin, int t_end, float, float* keys) {
    for (int t = t_begin; t < t_end; ++t)
      if (!skip(q, t)) keys[t - t_begin] = key_of(q, t);
  };
}

// The metric switch for uint8 rows: exact uint32 keys from the capped kernels, except cosine.
template <class Skip>
void search_range(const U8Rows& train, const U8Rows& queries, int q_begin, int q_end, int k, Metric metric,
                  const SearchOptions& options, const SearchPlan& plan, Skip skip, Neighbors& out) {
  const size_t dim = size_t(train.dim);
  if (metric != Metric::Cosine) {
    // L1, L2, L∞: one capped-rows call per run of rows (skipped rows are computed too: a
    // fold's share of the work in cross-validation, for a branch-free kernel).
    const CappedRowsKernelU8 kernel = capped_rows_kernel_u8(metric);
    const size_t blocks = plan.sample ? dim / kCappedBlock : 0;      // per query; 0: natural order
    std::vector<uint32_t> orders(size_t(q_end - q_begin) * blocks);  // (range, D / 16)
    std::vector<int64_t> score;                                      // scratch
    std::vector<char> taken;                                         // scratch
    for (int q = q_begin; q < q_end && blocks > 0; ++q)
      block_order_for_query(*plan.sample, row_of(queries, q),
                            std::span(orders).subspan(size_t(q - q_begin) * blocks, blocks), score, taken);
    auto keys_of = [&, kernel](int q, int t_begin, int t_end, uint32_t cap, uint32_t* keys) {
      const std::span<const uint32_t> order =
          std::span<const uint32_t>(orders).subspan(size_t(q - q_begin) * blocks, blocks);
      kernel(row_of(queries, q), row_of(train, t_begin), dim, size_t(t_end - t_begin), dim, order, cap, keys);
    };
    return search_blocked<uint32_t>(train.rows, q_begin, q_end, k, options, keys_of, skip, out);
  }
  auto run = [&](auto key_of) {
    search_blocked<float>(train.rows, q_begin, q_end, k, options, pairwise_keys(key_of, skip), skip, out);
  };
  if (plan.train_norms.empty())
    return run([&](int q, int t) { return cosine_distance_u8(row_of(queries, q), row_of(train, t), dim); });
  // Cosine from precomputed norms: one dot product per pair instead of three. Bit-for-bit the
  // same value (the same exact integer parts go into the same formula).
  std::vector<uint32_t> query_norms(static_cast<size_t>(q_end - q_begin));  // (this range)
  for (int q = q_begin; q < q_end; ++q) query_norms[size_t(q - q_begin)] = squared_norm_u8(row_of(queries, q), dim);
  const std::span<const uint32_t> train_norms = plan.train_norms;
  run([&](int q, int t) {
    return cosine_distance_u8(row_of(queries, q), row_of(train, t), dim, query_norms[size_t(q - q_begin)],
                              train_norms[size_t(t)]);
  });
}

// The metric switch for float rows: float keys, NaN → +∞; no caps.
template <class Skip>
void search_range(const F32Rows& train, const F32Rows& queries, int q_begin, int q_end, int k, Metric metric,
                  const SearchOptions& options, const SearchPlan&, Skip skip, Neighbors& out) {
  const size_t dim = size_t(train.dim);
  auto run = [&](auto distance) {
    auto key_of = [&](int q, int t) { return rank_key(distance(row_of(queries, q), row_of(train, t))); };
    search_blocked<float>(train.rows, q_begin, q_end, k, options, pairwise_keys(key_of, skip), skip, out);
  };
  using P = const float*;
  switch (metric) {
    case Metric::L1: return run([dim](P a, P b) { return l1_f32(a, b, dim); });
    case Metric::L2: return run([dim](P a, P b) { return squared_l2_f32(a, b, dim); });
    case Metric::Linf: return run([dim](P a, P b) { return linf_f32(a, b, dim); });
    case Metric::Cosine: return run([dim](P a, P b) { return cosine_distance_f32(a, b, dim); });
  }
}

// Threads actually used: wasm builds have none to spare; never more than there are queries.
int usable_threads(int requested, int query_count) {
  if constexpr (kTargetWasm) return 1;
  return std::max(1, std::min(requested, query_count));
}

// All queries, split into contiguous slices over threads (each slice writes its own rows of
// out, so no locking). Any exception in a worker is rethrown here after all have joined.
template <class Rows, class Skip>
Neighbors search_all(const Rows& train, const Rows& queries, int k, Metric metric, const SearchOptions& options,
                     const SearchPlan& plan, Skip skip) {
  Neighbors out{queries.rows, k, {}, {}};
  out.index.assign(size_t(queries.rows) * size_t(k), -1);
  out.distance.assign(out.index.size(), std::numeric_limits<float>::infinity());
  const int threads = usable_threads(options.threads, queries.rows);
  auto slice = [&](int t) {
    const int begin = int(int64_t(queries.rows) * t / threads);
    const int end = int(int64_t(queries.rows) * (t + 1) / threads);
    search_range(train, queries, begin, end, k, metric, options, plan, skip, out);
  };
#if !IMPLAY_TARGET_WASM  // no std::thread in wasm builds (usable_threads gives 1)
  if (threads > 1) {
    std::vector<std::exception_ptr> errors(static_cast<size_t>(threads));
    auto guarded_slice = [&](int t) {
      try {
        slice(t);
      } catch (...) {
        errors[size_t(t)] = std::current_exception();
      }
    };
    std::vector<std::thread> workers;
    std::vector<int> here = {0};  // slices this thread runs: 0, and any no thread could take
    for (int t = 1; t < threads; ++t) {
      try {
        workers.emplace_back(guarded_slice, t);
      } catch (const std::system_error&) {
        here.push_back(t);
      }
    }
    for (int t : here) guarded_slice(t);
    for (std::thread& worker : workers) worker.join();
    for (const std::exception_ptr& error : errors)
      if (error) std::rethrow_exception(error);
    return out;
  }
#endif
  slice(0);
  return out;
}

auto no_skip() {
  return [](int, int) { return false; };
}

// Hides from query q (example first + q) the rows of its own fold.
auto other_folds_only(const int32_t* fold_of, int first) {
  return [fold_of, first](int q, int t) { return fold_of[first + q] == fold_of[t]; };
}

}  // namespace

Neighbors knn_detail::search_other_folds(const U8Rows& data, const U8Rows& queries, int k, Metric metric,
                                         const SearchOptions& options, const SearchPlan& plan, const int32_t* fold_of,
                                         int first) {
  return search_all(data, queries, k, metric, options, plan, other_folds_only(fold_of, first));
}

Neighbors knn_detail::search_other_folds(const F32Rows& data, const F32Rows& queries, int k, Metric metric,
                                         const SearchOptions& options, const SearchPlan& plan, const int32_t* fold_of,
                                         int first) {
  return search_all(data, queries, k, metric, options, plan, other_folds_only(fold_of, first));
}

// [SECTION] Search -------------------------------------------------------------------------------

std::span<const int32_t> Neighbors::index_of(int query) const {
  return std::span<const int32_t>(index).subspan(size_t(query) * size_t(k), size_t(k));
}
std::span<const float> Neighbors::distance_of(int query) const {
  return std::span<const float>(distance).subspan(size_t(query) * size_t(k), size_t(k));
}

Neighbors search(const U8Rows& train, const U8Rows& queries, int k, Metric metric, const SearchOptions& options) {
  check_search(train.rows, train.dim, queries.rows, queries.dim, k);
  check_metric(metric);
  check_options(options);
  if (metric != Metric::Cosine && queries.rows >= options.reorder_min_queries) {
    // Big batch: search reordered copies in their natural order (see ReorderedRows).
    const std::vector<uint32_t> order = value_order_by_variance(sample_sums(train));
    const ReorderedRows reordered_train = reorder_rows(train, order);
    const ReorderedRows reordered_queries = reorder_rows(queries, order);
    return search_all(reordered_train.view, reordered_queries.view, k, metric, options, SearchPlan{}, no_skip());
  }
  const U8PlanStorage plan(train, metric, queries.rows);
  return search_all(train, queries, k, metric, options, plan.plan(), no_skip());
}

Neighbors search(const F32Rows& train, const F32Rows& queries, int k, Metric metric, const SearchOptions& options) {
  check_search(train.rows, train.dim, queries.rows, queries.dim, k);
  check_metric(metric);
  check_options(options);
  return search_all(train, queries, k, metric, options, SearchPlan{}, no_skip());
}

// One query needs no blocking: a single block of all rows keeps the loop plain.
Neighbors search_one(const U8Rows& train, const uint8_t* query, int k, Metric metric) {
  return search(train, U8Rows{query, 1, train.dim}, k, metric, SearchOptions{1, std::max(train.rows, 1), 1});
}

Neighbors search_one(const F32Rows& train, const float* query, int k, Metric metric) {
  return search(train, F32Rows{query, 1, train.dim}, k, metric, SearchOptions{1, std::max(train.rows, 1), 1});
}

float true_distance(Metric metric, float distance) {
  return metric_is_squared(metric) ? std::sqrt(std::max(distance, 0.0f)) : distance;
}

// [SECTION] Voting -------------------------------------------------------------------------------

namespace knn_detail {

// True distances of the first k neighbours of one query, for weighted votes.
std::vector<float> true_distances(std::span<const float> distances, Metric metric) {
  std::vector<float> result(distances.begin(), distances.end());
  for (float& d : result) d = true_distance(metric, d);
  return result;
}

// Vote of the first k of one neighbour list (true_dist: (≥ k) true distances, or empty).
int vote_prefix(std::span<const int32_t> index, std::span<const float> true_dist, int k,
                std::span<const uint8_t> labels, int num_classes, bool weighted) {
  return vote(index.first(size_t(k)), weighted ? true_dist.first(size_t(k)) : true_dist.first(0), labels, num_classes,
              weighted)
      .label;
}

}  // namespace knn_detail

namespace {

// The element type of a row view: uint8_t for U8Rows, float for F32Rows.
template <class Rows>
using ValueOf = std::remove_const_t<std::remove_pointer_t<decltype(Rows::data)>>;

template <class Rows>
Vote classify_rows(const Rows& train, std::span<const uint8_t> labels, int num_classes, const ValueOf<Rows>* query,
                   const KnnParams& params) {
  check_labels(labels, train.rows, num_classes);  // O(N), small next to the N·D search
  Neighbors found = search_one(train, query, params.k, params.metric);
  return vote(found.index, true_distances(found.distance, params.metric), labels, num_classes, params.weighted);
}

template <class Rows>
std::vector<int> predict_rows(const Rows& train, std::span<const uint8_t> labels, int num_classes, const Rows& queries,
                              const KnnParams& params, const SearchOptions& options) {
  check_labels(labels, train.rows, num_classes);
  return predict(search(train, queries, params.k, params.metric, options), labels, num_classes, params);
}

}  // namespace

Vote vote(std::span<const int32_t> neighbor_index, std::span<const float> neighbor_distance,
          std::span<const uint8_t> train_labels, int num_classes, bool weighted) {
  if (num_classes < 1) throw Error("num_classes = " + to_string(num_classes) + " must be ≥ 1");
  if (neighbor_index.empty()) throw Error("a vote needs at least one neighbour");
  if (weighted && neighbor_distance.size() != neighbor_index.size())
    throw Error("weighted vote: " + to_string(neighbor_distance.size()) + " distances for " +
                to_string(neighbor_index.size()) + " neighbours");
  Vote result;
  result.votes.assign(size_t(num_classes), 0.0f);
  for (size_t i = 0; i < neighbor_index.size(); ++i) {
    const int32_t row = neighbor_index[i];
    if (row < 0 || size_t(row) >= train_labels.size())
      throw Error("neighbour index " + to_string(row) + " is outside the " + to_string(train_labels.size()) +
                  " training labels");
    const int label = train_labels[size_t(row)];
    if (label >= num_classes)
      throw Error("label " + to_string(label) + " is not below num_classes = " + to_string(num_classes));
    // Weighted: w = 1/(d + ε), near neighbours count more; unweighted: w = 1.
    result.votes[size_t(label)] += weighted ? 1.0f / (neighbor_distance[i] + kVoteEpsilon) : 1.0f;
  }
  // max_element returns the first maximum, i.e. the smallest label among tied classes (rule 2).
  const auto top = std::max_element(result.votes.begin(), result.votes.end());
  result.label = int(top - result.votes.begin());
  result.tied = std::count(result.votes.begin(), result.votes.end(), *top) > 1;
  const float total = std::accumulate(result.votes.begin(), result.votes.end(), 0.0f);
  result.share = total > 0.0f ? *top / total : 0.0f;
  return result;
}

Vote classify(const U8Rows& train, std::span<const uint8_t> train_labels, int num_classes, const uint8_t* query,
              const KnnParams& params) {
  return classify_rows(train, train_labels, num_classes, query, params);
}

Vote classify(const F32Rows& train, std::span<const uint8_t> train_labels, int num_classes, const float* query,
              const KnnParams& params) {
  return classify_rows(train, train_labels, num_classes, query, params);
}

std::vector<int> predict(const Neighbors& neighbors, std::span<const uint8_t> train_labels, int num_classes,
                         const KnnParams& params) {
  if (params.k < 1 || params.k > neighbors.k)
    throw Error("k = " + to_string(params.k) + " must be between 1 and the " + to_string(neighbors.k) +
                " neighbours searched");
  std::vector<int> labels(size_t(neighbors.queries));
  for (int q = 0; q < neighbors.queries; ++q) {
    const std::vector<float> dist = true_distances(neighbors.distance_of(q), params.metric);
    labels[size_t(q)] = vote_prefix(neighbors.index_of(q), dist, params.k, train_labels, num_classes, params.weighted);
  }
  return labels;
}

std::vector<int> predict(const U8Rows& train, std::span<const uint8_t> train_labels, int num_classes,
                         const U8Rows& queries, const KnnParams& params, const SearchOptions& options) {
  return predict_rows(train, train_labels, num_classes, queries, params, options);
}

std::vector<int> predict(const F32Rows& train, std::span<const uint8_t> train_labels, int num_classes,
                         const F32Rows& queries, const KnnParams& params, const SearchOptions& options) {
  return predict_rows(train, train_labels, num_classes, queries, params, options);
}

double accuracy(std::span<const int> predicted, std::span<const uint8_t> labels) {
  if (predicted.size() != labels.size())
    throw Error(to_string(predicted.size()) + " predictions for " + to_string(labels.size()) + " labels");
  if (predicted.empty()) return 0.0;
  size_t correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == int(labels[i]);
  return double(correct) / double(predicted.size());
}

// [SECTION] Splits and gathering -----------------------------------------------------------------

namespace {

// A number as a person would write it in a message: 0.2, not 0.200000.
std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

// rows[indices] as one (M, dim) row-major buffer.
template <class Rows>
std::vector<ValueOf<Rows>> gather(const Rows& rows, std::span<const int32_t> indices) {
  std::vector<ValueOf<Rows>> out;
  out.reserve(indices.size() * size_t(std::max(rows.dim, 0)));
  for (int32_t i : indices) {
    if (i < 0 || i >= rows.rows)
      throw Error("row index " + to_string(i) + " is outside the " + to_string(rows.rows) + " rows");
    out.insert(out.end(), row_of(rows, i), row_of(rows, i) + rows.dim);
  }
  return out;
}

}  // namespace

Split split_indices(int n, double validation_fraction, double test_fraction, uint64_t seed) {
  if (n < 0) throw Error("cannot split n = " + to_string(n) + " examples");
  for (auto [name, fraction] :
       {std::pair{"validation_fraction", validation_fraction}, std::pair{"test_fraction", test_fraction}})
    if (!(fraction >= 0.0 && fraction < 1.0))  // also rejects NaN
      throw Error(std::string(name) + " = " + format_number(fraction) + " must be in [0, 1)");
  const int64_t test = std::llround(double(n) * test_fraction);
  const int64_t validation = std::llround(double(n) * validation_fraction);
  if (n > 0 && test + validation >= n)
    throw Error("validation_fraction = " + format_number(validation_fraction) + " and test_fraction = " +
                format_number(test_fraction) + " leave no training examples out of " + to_string(n));
  // (n) shuffled indices: the first `test` are test, the next `validation` validation.
  std::vector<int32_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed);
  rng.shuffle(std::span<int32_t>(order));
  auto sorted_part = [&](int64_t begin, int64_t end) {
    std::vector<int32_t> part(order.begin() + begin, order.begin() + end);
    std::sort(part.begin(), part.end());
    return part;
  };
  return Split{sorted_part(test + validation, n), sorted_part(test, test + validation), sorted_part(0, test)};
}

std::vector<uint8_t> gather_rows(const U8Rows& rows, std::span<const int32_t> indices) { return gather(rows, indices); }

std::vector<float> gather_rows(const F32Rows& rows, std::span<const int32_t> indices) { return gather(rows, indices); }

std::vector<uint8_t> gather_labels(std::span<const uint8_t> labels, std::span<const int32_t> indices) {
  std::vector<uint8_t> out;
  out.reserve(indices.size());
  for (int32_t i : indices) {
    if (i < 0 || size_t(i) >= labels.size())
      throw Error("label index " + to_string(i) + " is outside the " + to_string(labels.size()) + " labels");
    out.push_back(labels[size_t(i)]);
  }
  return out;
}

}  // namespace implay
