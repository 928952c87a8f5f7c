// cmd_knn.cpp — `implay knn` (classify a test set by its nearest training rows, print labels or
// JSON and the accuracy) and `implay knn-cv` (choose k by k-fold cross-validation). Data is a
// labelled CSV (core/data/csv.hpp) or `mnist` / `mnist-test` (io/data_files.hpp); the search,
// the vote and the folds are core/knn/knn.hpp's.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "core/data/csv.hpp"
#include "core/error.hpp"
#include "core/knn/distance.hpp"
#include "core/knn/knn.hpp"
#include "io/data_files.hpp"

namespace implay::cli {
namespace {

// [SECTION] Loading a labelled set ------------------------------------------------------------

// One labelled set as the CLI holds it: uint8 values when every value is an integer 0..255
// (MNIST, pixel CSVs: the exact integer kernels), float otherwise.
struct LabeledSet {
  std::string name;             // as the user gave it: a CSV path, or mnist / mnist-test
  int rows = 0;                 // N
  int dim = 0;                  // D values per row
  bool is_u8 = false;           // true: values live in u8; false: in f32
  std::vector<uint8_t> u8;      // (N, D) row-major, when is_u8
  std::vector<float> f32;       // (N, D) row-major, when !is_u8
  std::vector<uint8_t> labels;  // (N)

  U8Rows u8_rows() const { return {u8.data(), rows, dim}; }
  F32Rows f32_rows() const { return {f32.data(), rows, dim}; }
  // Switches a uint8 set to float, for pairing with a float set (the kernels take one type).
  void convert_to_f32() {
    if (!is_u8) return;
    f32.assign(u8.begin(), u8.end());
    u8 = {};
    is_u8 = false;
  }
  // Keeps the first n rows (n ≥ rows keeps all).
  void keep_first(int n) {
    if (n >= rows) return;
    rows = n;
    labels.resize(size_t(n));
    if (is_u8)
      u8.resize(size_t(n) * size_t(dim));
    else
      f32.resize(size_t(n) * size_t(dim));
  }
};

LabeledSet load_set(const std::string& name) {
  LabeledSet set;
  set.name = name;
  if (resolve_dataset_name(name)) {
    LabeledImages images = load_named_dataset(name);
    set.rows = images.count;
    set.dim = images.dim();
    set.is_u8 = true;
    set.u8 = std::move(images.pixels);
    set.labels = std::move(images.labels);
    return set;
  }
  if (std::filesystem::is_directory(name))
    throw Error(name + ": is a folder; name a labelled CSV file, or mnist / mnist-test");
  LabeledCsv csv = load_labeled_csv(name);
  set.rows = csv.rows;
  set.dim = csv.dim;
  set.is_u8 = csv.features_are_u8;
  if (set.is_u8)
    set.u8 = csv.features_u8();
  else
    set.f32 = std::move(csv.features);
  set.labels = std::move(csv.labels);
  return set;
}

int num_classes_of(std::initializer_list<const LabeledSet*> sets) {
  int highest = 0;
  for (const LabeledSet* set : sets)
    for (uint8_t label : set->labels) highest = std::max<int>(highest, label);
  return highest + 1;
}

// [SECTION] Shared options and output helpers ------------------------------------------------

int default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string values_per_row(int dim) { return std::to_string(dim) + (dim == 1 ? " value" : " values") + " per row"; }

const std::vector<std::string> kMetricNames = {"l1", "l2", "linf", "cosine"};

CLI::Option* add_metric_option(CLI::App* cmd, std::string& metric) {
  return cmd
      ->add_option("--metric", metric, "distance: l1, l2 (ranked squared, reported as true distance), linf, cosine")
      ->check(CLI::IsMember(kMetricNames))
      ->capture_default_str();
}

// [SECTION] implay knn --------------------------------------------------------------------------

struct KnnOptions {
  std::string train;                // CSV path or mnist / mnist-test
  std::string test;                 // CSV path or mnist / mnist-test
  int k = KnnParams{}.k;            // neighbours that vote
  std::string metric = "l2";        // one of kMetricNames
  bool weighted = false;            // 1/(d + ε) votes instead of one each
  bool json = false;                // one JSON object per test row instead of a bare label
  int threads = default_threads();  // queries split over this many threads
};

int run_knn(const KnnOptions& options) {
  const Metric metric = parse_metric(options.metric);
  LabeledSet train = load_set(options.train);
  LabeledSet test = load_set(options.test);
  if (train.dim != test.dim)
    throw Error("dimension mismatch: " + train.name + " has " + values_per_row(train.dim) + ", " + test.name + " has " +
                values_per_row(test.dim) + "; train and test rows must have the same length");
  if (options.k > train.rows)
    throw Error("--k " + std::to_string(options.k) + " is larger than the " + std::to_string(train.rows) +
                " training examples in " + train.name + " (k must be between 1 and " + std::to_string(train.rows) +
                ")");
  // The exact integer kernels need both sides in uint8; otherwise both go to float.
  if (!(train.is_u8 && test.is_u8)) {
    train.convert_to_f32();
    test.convert_to_f32();
  }
  const int num_classes = num_classes_of({&train, &test});
  const KnnParams params{options.k, metric, options.weighted};
  const SearchOptions search_options{.threads = options.threads};

  const auto start = std::chrono::steady_clock::now();
  const Neighbors neighbors = train.is_u8 ? search(train.u8_rows(), test.u8_rows(), params.k, metric, search_options)
                                          : search(train.f32_rows(), test.f32_rows(), params.k, metric, search_options);
  const std::vector<int> predicted = predict(neighbors, train.labels, num_classes, params);  // (Q)
  const double elapsed = seconds_since(start);

  std::string out;  // all of stdout, written at once: 10,000 small writes are slow on a pipe
  for (int q = 0; q < test.rows; ++q) {
    if (!options.json) {
      out += std::to_string(predicted[size_t(q)]);
      out += '\n';
      continue;
    }
    // Arrays first, then the object: ordered_json keeps its members in a vector, so a reference
    // to one member would dangle once the next is added.
    nlohmann::ordered_json indices = nlohmann::ordered_json::array(), labels = indices, distances = indices;
    const auto index = neighbors.index_of(q);        // (k)
    const auto distance = neighbors.distance_of(q);  // (k), squared for L2
    for (int j = 0; j < neighbors.k; ++j) {
      indices.push_back(index[size_t(j)]);
      labels.push_back(train.labels[size_t(index[size_t(j)])]);
      distances.push_back(shortest_decimal(true_distance(metric, distance[size_t(j)])));
    }
    nlohmann::ordered_json row;  // ordered: "label" first, as a person reads it
    row["label"] = predicted[size_t(q)];
    row["true_label"] = test.labels[size_t(q)];
    row["neighbors"] = std::move(indices);
    row["neighbor_labels"] = std::move(labels);
    row["distances"] = std::move(distances);
    out += row.dump();
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);

  int correct = 0;
  for (int q = 0; q < test.rows; ++q) correct += predicted[size_t(q)] == int(test.labels[size_t(q)]);
  char timing[256];
  std::snprintf(timing, sizeof(timing),
                "knn: %d queries x %d training rows x %d values, k=%d, %s%s, %s kernels, %d thread%s: %.2f s\n",
                test.rows, train.rows, train.dim, params.k, metric_name(metric), params.weighted ? " weighted" : "",
                train.is_u8 ? "uint8" : "float", search_options.threads, search_options.threads == 1 ? "" : "s",
                elapsed);
  std::cerr << timing;
  // The last line of stderr, always: scripts and tests read it.
  std::cerr << "accuracy: " << fixed4(double(correct) / double(test.rows)) << " (" << correct << "/" << test.rows
            << ")\n";
  return 0;
}

void add_knn(CLI::App& app, Runner& run) {
  auto* cmd =
      app.add_subcommand("knn", "Classify a test set by its k nearest training rows; print labels and accuracy");
  auto options = std::make_shared<KnnOptions>();
  cmd->add_option("--train", options->train, "training set: a labelled CSV (label, features...) or mnist / mnist-test")
      ->required();
  cmd->add_option("--test", options->test, "test set: a labelled CSV or mnist / mnist-test")->required();
  cmd->add_option("--k", options->k, "neighbours that vote (1..training rows, at most 100000)")
      ->check(integer_in(1, 100000))
      ->capture_default_str();
  add_metric_option(cmd, options->metric);
  cmd->add_flag("--weighted", options->weighted, "weight each vote by 1/(distance + 1e-6) instead of one vote each");
  cmd->add_flag("--json", options->json,
                "one JSON object per test row: label, true_label, neighbors, neighbor_labels, distances");
  cmd->add_option("--threads", options->threads, "threads that split the queries (1..256, default: all cores)")
      ->check(integer_in(1, 256))
      ->capture_default_str();
  cmd->footer(
      "stdout: one predicted label per test row (or JSON lines). stderr ends with "
      "`accuracy: 0.9705 (9705/10000)`.");
  cmd->callback([&run, options] { run = [options] { return run_knn(*options); }; });
}

// [SECTION] implay knn-cv -----------------------------------------------------------------------

struct KnnCvOptions {
  std::string data;                       // CSV path or mnist / mnist-test
  int folds = 5;                          // F parts, each validates once
  std::vector<int> ks = {1, 3, 5, 7, 9};  // (K) candidates
  std::string metric = "l2";              // one of kMetricNames
  int limit = 0;                          // > 0: only the first `limit` examples
  uint64_t seed = CvParams{}.seed;        // fold shuffle
  bool weighted = false;
  bool json = false;
  int threads = default_threads();
};

int run_knn_cv(const KnnCvOptions& options) {
  LabeledSet data = load_set(options.data);
  if (options.limit > 0) data.keep_first(options.limit);
  CvParams params;
  params.folds = options.folds;
  params.ks = options.ks;
  params.metric = parse_metric(options.metric);
  params.weighted = options.weighted;
  params.seed = options.seed;
  params.threads = options.threads;
  const int num_classes = num_classes_of({&data});

  const auto start = std::chrono::steady_clock::now();
  CvResult result;
  try {
    result = data.is_u8 ? cross_validate_k(data.u8_rows(), data.labels, num_classes, params)
                        : cross_validate_k(data.f32_rows(), data.labels, num_classes, params);
  } catch (const Error& e) {
    throw Error(data.name + ": " + e.what());  // "k = 25 is larger than..." of which data set
  }
  const double elapsed = seconds_since(start);
  const int folds = result.folds;
  auto fold_accuracy = [&](size_t i, int f) { return result.fold_accuracy[i * size_t(folds) + size_t(f)]; };
  const size_t best = size_t(std::find(result.ks.begin(), result.ks.end(), result.best_k) - result.ks.begin());

  if (options.json) {
    nlohmann::ordered_json out;
    out["data"] = data.name;
    out["examples"] = data.rows;
    out["dim"] = data.dim;
    out["folds"] = folds;
    out["seed"] = params.seed;
    out["metric"] = metric_name(params.metric);
    out["weighted"] = params.weighted;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();  // one per k
    for (size_t i = 0; i < result.ks.size(); ++i) {
      nlohmann::ordered_json per_fold = nlohmann::ordered_json::array();  // (F)
      for (int f = 0; f < folds; ++f) per_fold.push_back(fold_accuracy(i, f));
      nlohmann::ordered_json row;
      row["k"] = result.ks[i];
      row["mean"] = result.mean[i];
      row["std"] = result.stddev[i];
      row["fold_accuracy"] = std::move(per_fold);
      rows.push_back(std::move(row));
    }
    out["results"] = std::move(rows);
    out["best_k"] = result.best_k;
    out["best_mean"] = result.mean[best];
    std::cout << out.dump() << '\n';
  } else {
    std::cout << "k-fold cross-validation: " << data.name << ", " << data.rows << " examples x " << data.dim
              << " values, " << folds << " folds (seed " << params.seed << "), metric " << metric_name(params.metric)
              << (params.weighted ? ", weighted vote" : ", majority vote") << "\n";
    char cell[64];
    std::snprintf(cell, sizeof(cell), "%5s  %6s  %6s", "k", "mean", "std");
    std::cout << cell;
    for (int f = 0; f < folds; ++f) {
      const std::string title = "fold " + std::to_string(f + 1);
      std::snprintf(cell, sizeof(cell), "%9s", title.c_str());  // as wide as "   0.8000"
      std::cout << cell;
    }
    std::cout << '\n';
    for (size_t i = 0; i < result.ks.size(); ++i) {
      std::snprintf(cell, sizeof(cell), "%5d  %.4f  %.4f", result.ks[i], result.mean[i], result.stddev[i]);
      std::cout << cell;
      for (int f = 0; f < folds; ++f) {
        std::snprintf(cell, sizeof(cell), "   %.4f", fold_accuracy(i, f));
        std::cout << cell;
      }
      std::cout << '\n';
    }
    std::cout << "best k: " << result.best_k << " (mean accuracy " << fixed4(result.mean[best]) << ")\n";
  }
  std::cout.flush();
  char timing[160];
  std::snprintf(timing, sizeof(timing),
                "knn-cv: %zu k values x %d folds on %d examples, %s kernels, %d thread%s: %.2f s\n", result.ks.size(),
                folds, data.rows, data.is_u8 ? "uint8" : "float", params.threads, params.threads == 1 ? "" : "s",
                elapsed);
  std::cerr << timing;
  return 0;
}

void add_knn_cv(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("knn-cv", "Choose k for k-NN by k-fold cross-validation: mean and std accuracy per k");
  auto options = std::make_shared<KnnCvOptions>();
  cmd->add_option("--data", options->data, "labelled set: a CSV (label, features...) or mnist / mnist-test")
      ->required();
  cmd->add_option("--folds", options->folds, "number of folds (2..examples, at most 1000)")
      ->check(integer_in(2, 1000))
      ->capture_default_str();
  cmd->add_option("--ks", options->ks, "candidate k values, comma-separated (each 1..100000)")
      ->delimiter(',')
      ->check(integer_in(1, 100000))
      ->capture_default_str();
  add_metric_option(cmd, options->metric);
  cmd->add_option("--limit", options->limit, "use only the first N examples (1..100000000)")
      ->check(integer_in(1, 100000000));
  cmd->add_option("--seed", options->seed, "seed of the fold shuffle (same seed, same folds)")->capture_default_str();
  cmd->add_flag("--weighted", options->weighted, "weight each vote by 1/(distance + 1e-6) instead of one vote each");
  cmd->add_flag("--json", options->json, "print one JSON object instead of the table");
  cmd->add_option("--threads", options->threads, "threads that split the queries (1..256, default: all cores)")
      ->check(integer_in(1, 256))
      ->capture_default_str();
  cmd->callback([&run, options] { run = [options] { return run_knn_cv(*options); }; });
}

}  // namespace

void add_knn_commands(CLI::App& app, Runner& run) {
  add_knn(app, run);
  add_knn_cv(app, run);
}

}  // namespace implay::cli
