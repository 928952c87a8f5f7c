// cmd_nn.cpp — `implay nn train|eval|data`: train the MLP of core/nn/mlp_train.hpp on a toy 2-D
// set (core/data/toy2d.hpp; the spiral is CS231n's generator), MNIST or a labelled CSV, save it,
// score a saved net (accuracy and confusion matrix), and write a toy set as a label,x,y CSV.
// 2-D points get core/nn/features2d.hpp's inputs, images core/linear/features.hpp's, other CSVs
// their values as they are. Data loading follows cmd_knn.cpp and cmd_linear.cpp.
//
// Index: [data] [features] [implay nn train] [implay nn eval] [implay nn data]
//
// Exit codes as main.cpp: 2 for bad usage (an option out of range, a bad --hidden or --features,
// toy options with a file), 1 for unreadable or unusable data and models, and for divergence.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/pixel_permutation.hpp"
#include "core/data/csv.hpp"
#include "core/data/idx.hpp"
#include "core/data/toy2d.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"
#include "core/linear/features.hpp"
#include "core/nn/features2d.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/mlp_train.hpp"
#include "io/data_files.hpp"

namespace implay::cli {
namespace {

constexpr double kTwoPi = 6.283185307179586;

// [SECTION] data ---------------------------------------------------------------------------------

// The toy set options of `nn train`, `nn eval` and `nn data`.
struct ToyCliOptions {
  int classes = 3;              // K arms / rings / blobs
  int points = 100;             // per class
  std::optional<double> noise;  // unset: the preset's own
  std::optional<double> turns;  // spiral: turns of an arm; unset: CS231n's 4 radians
  uint64_t seed = 1;            // the points (and the split)

  ToyOptions core() const {
    ToyOptions out;
    out.noise = noise;
    if (turns) out.sweep = *turns * kTwoPi;
    out.spiral = SpiralStyle::Cs231n;
    return out;
  }
};

void add_toy_options(CLI::App* cmd, ToyCliOptions& toy) {
  cmd->add_option("--classes", toy.classes, "toy data: classes (spiral arms, rings, blobs), 2..5")
      ->check(integer_in(2, 5))
      ->capture_default_str();
  cmd->add_option("--points", toy.points, "toy data: points per class, 1..500")
      ->check(integer_in(1, 500))
      ->capture_default_str();
  cmd->add_option("--noise", toy.noise,
                  "toy data: spread, 0..10 (spiral: sd of the angle in radians, default 0.2; blobs: sd around "
                  "the centre, 0.18; circles: sd of the radius in ring spacings, 0.12)")
      ->check(finite_number(0, 10));
  cmd->add_option("--turns", toy.turns, "spiral: turns of an arm, 0..4 (default CS231n's 4 radians, 0.64 turns)")
      ->check(finite_number(0, 4));
  cmd->add_option("--data-seed", toy.seed, "toy data: seed of the points and of the train/test split")
      ->capture_default_str();
}

// Toy options given with data that is not a toy set are a usage error.
void reject_toy_options(CLI::App* cmd, const std::string& data) {
  for (const char* name : {"--classes", "--points", "--noise", "--turns", "--data-seed"})
    if (cmd->count(name) > 0)
      throw CLI::ValidationError(name,
                                 "applies to the toy sets (spiral, circles, xor, blobs, uniform), not to " + data);
}

std::optional<ToyPreset> toy_preset_of(const std::string& name) {
  for (ToyPreset preset : kAllToyPresets)
    if (name == toy_preset_name(preset)) return preset;
  return std::nullopt;
}

// A labelled set before features: points of the plane, images, or plain values.
struct NnData {
  enum class Kind { Points, Images, Values };
  std::string name;  // for messages: the path, mnist, or "spiral (...)"
  Kind kind = Kind::Points;
  ToyData points;               // Points: (N, 2) and labels
  LabeledImages images;         // Images: (N, rows·cols) bytes
  RowMatrixXf values;           // Values: (N, D)
  std::vector<uint8_t> labels;  // (N), always
  int toy_classes = 0;          // K of a toy set (its classes even if a split lost one), else 0

  int count() const { return int(labels.size()); }
  std::string shape() const {
    switch (kind) {
      case Kind::Points: return "2-D points";
      case Kind::Images: return std::to_string(images.rows) + "x" + std::to_string(images.cols) + " byte images";
      case Kind::Values:
        return std::to_string(values.cols()) + (values.cols() == 1 ? " value" : " values") + " per row";
    }
    return "?";
  }
};

NnData points_data(std::string name, ToyData toy, int toy_classes) {
  NnData data;
  data.name = std::move(name);
  data.kind = NnData::Kind::Points;
  data.labels = toy.labels;
  data.points = std::move(toy);
  data.toy_classes = toy_classes;
  return data;
}

std::string toy_description(ToyPreset preset, const ToyCliOptions& toy) {
  std::string out = std::string(toy_preset_name(preset)) + " (" + std::to_string(toy.classes) + " classes x " +
                    std::to_string(toy.points) + " points";
  if (preset == ToyPreset::Spiral) out += ", CS231n's generator";
  if (toy.noise) out += ", noise " + bound_text(*toy.noise);
  if (toy.turns && preset == ToyPreset::Spiral) out += ", " + bound_text(*toy.turns) + " turns";
  return out + ", seed " + std::to_string(toy.seed) + ")";
}

// A toy preset name, mnist / mnist-test, or a labelled CSV (2 feature columns: points).
NnData load_nn_data(const std::string& name, const ToyCliOptions& toy) {
  if (const std::optional<ToyPreset> preset = toy_preset_of(name)) {
    ToyData points = make_toy_data(*preset, toy.classes, toy.points, toy.seed, toy.core());
    return points_data(toy_description(*preset, toy), std::move(points), toy.classes);
  }
  NnData data;
  data.name = name;
  if (resolve_dataset_name(name)) {
    data.kind = NnData::Kind::Images;
    data.images = load_named_dataset(name);
    data.labels = data.images.labels;
    return data;
  }
  if (std::filesystem::is_directory(name))
    throw Error(name +
                ": is a folder; name a labelled CSV file, a toy set (spiral, circles, xor, blobs, uniform) "
                "or mnist / mnist-test");
  LabeledCsv csv = load_labeled_csv(name);
  if (csv.dim == 2) {
    ToyData points;
    points.points = std::move(csv.features);
    points.labels = csv.labels;
    points.num_classes = csv.num_classes();
    return points_data(name, std::move(points), 0);
  }
  data.kind = NnData::Kind::Values;
  data.values = Eigen::Map<const RowMatrixXf>(csv.features.data(), csv.rows, csv.dim);
  data.labels = std::move(csv.labels);
  return data;
}

// [SECTION] features -----------------------------------------------------------------------------

// What the net's inputs are: a features2d.hpp list for points, a features.hpp spec for images,
// "raw" for plain values. The spec string is what the model file stores.
struct InputPlan {
  NnData::Kind kind = NnData::Kind::Points;
  std::vector<Feature2d> points;  // Points
  FeatureOptions images;          // Images

  std::string spec() const {
    switch (kind) {
      case NnData::Kind::Points: return feature_list_spec(points);
      case NnData::Kind::Images: return feature_spec(images);
      case NnData::Kind::Values: return "raw";
    }
    return "?";
  }
};

// The plan for --features `text` ("" = the default of the data's kind). Throws implay::Error.
InputPlan input_plan(NnData::Kind kind, const std::string& text) {
  InputPlan plan;
  plan.kind = kind;
  switch (kind) {
    case NnData::Kind::Points: plan.points = parse_feature_list(text.empty() ? "x,y" : text); break;
    case NnData::Kind::Images:
      plan.images = parse_feature_spec(text.empty() ? "pixels" : text);
      if (plan.images.scaling != Scaling::Unit)
        throw Error("feature spec \"" + text + "\": nn takes scaling=unit features only (a model file holds no mean)");
      break;
    case NnData::Kind::Values:
      if (!text.empty() && text != "raw")
        throw Error("a CSV with other than 2 feature columns is taken as it is (raw)");
      break;
  }
  return plan;
}

// A model's saved spec back to a plan: "raw", a 2-D list, or an image spec.
InputPlan plan_of_model(const Mlp& mlp, const std::string& model_name) {
  const std::string& spec = mlp.feature_spec;
  if (spec == "raw" || spec.empty()) return input_plan(NnData::Kind::Values, "");
  try {
    return input_plan(NnData::Kind::Points, spec);
  } catch (const Error&) {
  }
  try {
    return input_plan(NnData::Kind::Images, spec);
  } catch (const Error& e) {
    throw Error(model_name + ": the model's feature spec \"" + spec + "\" is neither a 2-D feature list (x,y,...) " +
                "nor an image feature spec: " + e.what());
  }
}

// The feature matrix (N, F) of a set under a plan. Throws implay::Error when they do not fit.
RowMatrixXf features_of(const NnData& data, const InputPlan& plan, const std::string& needed_by) {
  if (data.kind != plan.kind)
    throw Error(data.name + " has " + data.shape() + ", but " + needed_by + " takes " + plan.spec() + " features");
  switch (plan.kind) {
    case NnData::Kind::Points: return expand_features(data.points.points, plan.points);
    case NnData::Kind::Images:
      try {
        return FeatureExtractor(plan.images, data.images.rows, data.images.cols).transform(data.images);
      } catch (const Error& e) {
        throw Error(data.name + " (" + data.shape() + "): " + e.what());
      }
    case NnData::Kind::Values: return data.values;
  }
  return {};
}

// "100,50" → {100, 50}; "0" → {} (no hidden layer: the linear model). Error text or "".
std::string parse_hidden(const std::string& text, std::vector<int>* out) {
  std::vector<int> widths;
  if (text != "0") {
    size_t start = 0;
    while (true) {
      const size_t comma = std::min(text.find(',', start), text.size());
      const std::string token = text.substr(start, comma - start);
      int width = 0;
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), width);
      if (token.empty() || error != std::errc() || end != token.data() + token.size())
        return "\"" + token + "\" is not a layer width (use e.g. 100,50, or 0 for no hidden layer)";
      if (width < 1 || width > kMaxHiddenUnits)
        return "a hidden layer of " + std::to_string(width) + " units (allowed 1.." + std::to_string(kMaxHiddenUnits) +
               (width == 0 ? "; --hidden 0 alone means no hidden layer)" : ")");
      widths.push_back(width);
      if (comma == text.size()) break;
      start = comma + 1;
    }
    if (widths.size() > size_t(kMaxHiddenLayers))
      return std::to_string(widths.size()) + " hidden layers (at most " + std::to_string(kMaxHiddenLayers) + ")";
  }
  if (out) *out = std::move(widths);
  return {};
}

// [SECTION] implay nn train ----------------------------------------------------------------------

struct NnTrainCliOptions {
  std::string data;                      // toy preset, mnist, or a CSV
  std::string test;                      // CSV or mnist-test; "" = mnist-test for mnist, else none
  ToyCliOptions toy;                     // when data is a toy preset
  std::optional<double> test_ratio;      // held out of points data; default 0.2 for toy sets
  std::string hidden = "100";            // --hidden
  std::string activation = "relu";       // mlp.hpp names
  std::string init;                      // he, xavier; "" = by activation
  std::string features;                  // "" = x,y for points, pixels for images
  std::string loss = "softmax";          // softmax, svm, mse
  float delta = 1;                       // Δ of svm
  std::string reg = "l2";                // none, l2, l1
  float lambda = 1e-4f;                  // λ
  std::string optimizer = "adam";        // sgd, momentum, adam
  std::optional<float> lr;               // unset: 0.01
  float lr_decay = 1;                    // α ← α · decay after every epoch
  std::string lr_schedule;               // epochs, linear; "" = linear for images, epochs otherwise
  std::optional<int> batch;              // unset: 10, or 100 for images
  std::optional<int> epochs;             // unset: 300, or 5 for images
  uint64_t seed = 1;                     // initial weights and shuffles
  std::optional<uint64_t> permute_seed;  // --permute-pixels: images only
  int print_every = 0;                   // epochs between lines; 0 = about ten lines
  std::string save;                      // model file; "" = none
};

constexpr double kToyTestRatio = 0.2;

int run_nn_train(const NnTrainCliOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (!o.save.empty()) check_save_path(o.save);  // fail before training, not after
  NnData train = load_nn_data(o.data, o.toy);
  permute_dataset_pixels(train.images, o.permute_seed);
  const std::string test_name = !o.test.empty() ? o.test : o.data == "mnist" ? "mnist-test" : "";
  std::optional<NnData> test;
  if (!test_name.empty()) {
    test = load_nn_data(test_name, o.toy);
    if (test->kind == NnData::Kind::Images) permute_dataset_pixels(test->images, o.permute_seed);
  }
  const bool is_toy = toy_preset_of(o.data).has_value();
  const double ratio = o.test_ratio.value_or(is_toy && !test ? kToyTestRatio : 0.0);
  if (ratio > 0) {
    if (test)
      throw Error("--test-ratio splits the training data; it cannot be used with a test set (" + test->name + ")");
    if (train.kind != NnData::Kind::Points)
      throw Error("--test-ratio splits 2-D points (toy sets, label,x,y CSVs); " + train.name + " has " + train.shape());
    ToySplit split = split_train_test(train.points, ratio, o.toy.seed);
    const std::string name = train.name;
    const int classes = train.toy_classes;
    test = points_data(name + ", test split", std::move(split.test), classes);
    train = points_data(name + ", training split", std::move(split.train), classes);
  }
  InputPlan plan;
  try {
    plan = input_plan(train.kind, o.features);
  } catch (const Error& e) {  // a valid list or spec, but for the other kind of data
    throw Error("--features " + o.features + " does not fit " + train.name + " (" + train.shape() + "): " + e.what());
  }
  const auto features_start = std::chrono::steady_clock::now();
  const RowMatrixXf train_x = features_of(train, plan, "the network");  // (N, F)
  RowMatrixXf test_x;                                                   // (T, F)
  if (test) {
    if (test->kind != train.kind ||
        (train.kind == NnData::Kind::Values && test->values.cols() != train.values.cols()) ||
        (train.kind == NnData::Kind::Images &&
         (test->images.rows != train.images.rows || test->images.cols != train.images.cols)))
      throw Error("dimension mismatch: " + train.name + " has " + train.shape() + ", " + test->name + " has " +
                  test->shape() + "; training and test rows must have the same shape");
    test_x = features_of(*test, plan, "the network");
  }
  const double features_seconds = seconds_since(features_start);

  int num_classes = train.toy_classes;  // C: a toy set's K, else the highest label + 1
  for (uint8_t label : train.labels) num_classes = std::max(num_classes, label + 1);
  if (test)
    for (uint8_t label : test->labels) num_classes = std::max(num_classes, label + 1);
  if (num_classes < 2) throw Error(train.name + ": every label is 0; a classifier needs at least 2 classes");

  const bool images = train.kind == NnData::Kind::Images;
  MlpShape shape;
  shape.input_dim = int(train_x.cols());
  parse_hidden(o.hidden, &shape.hidden);  // validated at parse time
  shape.num_classes = num_classes;
  shape.activation = parse_activation(o.activation);
  try {
    check_mlp_shape(shape);
  } catch (const Error& e) {
    throw Error(train.name + " with features " + plan.spec() + ": " + e.what());
  }

  MlpTrainOptions options;
  options.objective.loss = parse_nn_loss(o.loss);
  options.objective.margin = o.delta;
  options.objective.reg = {parse_regularizer(o.reg), o.lambda};
  options.optimizer = o.optimizer == "adam" ? Optimizer::Adam : Optimizer::Sgd;
  options.momentum = o.optimizer == "momentum" ? 0.9f : 0.0f;
  options.learning_rate = o.lr.value_or(0.01f);
  options.lr_decay = o.lr_decay;
  options.lr_schedule = parse_lr_schedule(!o.lr_schedule.empty() ? o.lr_schedule : images ? "linear" : "epochs");
  options.batch_size = o.batch.value_or(images ? 100 : 10);
  options.epochs = o.epochs.value_or(images ? 5 : 300);
  options.seed = o.seed;
  options.evaluate_initial = false;
  if (!o.init.empty()) options.init = parse_init(o.init);
  const Init init = options.init.value_or(default_init(shape.activation));

  char rate[96];
  if (options.lr_schedule == LrSchedule::Linear)
    std::snprintf(rate, sizeof(rate), "lr %g falling linearly to 0", double(options.learning_rate));
  else
    std::snprintf(rate, sizeof(rate), "lr %g x %g per epoch", double(options.learning_rate), double(o.lr_decay));
  char line[640];
  std::cout << "nn train: " << train.name << ", " << train.count() << " training examples";
  if (test) std::cout << ", " << test->count() << " test examples (" << test->name << ")";
  std::cout << ", " << num_classes << " classes" << permutation_text(o.permute_seed) << '\n';
  const Mlp layout(shape);
  std::snprintf(line, sizeof(line),
                "network %s (%lld parameters, init %s); features %s; loss %s; %s lambda %g; %s, %s, batch %d, %d "
                "epoch%s, seed %llu\n",
                mlp_shape_text(shape).c_str(), (long long)layout.num_params(), init_name(init), plan.spec().c_str(),
                o.loss.c_str(), o.reg.c_str(), double(o.lambda), o.optimizer.c_str(), rate, options.batch_size,
                options.epochs, options.epochs == 1 ? "" : "s", static_cast<unsigned long long>(o.seed));
  std::cout << line << std::flush;

  const auto train_start = std::chrono::steady_clock::now();
  MlpTrainer trainer(shape, train_x, train.labels, options, test ? &test_x : nullptr,
                     test ? std::span<const uint8_t>(test->labels) : std::span<const uint8_t>());
  const int every = o.print_every > 0 ? o.print_every : std::max(1, options.epochs / 10);
  size_t printed = 0;  // curve points looked at so far; every `every`-th epoch end and the last are printed
  auto print_new_epochs = [&] {
    for (; printed < trainer.curve().size(); ++printed) {
      const MlpCurvePoint& p = trainer.curve()[printed];
      const int epoch = int(p.epoch);
      if (!p.epoch_end || (epoch % every != 0 && epoch != options.epochs)) continue;
      std::string text = "epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs) +
                         ": train cross-entropy " + fixed4(p.train.cross_entropy) + ", hinge " + fixed4(p.train.hinge) +
                         ", accuracy " + fixed4(p.train.accuracy);
      if (p.validation.count > 0)
        text += "; test cross-entropy " + fixed4(p.validation.cross_entropy) + ", hinge " + fixed4(p.validation.hinge) +
                ", accuracy " + fixed4(p.validation.accuracy);
      std::cout << text << " (lr " << bound_text(p.learning_rate) << ")\n" << std::flush;
    }
  };
  while (!trainer.step(64)) print_new_epochs();
  print_new_epochs();
  if (!trainer.failure().empty())
    throw Error(trainer.failure() + (o.save.empty() ? "" : "; nothing was saved to " + o.save));
  const double train_seconds = seconds_since(train_start);

  Mlp mlp = trainer.mlp();
  mlp.feature_spec = plan.spec();
  if (!o.save.empty()) {
    save_mlp(mlp, o.save);
    std::cout << "saved " << o.save << ": " << mlp_shape_text(mlp.shape) << " (" << mlp.feature_spec << ")\n";
  }
  const MlpEpochStats& last = trainer.history().back();
  std::cout << "train accuracy: " << accuracy_text(last.train.accuracy, last.train.count) << '\n';
  if (test)
    std::cout << "test accuracy: " << accuracy_text(last.validation.accuracy, last.validation.count) << " on "
              << test->name << '\n';
  std::cout.flush();
  std::snprintf(line, sizeof(line), "nn train: data and features %.2f s, training %.2f s, total %.2f s\n",
                features_seconds, train_seconds, seconds_since(start));
  std::cerr << line;
  return 0;
}

CLI::Validator hidden_validator() {
  return CLI::Validator([](std::string& text) { return parse_hidden(text, nullptr); }, "W,W,... | 0");
}

void add_nn_train(CLI::App* nn, Runner& run) {
  auto* cmd = nn->add_subcommand("train", "Train a neural net (MLP), print per-epoch figures, optionally save it");
  auto o = std::make_shared<NnTrainCliOptions>();
  cmd->add_option("--data", o->data,
                  "training data: spiral, circles, xor, blobs, uniform (toy 2-D sets), mnist, or a labelled CSV "
                  "(label,x,y: 2-D points; other widths: values as they are)")
      ->required();
  cmd->add_option("--test", o->test, "test set: a labelled CSV or mnist-test (default for --data mnist: mnist-test)");
  add_toy_options(cmd, o->toy);
  cmd->add_option("--test-ratio", o->test_ratio,
                  "hold out this fraction of 2-D training points as the test set, 0..0.9 (default 0.2 for toy sets "
                  "without --test, 0 for CSV files)")
      ->check(finite_number(0, 0.9));
  cmd->add_option("--hidden", o->hidden,
                  "hidden layer widths, input side first (up to " + std::to_string(kMaxHiddenLayers) +
                      " layers of 1.." + std::to_string(kMaxHiddenUnits) + "), or 0 for none (the linear model)")
      ->check(hidden_validator())
      ->capture_default_str();
  cmd->add_option("--activation", o->activation, "hidden units: relu, leaky (slope 0.01), tanh, sigmoid, linear")
      ->check(CLI::IsMember({"relu", "leaky", "tanh", "sigmoid", "linear"}))
      ->capture_default_str();
  cmd->add_option("--init", o->init, "he or xavier (default: he for relu and leaky, xavier otherwise)")
      ->check(CLI::IsMember({"he", "xavier"}));
  cmd->add_option("--features", o->features,
                  "2-D inputs from x,y,x2,y2,xy,sinx,siny (default x,y; sin uses 6x); images: a feature spec such as "
                  "pixels (default) or hog")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            if (text == "raw") return {};
            try {
              parse_feature_list(text);
              return {};
            } catch (const Error& list_error) {
              try {
                parse_feature_spec(text);
                return {};
              } catch (const Error&) {
                return std::string(list_error.what()) + "; nor is it an image feature spec such as pixels or hog";
              }
            }
          },
          "LIST|SPEC"));
  cmd->add_option("--loss", o->loss, "softmax, svm (multiclass hinge), or mse (TF Playground's squared error)")
      ->check(CLI::IsMember({"softmax", "svm", "mse"}))
      ->capture_default_str();
  cmd->add_option("--delta", o->delta, "margin of svm (0 < delta <= 10000)")
      ->check(finite_number(0, 1e4, true))
      ->capture_default_str();
  cmd->add_option("--reg", o->reg, "regularizer of the weights (never the biases): none, l2, l1")
      ->check(CLI::IsMember({"none", "l2", "l1"}))
      ->capture_default_str();
  cmd->add_option("--lambda", o->lambda, "regularization strength (0..10000)")
      ->check(finite_number(0, 1e4))
      ->capture_default_str();
  cmd->add_option("--optimizer", o->optimizer, "sgd, momentum (sgd with 0.9) or adam")
      ->check(CLI::IsMember({"sgd", "momentum", "adam"}))
      ->capture_default_str();
  cmd->add_option("--lr", o->lr, "learning rate (0 < lr <= 1000; default 0.01)")->check(finite_number(0, 1e3, true));
  cmd->add_option("--lr-schedule", o->lr_schedule,
                  "epochs: the rate is multiplied by --lr-decay after every epoch; linear: it falls linearly to 0 "
                  "over the run's minibatches (default: linear for images, epochs otherwise)")
      ->check(CLI::IsMember({"epochs", "linear"}));
  cmd->add_option("--lr-decay", o->lr_decay,
                  "the learning rate is multiplied by this after every epoch (0 < decay <= 1)")
      ->check(finite_number(0, 1, true))
      ->capture_default_str();
  cmd->add_option("--batch", o->batch,
                  "examples per update (1.." + std::to_string(kMaxMlpBatch) + "; default 10, for images 100)")
      ->check(integer_in(1, kMaxMlpBatch));
  cmd->add_option("--epochs", o->epochs,
                  "passes over the training data (1.." + std::to_string(kMaxMlpEpochs) + "; default 300, for images 5)")
      ->check(integer_in(1, kMaxMlpEpochs));
  cmd->add_option("--seed", o->seed, "seed of the initial weights and the shuffles")->capture_default_str();
  cmd->add_option("--print-every", o->print_every, "print every this many epochs (0: about ten lines), 0..100000")
      ->check(integer_in(0, kMaxMlpEpochs))
      ->capture_default_str();
  add_permute_pixels_option(cmd, o->permute_seed);
  cmd->add_option("--save", o->save, "model file to write");
  cmd->footer(
      "The spiral is CS231n's generator: class j has r = linspace(0, 1), angle = linspace(4j, 4(j + 1)) + "
      "noise x randn. Each printed epoch gives the training (and test) cross-entropy, hinge and accuracy; the "
      "last lines are `train accuracy: 0.9933 (298/300)` and, with test data, `test accuracy: ...`. --data mnist "
      "tests on mnist-test, pixels scaled to [0, 1]. Training that diverges stops with exit 1 and saves nothing.");
  cmd->callback([&run, cmd, o] {
    if (!toy_preset_of(o->data)) reject_toy_options(cmd, o->data);
    reject_permute_pixels_unless_images(cmd, o->data);
    run = [o] { return run_nn_train(*o); };
  });
}

// [SECTION] implay nn eval -----------------------------------------------------------------------

struct NnEvalCliOptions {
  std::string model;  // a file written by `nn train --save`
  std::string data;   // toy preset, mnist(-test), or CSV
  ToyCliOptions toy;
  std::optional<uint64_t> permute_seed;  // --permute-pixels: the seed the model was trained with
};

int run_nn_eval(const NnEvalCliOptions& o) {
  const Mlp mlp = load_mlp(o.model);
  const InputPlan plan = plan_of_model(mlp, o.model);
  NnData data = load_nn_data(o.data, o.toy);
  permute_dataset_pixels(data.images, o.permute_seed);
  const RowMatrixXf x = features_of(data, plan, "the model " + o.model);  // (N, F)
  if (x.cols() != mlp.shape.input_dim)
    throw Error("dimension mismatch: " + o.model + " takes " + std::to_string(mlp.shape.input_dim) + " features (" +
                plan.spec() + "), " + data.name + " (" + data.shape() + ") gives " + std::to_string(x.cols()));
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] >= mlp.shape.num_classes)
      throw Error(data.name + ": label " + std::to_string(data.labels[i]) + " of example " + std::to_string(i + 1) +
                  " (counting from 1) is outside the classes 0.." + std::to_string(mlp.shape.num_classes - 1) + " of " +
                  o.model);
  const Eigen::MatrixXi confusion = confusion_matrix(mlp_predict(mlp, x), data.labels, mlp.shape.num_classes);
  std::cout << "model " << o.model << ": " << mlp_shape_text(mlp.shape) << " (" << plan.spec() << ")"
            << permutation_text(o.permute_seed) << '\n'
            << eval_report(data.name, data.count(), confusion);
  return 0;
}

void add_nn_eval(CLI::App* nn, Runner& run) {
  auto* cmd = nn->add_subcommand("eval", "Accuracy and confusion matrix of a saved neural net on a labelled set");
  auto o = std::make_shared<NnEvalCliOptions>();
  cmd->add_option("--model", o->model, "model file written by `implay nn train --save`")->required();
  cmd->add_option("--data", o->data, "labelled set: a toy set (with the toy options), mnist-test, mnist, or a CSV")
      ->required();
  add_toy_options(cmd, o->toy);
  add_permute_pixels_option(cmd, o->permute_seed);
  cmd->footer(
      "The model's saved feature spec decides the inputs. A missing or corrupt model file, or data that does "
      "not fit the model, is exit 1.");
  cmd->callback([&run, cmd, o] {
    if (!toy_preset_of(o->data)) reject_toy_options(cmd, o->data);
    reject_permute_pixels_unless_images(cmd, o->data);
    run = [o] { return run_nn_eval(*o); };
  });
}

// [SECTION] implay nn data -----------------------------------------------------------------------

struct NnDataCliOptions {
  std::string data;  // a toy preset
  ToyCliOptions toy;
  std::string out;  // CSV to write
};

int run_nn_data(const NnDataCliOptions& o) {
  const ToyPreset preset = parse_toy_preset(o.data);
  const ToyData toy = make_toy_data(preset, o.toy.classes, o.toy.points, o.toy.seed, o.toy.core());
  std::string text = "label,x,y\n";
  char number[32];
  for (int i = 0; i < toy.count(); ++i) {
    text += std::to_string(toy.labels[size_t(i)]);
    for (int k = 0; k < 2; ++k) {  // the shortest decimal that reads back to the same float
      // + 0: a spiral's centre point is r · (sin θ, cos θ) with r = 0, often -0, which would print "-0".
      const float value = toy.points[size_t(2 * i + k)] + 0.0f;
      const auto result = std::to_chars(number, number + sizeof(number), value);
      text += ',';
      text.append(number, result.ptr);
    }
    text += '\n';
  }
  write_file_bytes(o.out, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  std::cout << "wrote " << o.out << ": " << toy.count() << " points of " << toy_description(preset, o.toy) << '\n';
  return 0;
}

void add_nn_data(CLI::App* nn, Runner& run) {
  auto* cmd = nn->add_subcommand("data", "Write a toy 2-D set as a label,x,y CSV (the points `nn train` would use)");
  auto o = std::make_shared<NnDataCliOptions>();
  cmd->add_option("--data", o->data, "spiral (CS231n's generator), circles, xor, blobs or uniform")
      ->required()
      ->check(CLI::IsMember({"spiral", "circles", "xor", "blobs", "uniform"}));
  add_toy_options(cmd, o->toy);
  cmd->add_option("--out", o->out, "CSV file to write")->required();
  cmd->callback([&run, o] { run = [o] { return run_nn_data(*o); }; });
}

}  // namespace

void add_nn_commands(CLI::App& app, Runner& run) {
  auto* nn = app.add_subcommand("nn", "Neural nets (MLP): train on toy 2-D sets, MNIST or a CSV; evaluate a saved one");
  nn->require_subcommand(1);
  add_nn_train(nn, run);
  add_nn_eval(nn, run);
  add_nn_data(nn, run);
}

}  // namespace implay::cli
