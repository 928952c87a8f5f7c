// cmd_cnn.cpp — `implay cnn train|eval`: train core/conv's default CNN (cnn.hpp's
// default_cnn_shape, cnn_train.hpp's CnnTrainer) on MNIST, print one line per epoch, save it;
// score a saved net (accuracy and confusion matrix, as `nn eval`). Both take --permute-pixels
// SEED (pixel_permutation.hpp), the "flattening loses position" experiment.
//
// Index: [data] [implay cnn train] [implay cnn eval]
//
// Exit codes as main.cpp: 2 for bad usage (an option out of range), 1 for unreadable data or
// models (core's parse_cnn messages name the file) and for divergence.
#include <algorithm>
#include <chrono>
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
#include "core/conv/cnn.hpp"
#include "core/conv/cnn_train.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"
#include "io/data_files.hpp"

namespace implay::cli {
namespace {

// [SECTION] data ---------------------------------------------------------------------------------

// A labelled image set as the net's inputs.
struct CnnData {
  std::string name;             // mnist, mnist-test
  RowMatrixXf x;                // (N, H·W) pixels / 255
  std::vector<uint8_t> labels;  // (N)
  int rows = 0, cols = 0;       // H, W

  int count() const { return int(labels.size()); }
};

// mnist / mnist-test (the first `count` images when given), pixels permuted when a seed is given.
CnnData load_cnn_data(const std::string& name, std::optional<int> count, std::optional<uint64_t> permute_seed) {
  if (!is_image_dataset_name(name)) throw Error(name + ": cnn takes the image sets mnist and mnist-test");
  LabeledImages images = load_named_dataset(name);
  if (count) images = images.first(*count);
  permute_dataset_pixels(images, permute_seed);
  CnnData data;
  data.name = name;
  data.rows = images.rows, data.cols = images.cols;
  data.x = unit_pixels(images.pixels, images.count, images.dim());
  data.labels = std::move(images.labels);
  return data;
}

// The net's input must be the images' size.
void check_fits(const CnnShape& shape, const CnnData& data, const std::string& net_name) {
  if (shape.channels != 1 || shape.height != data.rows || shape.width != data.cols)
    throw Error("dimension mismatch: " + net_name + " takes " + std::to_string(shape.channels) + "x" +
                std::to_string(shape.height) + "x" + std::to_string(shape.width) + " images, " + data.name + " has 1x" +
                std::to_string(data.rows) + "x" + std::to_string(data.cols));
}

// [SECTION] implay cnn train ---------------------------------------------------------------------

// The default recipe is core's (cnn_train.hpp's CnnTrainOptions, with its measured figures):
// Adam, α = 0.004 falling linearly to 0 over the run, B = 16, one epoch: 98.7–99.0 % on MNIST.
const CnnTrainOptions kRecipe;

struct CnnTrainCliOptions {
  std::string data = "mnist";
  std::string test = "mnist-test";  // "none": no test set
  std::optional<int> train_count;   // the first N training images; unset: all
  int epochs = 1;
  int batch = kRecipe.batch_size;
  float lr = kRecipe.learning_rate;
  std::string lr_schedule = lr_schedule_name(kRecipe.lr_schedule);  // linear, epochs
  float lr_decay = 1;                                               // epochs: α ← α · decay after every epoch
  uint64_t seed = 1;                                                // initial weights and shuffles
  std::optional<uint64_t> permute_seed;                             // --permute-pixels
  std::string save;                                                 // model file; "" = none
};

std::string epoch_line(const CnnEpochStats& s, int epochs, double seconds) {
  char text[256];
  std::snprintf(text, sizeof(text), "epoch %d/%d: mean batch loss %s, train loss %s, accuracy %s", s.epoch, epochs,
                fixed4(s.mean_batch_objective).c_str(), fixed4(s.train.cross_entropy).c_str(),
                fixed4(s.train.accuracy).c_str());
  std::string line = text;
  if (s.validation.count > 0)
    line += "; test loss " + fixed4(s.validation.cross_entropy) + ", accuracy " + fixed4(s.validation.accuracy);
  std::snprintf(text, sizeof(text), " (lr now %g, %.1f s)", double(s.learning_rate), seconds);
  return line + text;
}

int run_cnn_train(const CnnTrainCliOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (!o.save.empty()) check_save_path(o.save);
  const CnnData train = load_cnn_data(o.data, o.train_count, o.permute_seed);
  std::optional<CnnData> test;
  if (o.test != "none") test = load_cnn_data(o.test, std::nullopt, o.permute_seed);
  const CnnShape shape = default_cnn_shape();
  check_fits(shape, train, "the default CNN");
  const double data_seconds = seconds_since(start);

  CnnTrainOptions options;
  options.learning_rate = o.lr;
  options.lr_schedule = parse_lr_schedule(o.lr_schedule);
  options.lr_decay = o.lr_decay;
  options.batch_size = o.batch;
  options.epochs = o.epochs;
  options.seed = o.seed;
  options.evaluate_initial = false;

  std::cout << "cnn train: " << train.name << ", " << train.count() << " training examples";
  if (test) std::cout << ", " << test->count() << " test examples (" << test->name << ")";
  std::cout << permutation_text(o.permute_seed) << '\n';
  const Cnn layout(shape);
  char line[512];
  std::snprintf(line, sizeof(line), "network %s (%lld parameters); adam, lr %g %s, batch %d, %d epoch%s, seed %llu\n",
                cnn_shape_text(shape).c_str(), (long long)layout.num_params(), double(o.lr),
                options.lr_schedule == LrSchedule::Linear ? "falling linearly to 0"
                                                          : ("x " + bound_text(o.lr_decay) + " per epoch").c_str(),
                o.batch, o.epochs, o.epochs == 1 ? "" : "s", static_cast<unsigned long long>(o.seed));
  std::cout << line << std::flush;

  const auto train_start = std::chrono::steady_clock::now();
  CnnTrainer trainer(shape, train.x, train.labels, options, test ? &test->x : nullptr,
                     test ? std::span<const uint8_t>(test->labels) : std::span<const uint8_t>());
  size_t printed = 0;
  auto epoch_start = train_start;
  auto print_new_epochs = [&] {
    for (; printed < trainer.history().size(); ++printed) {
      std::cout << epoch_line(trainer.history()[printed], o.epochs, seconds_since(epoch_start)) << '\n' << std::flush;
      epoch_start = std::chrono::steady_clock::now();
    }
  };
  while (!trainer.step(16)) print_new_epochs();
  print_new_epochs();
  if (!trainer.failure().empty())
    throw Error(trainer.failure() + (o.save.empty() ? "" : "; nothing was saved to " + o.save));
  const double train_seconds = seconds_since(train_start);

  if (!o.save.empty()) {
    save_cnn(trainer.cnn(), o.save);
    std::cout << "saved " << o.save << ": " << cnn_shape_text(shape) << '\n';
  }
  const CnnEpochStats& last = trainer.history().back();
  std::cout << "train accuracy: " << accuracy_text(last.train.accuracy, last.train.count) << '\n';
  if (test)
    std::cout << "test accuracy: " << accuracy_text(last.validation.accuracy, last.validation.count) << " on "
              << test->name << '\n';
  std::cout.flush();
  std::snprintf(line, sizeof(line), "cnn train: data %.2f s, training %.2f s, total %.2f s\n", data_seconds,
                train_seconds, seconds_since(start));
  std::cerr << line;
  return 0;
}

void add_cnn_train(CLI::App* cnn, Runner& run) {
  auto* cmd =
      cnn->add_subcommand("train", "Train the default CNN on MNIST, print per-epoch figures, optionally save it");
  auto o = std::make_shared<CnnTrainCliOptions>();
  cmd->add_option("--data", o->data, "training images: mnist (or mnist-test)")->capture_default_str();
  cmd->add_option("--test", o->test, "test images: mnist-test, mnist, or none")->capture_default_str();
  cmd->add_option("--train-count", o->train_count, "train on the first N training images only (1..60000)")
      ->check(integer_in(1, 60000));
  cmd->add_option("--epochs", o->epochs, "passes over the training images (1.." + std::to_string(kMaxCnnEpochs) + ")")
      ->check(integer_in(1, kMaxCnnEpochs))
      ->capture_default_str();
  cmd->add_option("--batch", o->batch, "examples per update (1.." + std::to_string(kMaxCnnBatch) + ")")
      ->check(integer_in(1, kMaxCnnBatch))
      ->capture_default_str();
  cmd->add_option("--lr", o->lr, "Adam's learning rate (0 < lr <= 10)")
      ->check(finite_number(0, 10, true))
      ->capture_default_str();
  cmd->add_option("--lr-schedule", o->lr_schedule,
                  "linear: the rate falls linearly to 0 over the run's minibatches; epochs: it is multiplied by "
                  "--lr-decay after every epoch")
      ->check(CLI::IsMember({"epochs", "linear"}))
      ->capture_default_str();
  cmd->add_option("--lr-decay", o->lr_decay, "with --lr-schedule epochs: the factor after every epoch (0 < decay <= 1)")
      ->check(finite_number(0, 1, true))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the initial weights and the shuffles")->capture_default_str();
  add_permute_pixels_option(cmd, o->permute_seed);
  cmd->add_option("--save", o->save, "model file to write");
  cmd->footer(
      "The net is the lecture's: conv 5x5 x8 pad 2 > relu > maxpool 2 > conv 5x5 x16 pad 2 > relu > maxpool 2 > "
      "dense 10, pixels scaled to [0, 1]. The last stdout line is `test accuracy: 0.9812 (9812/10000) on "
      "mnist-test`. Training that diverges stops with exit 1 and saves nothing.");
  cmd->callback([&run, cmd, o] {
    reject_permute_pixels_unless_images(cmd, o->data);
    run = [o] { return run_cnn_train(*o); };
  });
}

// [SECTION] implay cnn eval ----------------------------------------------------------------------

struct CnnEvalCliOptions {
  std::string model;  // a file written by `cnn train --save`
  std::string data = "mnist-test";
  std::optional<uint64_t> permute_seed;
};

// Predicted classes (N) of X (N, C·H·W), in blocks so that the layers' outputs stay small.
std::vector<int> predict_in_blocks(const Cnn& cnn, const RowMatrixXf& x) {
  constexpr Eigen::Index kBlockRows = 256;
  std::vector<int> predicted;
  predicted.reserve(size_t(x.rows()));
  for (Eigen::Index first = 0; first < x.rows(); first += kBlockRows) {
    const std::vector<int> block = cnn_predict(cnn, x.middleRows(first, std::min(kBlockRows, x.rows() - first)));
    predicted.insert(predicted.end(), block.begin(), block.end());
  }
  return predicted;
}

int run_cnn_eval(const CnnEvalCliOptions& o) {
  if (std::filesystem::is_directory(o.model)) throw Error(o.model + ": is a folder; name a model file");
  const Cnn cnn = load_cnn(o.model);
  const CnnData data = load_cnn_data(o.data, std::nullopt, o.permute_seed);
  check_fits(cnn.shape, data, "the model " + o.model);
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] >= cnn.num_classes())
      throw Error(data.name + ": label " + std::to_string(data.labels[i]) + " of example " + std::to_string(i + 1) +
                  " (counting from 1) is outside the classes 0.." + std::to_string(cnn.num_classes() - 1) + " of " +
                  o.model);
  const Eigen::MatrixXi confusion = confusion_matrix(predict_in_blocks(cnn, data.x), data.labels, cnn.num_classes());
  std::cout << "model " << o.model << ": " << cnn_shape_text(cnn.shape) << " (" << cnn.num_params() << " parameters)"
            << permutation_text(o.permute_seed) << '\n'
            << eval_report(data.name, data.count(), confusion);
  return 0;
}

void add_cnn_eval(CLI::App* cnn, Runner& run) {
  auto* cmd = cnn->add_subcommand("eval", "Accuracy and confusion matrix of a saved CNN on MNIST");
  auto o = std::make_shared<CnnEvalCliOptions>();
  cmd->add_option("--model", o->model, "model file written by `implay cnn train --save`")->required();
  cmd->add_option("--data", o->data, "labelled images: mnist-test or mnist")->capture_default_str();
  add_permute_pixels_option(cmd, o->permute_seed);
  cmd->footer(
      "A model trained with --permute-pixels SEED needs the same SEED here: the file does not record it. A missing "
      "or corrupt model file is exit 1.");
  cmd->callback([&run, cmd, o] {
    reject_permute_pixels_unless_images(cmd, o->data);
    run = [o] { return run_cnn_eval(*o); };
  });
}

}  // namespace

void add_cnn_commands(CLI::App& app, Runner& run) {
  auto* cnn = app.add_subcommand("cnn", "Convolutional nets: train the default CNN on MNIST; evaluate a saved one");
  cnn->require_subcommand(1);
  add_cnn_train(cnn, run);
  add_cnn_eval(cnn, run);
}

}  // namespace implay::cli
