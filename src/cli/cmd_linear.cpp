// cmd_linear.cpp — `implay loss` (the losses of core/linear/losses.hpp on scores typed on the command
// line: per-example losses, their mean and its gradient) and `implay linear train|eval` (train
// the linear classifier of core/linear/linear_train.hpp on MNIST or a labelled CSV, save it, and score a
// saved model: accuracy and confusion matrix). Features are core/linear/features.hpp's; data loading
// follows cmd_knn.cpp (core/data/csv.hpp, io/data_files.hpp).
//
// Index: [helpers] [implay loss] [data and features] [implay linear train] [implay linear eval]
//
// Exit codes as main.cpp: 2 for bad usage — for `loss` that is every problem with --scores /
// --labels (they are its only data) — and 1 for unreadable or unusable data files and models.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "core/data/csv.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear.hpp"
#include "core/linear/linear_train.hpp"
#include "core/linear/losses.hpp"
#include "io/data_files.hpp"

namespace implay::cli {
namespace {

// [SECTION] helpers ------------------------------------------------------------------------------
// A finite decimal number, the whole of `text` but for surrounding spaces; nullopt otherwise.
std::optional<float> parse_float(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  float value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string shortest_text(float value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

// "1 feature", "784 features".
std::string count_of(long long n, const char* noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

const std::vector<std::string> kLossNames = {"svm", "ova", "structured", "softmax", "bce"};

// [SECTION] implay loss --------------------------------------------------------------------------

// --scores "3.2,5.1,-1.7;1.3,4.9,2.0": rows (examples) separated by ';', the C class scores of a
// row by ','. Returns an error message ("" when fine) and, when `out` is given, the scores (N, C).
std::string parse_score_rows(std::string_view text, Eigen::MatrixXf* out) {
  std::vector<std::vector<float>> rows;
  size_t row_start = 0;
  while (true) {
    const size_t row_end = std::min(text.find(';', row_start), text.size());
    const std::string_view row_text = text.substr(row_start, row_end - row_start);
    const std::string row_name = "row " + std::to_string(rows.size() + 1);
    if (row_text.find_first_not_of(" \t") == std::string_view::npos)
      return row_name + " is empty (rows are separated by ';', scores by ',')";
    std::vector<float> row;
    size_t value_start = 0;
    while (true) {
      const size_t value_end = std::min(row_text.find(',', value_start), row_text.size());
      const std::string_view value_text = row_text.substr(value_start, value_end - value_start);
      const std::optional<float> value = parse_float(value_text);
      if (!value)
        return row_name + ", score " + std::to_string(row.size() + 1) + ": \"" + std::string(value_text) +
               "\" is not a finite number";
      row.push_back(*value);
      if (value_end == row_text.size()) break;
      value_start = value_end + 1;
    }
    if (!rows.empty() && row.size() != rows.front().size())
      return row_name + " has " + std::to_string(row.size()) + (row.size() == 1 ? " score" : " scores") +
             ", row 1 has " + std::to_string(rows.front().size()) + " (every row needs one score per class)";
    rows.push_back(std::move(row));
    if (row_end == text.size()) break;
    row_start = row_end + 1;
  }
  if (out) {
    out->resize(Eigen::Index(rows.size()), Eigen::Index(rows.front().size()));
    for (size_t i = 0; i < rows.size(); ++i)
      for (size_t j = 0; j < rows[i].size(); ++j) (*out)(Eigen::Index(i), Eigen::Index(j)) = rows[i][j];
  }
  return {};
}

struct LossCliOptions {
  std::string type;                    // one of kLossNames
  std::string scores_text;             // --scores as typed
  std::vector<int> labels;             // (N) --labels
  float delta = LossOptions{}.margin;  // Δ of the hinge losses
  bool grad = false;                   // also print ∂mean/∂scores (N, C)
  bool json = false;                   // one JSON object instead of the table
  Eigen::MatrixXf scores;              // (N, C) parsed from scores_text once parsing succeeded
};

// Cross-checks of --scores, --labels and --type, at parse time so that they are usage errors
// (exit 2, with the usage shown) like a malformed --scores.
void check_loss_arguments(LossCliOptions& options) {
  const std::string problem = parse_score_rows(options.scores_text, &options.scores);
  if (!problem.empty()) throw CLI::ValidationError("--scores", problem);  // (the validator ran already)
  const Eigen::Index n = options.scores.rows(), c = options.scores.cols();
  if (Eigen::Index(options.labels.size()) != n)
    throw CLI::ValidationError("--labels", std::to_string(options.labels.size()) + " label" +
                                               (options.labels.size() == 1 ? "" : "s") + " for " + std::to_string(n) +
                                               " score row" + (n == 1 ? "" : "s") + " (one label per row)");
  for (size_t i = 0; i < options.labels.size(); ++i)
    if (options.labels[i] >= c)
      throw CLI::ValidationError("--labels", "label " + std::to_string(options.labels[i]) + " of row " +
                                                 std::to_string(i + 1) + " is outside 0.." + std::to_string(c - 1) +
                                                 " (the rows have " + std::to_string(c) + " scores)");
  if (options.type == "bce" && c != 2)
    throw CLI::ValidationError("--type",
                               "bce needs exactly 2 scores per row (z = s1 - s0 is the logit of class 1), "
                               "the rows have " +
                                   std::to_string(c));
}

int run_loss(const LossCliOptions& options) {
  const LossKind kind = parse_loss_kind(options.type);
  const LossOptions loss_options{options.delta};
  const Eigen::MatrixXf& scores = options.scores;  // (N, C)
  const Eigen::Index n = scores.rows(), c = scores.cols();
  Eigen::MatrixXf dscores(n, c);  // (N, C) ∂mean/∂scores
  const float mean = loss_and_gradient(kind, scores, options.labels, loss_options, dscores);
  const Eigen::VectorXf losses = per_example_loss(kind, scores, options.labels, loss_options);  // (N)
  const bool uses_delta = kind != LossKind::SoftmaxCrossEntropy && kind != LossKind::BinaryLogistic;

  if (options.json) {
    nlohmann::ordered_json out;
    out["type"] = options.type;
    out["delta"] = shortest_decimal(options.delta);                        // as given; only the hinge losses use it
    nlohmann::ordered_json per_example = nlohmann::ordered_json::array();  // (N)
    for (Eigen::Index i = 0; i < n; ++i) per_example.push_back(shortest_decimal(losses[i]));
    out["losses"] = std::move(per_example);
    out["mean"] = shortest_decimal(mean);
    if (options.grad) {
      nlohmann::ordered_json grad = nlohmann::ordered_json::array();  // (N, C) as N rows
      for (Eigen::Index i = 0; i < n; ++i) {
        nlohmann::ordered_json row = nlohmann::ordered_json::array();
        for (Eigen::Index j = 0; j < c; ++j) row.push_back(shortest_decimal(dscores(i, j)));
        grad.push_back(std::move(row));
      }
      out["grad"] = std::move(grad);
    }
    std::cout << out.dump() << '\n';
    return 0;
  }

  std::cout << options.type << ": " << loss_kind_title(kind);
  if (uses_delta) std::cout << ", delta " << shortest_text(options.delta);
  std::cout << "; " << n << " example" << (n == 1 ? "" : "s") << " x " << c << " class" << (c == 1 ? "" : "es") << '\n';
  std::vector<std::string> score_cells(static_cast<size_t>(n));  // (N) a row's scores as typed
  size_t score_width = std::string("scores").size();
  for (Eigen::Index i = 0; i < n; ++i) {
    std::string& cell = score_cells[size_t(i)];
    for (Eigen::Index j = 0; j < c; ++j) cell += (j ? "  " : "") + shortest_text(scores(i, j));
    score_width = std::max(score_width, cell.size());
  }
  std::cout << "example  label  scores" << std::string(score_width - 6, ' ') << "     loss\n";
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::string& cell = score_cells[size_t(i)];
    std::cout << pad_left(std::to_string(i), 7) << pad_left(std::to_string(options.labels[size_t(i)]), 7) << "  "
              << cell << std::string(score_width - cell.size(), ' ') << pad_left(fixed4(losses[i]), 9) << '\n';
  }
  std::cout << "mean loss: " << fixed4(mean) << '\n';
  if (options.grad) {
    std::cout << "gradient of the mean loss with respect to the scores (" << n << " x " << c << "):\n";
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < c; ++j) std::cout << pad_left(fixed4(dscores(i, j)), 9);
      std::cout << '\n';
    }
  }
  return 0;
}

void add_loss(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("loss", "Per-example losses, their mean and its gradient for scores you type in");
  auto options = std::make_shared<LossCliOptions>();
  cmd->add_option("--type", options->type,
                  "svm (Weston-Watkins), ova (one-vs-all), structured (Crammer-Singer), softmax, bce (2 classes)")
      ->required()
      ->check(CLI::IsMember(kLossNames));
  cmd->add_option("--scores", options->scores_text,
                  "class scores: rows (examples) separated by ';', the scores of a row by ',' "
                  "(quote it; a first score below 0 is safest as --scores=-1,...)")
      ->required()
      ->check(CLI::Validator([](std::string& text) { return parse_score_rows(text, nullptr); }, "S,S,...;S,S,..."));
  cmd->add_option("--labels", options->labels, "the true class of each row, comma-separated (0..C-1)")
      ->required()
      ->delimiter(',')
      ->check(integer_in(0, 255));
  cmd->add_option("--delta", options->delta, "margin of the hinge losses (svm, ova, structured; 0 < delta <= 10000)")
      ->check(finite_number(0, 1e4, true))
      ->capture_default_str();
  cmd->add_flag("--grad", options->grad, "also print the gradient of the mean loss with respect to the scores");
  cmd->add_flag("--json", options->json,
                "print one JSON object: type, delta, losses, mean (and grad: one array per row)");
  cmd->footer(
      "Example (the lecture's): implay loss --type svm --scores \"3.2,5.1,-1.7;1.3,4.9,2.0;2.2,2.5,-3.1\" "
      "--labels 0,1,2   prints losses 2.9, 0, 12.9 and mean 5.2667.\n"
      "Any problem with --scores or --labels is a usage error (exit 2).");
  cmd->callback([&run, options] {
    check_loss_arguments(*options);
    run = [options] { return run_loss(*options); };
  });
}

// [SECTION] data and features ------------------------------------------------------------------

// A labelled set as the linear commands hold it. Images when every value is a byte: MNIST, or a
// CSV whose values are all integers 0..255 (taken as square images when D is a square number,
// else as 1 x D); plain float values otherwise, usable only with --features raw.
struct LinearData {
  std::string name;             // as the user gave it: a CSV path, or mnist / mnist-test
  bool is_images = false;       // true: `images`; false: `values`
  LabeledImages images;         // when is_images: pixels (N, rows·cols), labels (N)
  RowMatrixXf values;           // when !is_images: (N, D) the CSV's values
  std::vector<uint8_t> labels;  // (N), always

  int count() const { return int(labels.size()); }
  int input_dim() const { return is_images ? images.dim() : int(values.cols()); }
  std::string shape() const {
    return is_images ? std::to_string(images.rows) + "x" + std::to_string(images.cols) + " byte images"
                     : std::to_string(values.cols()) + " values per row";
  }
};

LinearData load_linear_data(const std::string& name) {
  LinearData data;
  data.name = name;
  if (resolve_dataset_name(name)) {
    data.images = load_named_dataset(name);
    data.is_images = true;
    data.labels = data.images.labels;
    return data;
  }
  if (std::filesystem::is_directory(name))
    throw Error(name + ": is a folder; name a labelled CSV file, or mnist / mnist-test");
  LabeledCsv csv = load_labeled_csv(name);
  data.labels = std::move(csv.labels);
  if (csv.features_are_u8) {
    data.is_images = true;
    int side = int(std::lround(std::sqrt(double(csv.dim))));
    if (side * side != csv.dim) side = 0;
    data.images.count = csv.rows;
    data.images.rows = side ? side : 1;
    data.images.cols = side ? side : csv.dim;
    data.images.pixels = csv.features_u8();
    data.images.labels = data.labels;
  } else {
    data.values = Eigen::Map<const RowMatrixXf>(csv.features.data(), csv.rows, csv.dim);
  }
  return data;
}

// Moves the last `tail` rows of `data` into a new set (the validation split).
LinearData split_off_tail(LinearData& data, int tail) {
  LinearData out;
  out.name = data.name + " (last " + std::to_string(tail) + " rows)";
  out.is_images = data.is_images;
  const int keep = data.count() - tail;
  out.labels.assign(data.labels.begin() + keep, data.labels.end());
  data.labels.resize(size_t(keep));
  if (data.is_images) {
    const size_t dim = size_t(data.images.dim());
    out.images.count = tail;
    out.images.rows = data.images.rows;
    out.images.cols = data.images.cols;
    out.images.pixels.assign(data.images.pixels.begin() + std::ptrdiff_t(size_t(keep) * dim), data.images.pixels.end());
    out.images.labels = out.labels;
    data.images.count = keep;
    data.images.pixels.resize(size_t(keep) * dim);
    data.images.labels = data.labels;
  } else {
    out.values = data.values.bottomRows(tail);
    data.values.conservativeResize(keep, Eigen::NoChange);
  }
  return out;
}

// What a model's inputs are: core/linear/features.hpp's features of images, or (`raw`) the CSV's values
// as they are. The spec string is what the model file stores.
struct FeaturePlan {
  bool raw = false;        // the values unchanged (spec "raw"; "" in a model file means the same)
  FeatureOptions options;  // when !raw

  std::string spec() const { return raw ? "raw" : feature_spec(options); }
};

// "raw", or a features.hpp spec; "hist" abbreviates "histogram". Throws implay::Error.
FeaturePlan parse_feature_plan(std::string text) {
  FeaturePlan plan;
  if (text == "raw" || text.empty()) {
    plan.raw = true;
    return plan;
  }
  if (text.rfind("raw:", 0) == 0) throw Error("feature spec \"" + text + "\": raw features take no settings");
  if (text == "hist" || text.rfind("hist:", 0) == 0) text = "histogram" + text.substr(4);
  plan.options = parse_feature_spec(text);
  return plan;
}

// Float (N, D) copy of a set's values for raw features (bytes become 0..255, unscaled).
RowMatrixXf raw_values(const LinearData& data) {
  if (!data.is_images) return data.values;
  return Eigen::Map<const Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
             data.images.pixels.data(), data.images.count, data.images.dim())
      .cast<float>();
}

// `hint` ends the message: what the user can do instead.
void require_images(const LinearData& data, const FeaturePlan& plan, const std::string& hint) {
  if (!plan.raw && !data.is_images)
    throw Error(data.name + ": " + plan.spec() +
                " features are made from pixels (integers 0..255), but this file has other values; " + hint);
}

// The extractor for a set's images; a setting that does not fit them (a HoG cell larger than the
// image) is reported with the set's name.
FeatureExtractor extractor_for(const FeatureOptions& options, const LinearData& data) {
  try {
    return FeatureExtractor(options, data.images.rows, data.images.cols);
  } catch (const Error& e) {
    throw Error(data.name + " (" + data.shape() + "): " + e.what());
  }
}

constexpr const char* kTrainRawHint = "use --features raw to train on the values as they are";

// Features of a set for a saved model, whose spec has scaling=unit (or is raw). model_name and
// the model's D make the error messages. Returns (N, D).
RowMatrixXf features_for_model(const LinearModel& model, const std::string& model_name, const FeaturePlan& plan,
                               const LinearData& data) {
  require_images(data, plan, "the model " + model_name + " needs pixel data");
  RowMatrixXf features;
  if (plan.raw) {
    features = raw_values(data);
  } else {
    if (plan.options.scaling != Scaling::Unit)
      throw Error(model_name + ": the model expects mean-subtracted features (" + plan.spec() +
                  "), but the file holds no mean to subtract");
    features = extractor_for(plan.options, data).transform(data.images);
  }
  if (features.cols() != model.dim)
    throw Error("dimension mismatch: " + model_name + " takes " + std::to_string(model.dim) + " features (" +
                plan.spec() + "), " + data.name + " (" + data.shape() + ") gives " + std::to_string(features.cols()));
  return features;
}

// Accuracy and confusion matrix of a model on a set.
struct Scored {
  Eigen::MatrixXi confusion;  // (C, C): row = true class, column = predicted class
  int correct = 0;            // trace
  int count = 0;              // N
  double accuracy() const { return count == 0 ? 0.0 : double(correct) / double(count); }
};

Scored score_model(const LinearModel& model, const std::string& model_name, const Eigen::Ref<const RowMatrixXf>& x,
                   const LinearData& data) {
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] >= model.num_classes)
      throw Error(data.name + ": label " + std::to_string(data.labels[i]) + " of example " + std::to_string(i) +
                  " is outside the " + std::to_string(model.num_classes) + " classes 0.." +
                  std::to_string(model.num_classes - 1) + " of " + model_name);
  const std::vector<int> predicted = predict(model, x);  // (N)
  Scored out;
  out.confusion = confusion_matrix(predicted, data.labels, model.num_classes);
  out.correct = int(out.confusion.trace());
  out.count = data.count();
  return out;
}

std::string accuracy_text(const Scored& scored) {
  return fixed4(scored.accuracy()) + " (" + std::to_string(scored.correct) + "/" + std::to_string(scored.count) + ")";
}

// [SECTION] implay linear train --------------------------------------------------------------

constexpr int kValidationPercent = 10;  // the last 10% of the training rows validate

struct LinearTrainCliOptions {
  std::string data;                               // CSV path or mnist / mnist-test
  std::string test;                               // CSV path or name; "" = mnist-test for mnist, else none
  std::string loss = "softmax";                   // one of kLossNames
  std::string reg = "l2";                         // none, l2, l1, elastic
  float lambda = RegularizationOptions{}.lambda;  // λ of λ R(W)
  float delta = LossOptions{}.margin;             // Δ of the hinge losses
  std::string optimizer = "adam";                 // sgd (with momentum) or adam
  float lr = TrainOptions{}.learning_rate;        // α of the first epoch
  float lr_decay = TrainOptions{}.lr_decay;       // α ← α · decay after every epoch
  float momentum = TrainOptions{}.momentum;       // μ of sgd
  int epochs = TrainOptions{}.epochs;
  int batch = TrainOptions{}.batch_size;
  std::string features = "pixels";      // raw or a features.hpp spec ("hist" for histogram)
  uint64_t seed = TrainOptions{}.seed;  // initial weights and shuffles
  std::string save;                     // model file to write
};

int run_linear_train(const LinearTrainCliOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const FeaturePlan plan = parse_feature_plan(options.features);  // checked at parse time already

  // Fail before minutes of training, not after: the folder of --save must exist.
  const std::filesystem::path save_dir = std::filesystem::path(options.save).parent_path();
  if (!save_dir.empty() && !std::filesystem::is_directory(save_dir))
    throw Error(options.save + ": cannot save there: folder " + save_dir.string() + " does not exist");
  if (std::filesystem::is_directory(options.save)) throw Error(options.save + ": is a folder; name a model file");

  LinearData train = load_linear_data(options.data);
  const std::string test_name = !options.test.empty() ? options.test : options.data == "mnist" ? "mnist-test" : "";
  std::optional<LinearData> test;
  if (!test_name.empty()) test = load_linear_data(test_name);
  require_images(train, plan, kTrainRawHint);
  if (test) {
    require_images(*test, plan, kTrainRawHint);
    if (test->input_dim() != train.input_dim() ||
        (!plan.raw && (test->images.rows != train.images.rows || test->images.cols != train.images.cols)))
      throw Error("dimension mismatch: " + train.name + " has " + train.shape() + ", " + test->name + " has " +
                  test->shape() + "; training and test rows must have the same shape");
  }
  int num_classes = 0;  // C: the highest label of the training (and test) set + 1
  for (uint8_t label : train.labels) num_classes = std::max(num_classes, label + 1);
  if (test)
    for (uint8_t label : test->labels) num_classes = std::max(num_classes, label + 1);

  const int validation_rows = train.count() * kValidationPercent / 100;
  LinearData validation = split_off_tail(train, validation_rows);

  // Features: training and validation rows the same way, the mean (if any) fitted on training.
  const auto features_start = std::chrono::steady_clock::now();
  RowMatrixXf train_x, validation_x;  // (N, D), (V, D)
  FeatureExtractor extractor;
  if (plan.raw) {
    train_x = raw_values(train);
    validation_x = raw_values(validation);
  } else {
    extractor = extractor_for(plan.options, train);
    train_x = extractor.fit_transform(train.images);
    validation_x = extractor.transform(validation.images);
  }
  const double features_seconds = seconds_since(features_start);

  TrainOptions train_options;
  train_options.objective.loss = parse_loss_kind(options.loss);
  train_options.objective.loss_options.margin = options.delta;
  train_options.objective.regularization.kind = parse_regularizer(options.reg);
  train_options.objective.regularization.lambda = options.lambda;
  train_options.optimizer = parse_optimizer(options.optimizer);
  train_options.learning_rate = options.lr;
  train_options.lr_decay = options.lr_decay;
  train_options.momentum = options.momentum;
  train_options.batch_size = options.batch;
  train_options.epochs = options.epochs;
  train_options.seed = options.seed;
  train_options.evaluate_initial = false;

  char line[512];
  std::cout << "linear train: " << train.name << ", " << train.count() << " training + " << validation.count()
            << " validation examples (the last " << kValidationPercent << "%), " << num_classes << " classes\n";
  std::snprintf(line, sizeof(line),
                "features %s (%d per example); loss %s; %s lambda %g; %s, lr %g x %g per epoch, batch %d, %d "
                "epoch%s, seed %llu\n",
                plan.spec().c_str(), int(train_x.cols()), options.loss.c_str(), options.reg.c_str(),
                double(options.lambda), options.optimizer.c_str(), double(options.lr), double(options.lr_decay),
                options.batch, options.epochs, options.epochs == 1 ? "" : "s",
                static_cast<unsigned long long>(options.seed));
  std::cout << line << std::flush;

  const auto train_start = std::chrono::steady_clock::now();
  std::optional<LinearTrainer> trainer;
  try {
    trainer.emplace(train_x, train.labels, num_classes, train_options, validation_rows > 0 ? &validation_x : nullptr,
                    validation.labels);
  } catch (const Error& e) {
    throw Error(train.name + ": " + e.what());  // "the bce loss needs exactly 2 classes..." of which data
  }
  size_t printed = 0;  // curve points looked at so far; the epochs' ends are printed
  auto print_new_epochs = [&] {
    for (; printed < trainer->curve().size(); ++printed) {
      const LinearCurvePoint& p = trainer->curve()[printed];
      if (!p.epoch_end) continue;
      std::snprintf(line, sizeof(line),
                    "epoch %d/%d: train cross-entropy %s, train hinge %s, train accuracy %s, validation accuracy "
                    "%s (lr %g)\n",
                    int(p.epoch), options.epochs, fixed4(p.train.cross_entropy).c_str(), fixed4(p.train.hinge).c_str(),
                    fixed4(p.train.accuracy).c_str(),
                    p.validation.count > 0 ? fixed4(p.validation.accuracy).c_str() : "- (no validation rows)",
                    double(p.learning_rate));
      std::cout << line << std::flush;
    }
  };
  while (!trainer->step(64)) print_new_epochs();
  print_new_epochs();
  if (!trainer->failure().empty()) throw Error(trainer->failure() + "; nothing was saved to " + options.save);
  const double train_seconds = seconds_since(train_start);

  LinearModel model = trainer->model();
  FeaturePlan saved_plan = plan;
  if (!plan.raw && plan.options.scaling == Scaling::MeanSubtracted) {
    // W(x − μ) + b = Wx + (b − Wμ): the saved model takes unit features and needs no μ.
    fold_mean_into_bias(model, extractor.mean());
    saved_plan.options.scaling = Scaling::Unit;
  }
  model.feature_spec = saved_plan.spec();
  trainer.reset();
  train_x = {};
  validation_x = {};
  save_linear_model(model, options.save);
  std::cout << "saved " << options.save << ": " << model.num_classes << " classes x " << count_of(model.dim, "feature")
            << " (" << model.feature_spec << ")\n";

  double test_seconds = 0;
  if (test) {
    const auto test_start = std::chrono::steady_clock::now();
    const RowMatrixXf test_x = features_for_model(model, options.save, saved_plan, *test);  // (T, D)
    const Scored scored = score_model(model, options.save, test_x, *test);
    test_seconds = seconds_since(test_start);
    std::cout << "test accuracy: " << accuracy_text(scored) << " on " << test->name << '\n';
  }
  std::cout.flush();
  std::snprintf(line, sizeof(line), "linear train: features %.2f s, training %.2f s, test %.2f s, total %.2f s\n",
                features_seconds, train_seconds, test_seconds, seconds_since(start));
  std::cerr << line;
  return 0;
}

// A --features value: raw, or a features.hpp spec (hist = histogram). Fails at parse time (exit 2).
CLI::Validator feature_spec_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        try {
          parse_feature_plan(text);
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      "SPEC");
}

void add_linear_train(CLI::App* linear, Runner& run) {
  auto* cmd = linear->add_subcommand("train", "Train a linear classifier, print per-epoch figures, save it");
  auto options = std::make_shared<LinearTrainCliOptions>();
  cmd->add_option("--data", options->data, "training set: mnist, or a labelled CSV (label, features...)")->required();
  cmd->add_option("--test", options->test,
                  "test set scored at the end: a labelled CSV or mnist-test (default for --data mnist: mnist-test)");
  cmd->add_option("--loss", options->loss, "svm, ova, structured, softmax, or bce (2 classes only)")
      ->check(CLI::IsMember(kLossNames))
      ->capture_default_str();
  cmd->add_option("--reg", options->reg, "regularizer R(W): none, l2, l1, elastic (sum W^2 + sum |W|)")
      ->check(CLI::IsMember({"none", "l2", "l1", "elastic"}))
      ->capture_default_str();
  cmd->add_option("--lambda", options->lambda, "regularization strength (0..10000)")
      ->check(finite_number(0, 1e4))
      ->capture_default_str();
  cmd->add_option("--delta", options->delta, "margin of the hinge losses (svm, ova, structured; 0 < delta <= 10000)")
      ->check(finite_number(0, 1e4, true))
      ->capture_default_str();
  cmd->add_option("--optimizer", options->optimizer, "sgd (with momentum) or adam")
      ->check(CLI::IsMember({"sgd", "adam"}))
      ->capture_default_str();
  cmd->add_option("--lr", options->lr, "learning rate of the first epoch (0 < lr <= 1000)")
      ->check(finite_number(0, 1e3, true))
      ->capture_default_str();
  cmd->add_option("--lr-decay", options->lr_decay,
                  "the learning rate is multiplied by this after every epoch (0 < decay <= 1)")
      ->check(finite_number(0, 1, true))
      ->capture_default_str();
  cmd->add_option("--momentum", options->momentum, "momentum of sgd (0..0.999; 0 = plain SGD)")
      ->check(finite_number(0, 0.999))
      ->capture_default_str();
  cmd->add_option("--epochs", options->epochs,
                  "passes over the training rows (1.." + std::to_string(kMaxLinearEpochs) + ")")
      ->check(integer_in(1, kMaxLinearEpochs))
      ->capture_default_str();
  cmd->add_option("--batch", options->batch, "examples per update (1.." + std::to_string(kMaxLinearBatch) + ")")
      ->check(integer_in(1, kMaxLinearBatch))
      ->capture_default_str();
  cmd->add_option("--features", options->features,
                  "pixels, hist, hog, a full spec such as hog:cell=4,bins=9,norm=cell or pixels:scaling=mean, or raw "
                  "(a CSV's values unchanged)")
      ->check(feature_spec_validator())
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "seed of the initial weights and the shuffles")->capture_default_str();
  cmd->add_option("--save", options->save, "model file to write")->required();
  cmd->footer(
      "The last 10% of the training rows are held out for validation. Each epoch prints the training "
      "cross-entropy and hinge loss and the validation accuracy; with a test set the last line is "
      "`test accuracy: 0.9267 (9267/10000) on mnist-test`, scored with the saved model. The feature spec is "
      "saved in the model; a mean (scaling=mean) is folded into the bias, so the model takes unit features. "
      "A CSV whose values are all integers 0..255 is read as images (square when its width is a square "
      "number, else 1 x D; pixels = value / 255); any other CSV needs --features raw.");
  cmd->callback([&run, options] { run = [options] { return run_linear_train(*options); }; });
}

// [SECTION] implay linear eval ---------------------------------------------------------------

struct LinearEvalCliOptions {
  std::string model;  // model file (core/linear/linear.hpp format)
  std::string data;   // CSV path or mnist / mnist-test
  bool json = false;  // one JSON object instead of text
};

int run_linear_eval(const LinearEvalCliOptions& options) {
  const LinearModel model = load_linear_model(options.model);
  FeaturePlan plan;
  try {
    plan = parse_feature_plan(model.feature_spec);
  } catch (const Error& e) {
    throw Error(options.model + ": the model's " + e.what());  // "feature spec "blob": unknown kind..."
  }
  const LinearData data = load_linear_data(options.data);
  const RowMatrixXf x = features_for_model(model, options.model, plan, data);  // (N, D)
  const Scored scored = score_model(model, options.model, x, data);
  const int c = model.num_classes;

  if (options.json) {
    nlohmann::ordered_json out;
    out["model"] = options.model;
    out["data"] = data.name;
    out["features"] = plan.spec();
    out["examples"] = scored.count;
    out["classes"] = c;
    out["correct"] = scored.correct;
    out["accuracy"] = scored.accuracy();
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();  // (C, C) as C rows
    for (int t = 0; t < c; ++t) {
      nlohmann::ordered_json row = nlohmann::ordered_json::array();
      for (int p = 0; p < c; ++p) row.push_back(scored.confusion(t, p));
      rows.push_back(std::move(row));
    }
    out["confusion"] = std::move(rows);
    std::cout << out.dump() << '\n';
    return 0;
  }
  std::cout << "model " << options.model << ": " << c << " classes x " << count_of(model.dim, "feature") << " ("
            << plan.spec() << ")\n"
            << "data " << data.name << ": " << scored.count << " examples\n"
            << "accuracy: " << accuracy_text(scored) << '\n'
            << confusion_table(scored.confusion);
  return 0;
}

void add_linear_eval(CLI::App* linear, Runner& run) {
  auto* cmd = linear->add_subcommand("eval", "Accuracy and confusion matrix of a saved linear model on a labelled set");
  auto options = std::make_shared<LinearEvalCliOptions>();
  cmd->add_option("--model", options->model, "model file written by `implay linear train --save`")->required();
  cmd->add_option("--data", options->data, "labelled set: mnist-test, mnist, or a labelled CSV")->required();
  cmd->add_flag("--json", options->json,
                "print one JSON object: model, data, features, examples, classes, correct, accuracy, confusion");
  cmd->footer(
      "The model's saved feature spec decides the features. A missing or corrupt model file, or data "
      "that does not fit the model, is exit 1.");
  cmd->callback([&run, options] { run = [options] { return run_linear_eval(*options); }; });
}

}  // namespace

void add_linear_commands(CLI::App& app, Runner& run) {
  add_loss(app, run);
  auto* linear = app.add_subcommand("linear", "Linear classifiers: train one on MNIST or a CSV, evaluate a saved one");
  linear->require_subcommand(1);
  add_linear_train(linear, run);
  add_linear_eval(linear, run);
}

}  // namespace implay::cli
