// knn_kernels.cpp — the C entry points of the browser benchmark's wasm module (bench_knn_wasm):
// thin wrappers that hand the page's MNIST bytes to core/knn/knn.hpp (search_one, search) and to
// core/knn/distance.hpp's dispatching uint8 kernels. Nothing is re-implemented here; the page
// (knn_bench.js) does the timing, the plain-JS and tfjs baselines and the checks.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <exception>
#include <string>

#include "core/knn/distance.hpp"
#include "core/knn/knn.hpp"
#include "core/target.hpp"

namespace {

std::string last_error;  // message of the last exception an entry point caught

// Metric numbers of the page: 0 = L1, 1 = squared L2 (implay::Metric's order).
bool metric_from_number(int number, implay::Metric& metric) {
  if (number != int(implay::Metric::L1) && number != int(implay::Metric::L2)) {
    last_error = "bench metric number " + std::to_string(number) + " (valid: 0 = l1, 1 = l2)";
    return false;
  }
  metric = implay::Metric(number);
  return true;
}

// out[q·N + i] = convert(distance(query q, row i)): the bare distance loop, no top-k.
// train: (N, D) uint8, queries: (Q, D) uint8, out: (Q, N).
template <class Out, class Kernel>
void fill_distances(const uint8_t* train, int rows, int dim, const uint8_t* queries, int query_count, Kernel kernel,
                    Out* out) {
  const size_t d = size_t(dim);
  for (int q = 0; q < query_count; ++q) {
    const uint8_t* query = queries + size_t(q) * d;
    Out* row_out = out + size_t(q) * size_t(rows);
    for (int i = 0; i < rows; ++i) row_out[i] = Out(kernel(train + size_t(i) * d, query, d));
  }
}

template <class Out>
int distances(const uint8_t* train, int rows, int dim, const uint8_t* queries, int query_count, int metric_number,
              Out* out) {
  implay::Metric metric;
  if (!metric_from_number(metric_number, metric)) return -1;
  using P = const uint8_t*;
  if (metric == implay::Metric::L1)
    fill_distances(
        train, rows, dim, queries, query_count, [](P a, P b, size_t n) { return implay::l1_u8(a, b, n); }, out);
  else
    fill_distances(
        train, rows, dim, queries, query_count, [](P a, P b, size_t n) { return implay::squared_l2_u8(a, b, n); }, out);
  return 0;
}

// Copies a search result into the page's buffers: out_index, out_distance: (Q, k).
void copy_neighbors(const implay::Neighbors& found, int32_t* out_index, float* out_distance) {
  for (size_t j = 0; j < found.index.size(); ++j) {
    out_index[j] = found.index[j];
    out_distance[j] = found.distance[j];
  }
}

}  // namespace

extern "C" {

// "WebAssembly SIMD128" when the core runs its explicit SIMD kernels (they must, here): the name
// of target.hpp's active_kernel_set().
EMSCRIPTEN_KEEPALIVE const char* bench_backend_name() { return implay::kernel_set_name(implay::active_kernel_set()); }

// Message of the last failed call (an entry point returned −1).
EMSCRIPTEN_KEEPALIVE const char* bench_last_error() { return last_error.c_str(); }

// Bare distance loop, float output as the UI keeps it: out: (Q, N) float.
// L1 ≤ 784·255 is exact in float; squared L2 above 2²⁴ rounds (the uint32 version is exact).
EMSCRIPTEN_KEEPALIVE int bench_distances_f32(const uint8_t* train, int rows, int dim, const uint8_t* queries,
                                             int query_count, int metric, float* out) {
  return distances(train, rows, dim, queries, query_count, metric, out);
}

// The same loop with the exact uint32 distances, for the equality check: out: (Q, N) uint32.
EMSCRIPTEN_KEEPALIVE int bench_distances_u32(const uint8_t* train, int rows, int dim, const uint8_t* queries,
                                             int query_count, int metric, uint32_t* out) {
  return distances(train, rows, dim, queries, query_count, metric, out);
}

// core search_one: the k nearest of one query (D) among train (N, D); distances + top-k.
// out_index, out_distance: (k). Returns 0, or −1 with bench_last_error() set.
EMSCRIPTEN_KEEPALIVE int bench_search_one(const uint8_t* train, int rows, int dim, const uint8_t* query, int k,
                                          int metric_number, int32_t* out_index, float* out_distance) {
  try {
    implay::Metric metric;
    if (!metric_from_number(metric_number, metric)) return -1;
    copy_neighbors(implay::search_one(implay::U8Rows{train, rows, dim}, query, k, metric), out_index, out_distance);
    return 0;
  } catch (const std::exception& e) {
    last_error = e.what();
    return -1;
  }
}

// core search: the k nearest of each of Q queries (Q, D), blocked with the default
// SearchOptions (one thread in wasm). out_index, out_distance: (Q, k).
EMSCRIPTEN_KEEPALIVE int bench_search(const uint8_t* train, int rows, int dim, const uint8_t* queries, int query_count,
                                      int k, int metric_number, int32_t* out_index, float* out_distance) {
  try {
    implay::Metric metric;
    if (!metric_from_number(metric_number, metric)) return -1;
    copy_neighbors(
        implay::search(implay::U8Rows{train, rows, dim}, implay::U8Rows{queries, query_count, dim}, k, metric),
        out_index, out_distance);
    return 0;
  } catch (const std::exception& e) {
    last_error = e.what();
    return -1;
  }
}

}  // extern "C"
