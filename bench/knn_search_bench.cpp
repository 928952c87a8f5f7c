// knn_search_bench.cpp — times core/knn/knn.hpp's batched exact search alone (loading excluded): every
// test row against every training row, then the vote. bench/knn_vs_faiss.py runs it next to
// FAISS IndexFlatL2 on the same MNIST queries; see bench/README.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "core/error.hpp"
#include "core/knn/distance.hpp"
#include "core/knn/knn.hpp"
#include "io/data_files.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"k-NN search benchmark: exact top-k of every test image among the training images (uint8 kernels)"};
  std::string train_name = "mnist", test_name = "mnist-test";
  int k = 3;
  std::string metric_text = "l2";
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  int repeat = 1;
  app.add_option("--train", train_name, "training set: mnist or mnist-test")->capture_default_str();
  app.add_option("--test", test_name, "queries: mnist or mnist-test")->capture_default_str();
  app.add_option("--k", k, "neighbours per query")->capture_default_str();
  app.add_option("--metric", metric_text, "l1, l2, linf or cosine")->capture_default_str();
  app.add_option("--threads", threads, "threads that split the queries")->capture_default_str();
  app.add_option("--repeat", repeat, "timed runs; the fastest is reported")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    using namespace implay;
    const Metric metric = parse_metric(metric_text);
    const LabeledImages train = load_named_dataset(train_name);
    const LabeledImages test = load_named_dataset(test_name);
    const U8Rows train_rows{train.pixels.data(), train.count, train.dim()};  // (N, D) uint8
    const U8Rows test_rows{test.pixels.data(), test.count, test.dim()};      // (Q, D) uint8
    const SearchOptions options{.threads = threads};
    const KnnParams params{k, metric, false};

    double best_search = 1e300, best_vote = 1e300;
    std::vector<int> predicted;  // (Q)
    for (int run = 0; run < std::max(1, repeat); ++run) {
      auto start = std::chrono::steady_clock::now();
      const Neighbors neighbors = search(train_rows, test_rows, k, metric, options);
      best_search = std::min(best_search, seconds_since(start));
      start = std::chrono::steady_clock::now();
      predicted = predict(neighbors, train.labels, 10, params);
      best_vote = std::min(best_vote, seconds_since(start));
    }
    int correct = 0;
    for (int q = 0; q < test.count; ++q) correct += predicted[size_t(q)] == int(test.labels[size_t(q)]);

    std::printf(
        "implay search: %d queries x %d training rows x %d uint8 values, k=%d, %s, %d threads, %s kernels: "
        "search %.3f s, vote %.4f s, accuracy %.4f (%d/%d)\n",
        test.count, train.count, train.dim(), k, metric_name(metric), threads, integer_kernels_name(), best_search,
        best_vote, double(correct) / test.count, correct, test.count);
    // The last line is for bench/knn_vs_faiss.py. backend: the integer kernels the CPU dispatch picked.
    std::printf(
        "{\"search_seconds\": %.6f, \"vote_seconds\": %.6f, \"correct\": %d, \"queries\": %d, \"threads\": %d, "
        "\"backend\": \"%s\"}\n",
        best_search, best_vote, correct, test.count, threads, integer_kernels_name());
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "knn_search_bench: error: " << e.what() << "\n";
    return 1;
  }
}
