// cmd_ar.cpp — `implay ar train|nll|complete`: the autoregressive pixel models of
// core/pixel/pixel_model.hpp (the "Sketch model lab") on the command line. Train context counts, an
// FVSBN or a NADE on binarized MNIST or an IDX images file and save it; the mean −log p(x) of a
// set under a saved model; complete a 28x28 PNG from a row on and write the samples as a PNG grid.
//
// Index: [helpers] [images] [implay ar train] [implay ar nll] [implay ar complete]
//
// Exit codes as main.cpp: 2 for bad usage, 1 for unreadable or unusable data, models and images
// (the message names the file).
//
// Ink: MNIST is white ink on black, and so are the models. A PNG is read as grey over white
// (transparency composited); on a dark background bright pixels are ink, on a light one (paper,
// a transparent canvas) dark pixels are; then ≥ 128 is ink (1). Output grids are white ink on
// black with grey 1-pixel separators.
#include <algorithm>
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
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_fvsbn.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "io/data_files.hpp"
#include "io/png_files.hpp"

namespace implay::cli {
namespace {

// [SECTION] helpers ------------------------------------------------------------------------------

constexpr int kInkThreshold = 128;     // pixel ≥ 128 → 1 (ink), as core binarize()
constexpr int kMaxCompletions = 1000;  // --samples: a grid of 100 rows of 10

// Binarized images of `name`: mnist / mnist-test, or an IDX images file (N x rows x cols, raw or .gz).
BinaryImages load_binary_images(const std::string& name) {
  if (resolve_dataset_name(name)) return binarize(load_named_dataset(name), kInkThreshold);
  if (std::filesystem::is_directory(name))
    throw Error(name + ": is a folder; name an IDX images file, or mnist / mnist-test");
  return binary_images_from_idx(parse_idx_u8(read_data_file(name), name), name, kInkThreshold);
}

std::unique_ptr<PixelModel> load_model(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw Error(path + ": is a folder; name a model file");
  return load_pixel_model(path);  // its messages name the file
}

std::string model_summary(const PixelModel& model) {
  std::string text = std::string(pixel_model_kind_name(model.kind())) + " model of " + std::to_string(model.rows()) +
                     "x" + std::to_string(model.cols()) + " pixels";
  if (const auto* counts = dynamic_cast<const ContextModel*>(&model)) {
    char extra[96];
    std::snprintf(extra, sizeof(extra), ", template %d, alpha %g%s", counts->options.neighbours,
                  double(counts->options.alpha), counts->options.position_dependent ? ", position-dependent" : "");
    text += extra;
  }
  if (const auto* nade = dynamic_cast<const NadeModel*>(&model))
    text += ", " + std::to_string(nade->hidden()) + " hidden units";
  return text;
}

// [SECTION] images -------------------------------------------------------------------------------

// A light background: the mean of the border pixels is bright.
bool has_light_background(const GreyImage& image) {
  uint64_t sum = 0, n = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      if (y == 0 || x == 0 || y == image.height - 1 || x == image.width - 1) {
        sum += image.pixels[size_t(y) * size_t(image.width) + size_t(x)];
        ++n;
      }
  return n > 0 && sum >= 128 * n;
}

// A PNG as 0/1 ink, rows x cols. Transparency is composited on white; then ink is what differs
// from the background: bright pixels on a dark background (MNIST's white on black), dark pixels on
// a light one (a pen on paper, or on a transparent canvas). Throws naming the file.
std::vector<uint8_t> read_ink_png(const std::string& path, int rows, int cols) {
  GreyImage grey = decode_png_grey(read_file_bytes(path), path);
  if (grey.width != cols || grey.height != rows)
    throw Error(path + ": image of " + std::to_string(grey.width) + "x" + std::to_string(grey.height) +
                " pixels; the model takes " + std::to_string(cols) + "x" + std::to_string(rows) + " (resize it first)");
  if (has_light_background(grey))
    for (uint8_t& v : grey.pixels) v = uint8_t(255 - v);
  return binarize(grey.pixels, kInkThreshold);
}

// `samples` (count, rows·cols) 0/1 as a grid of tiles, at most `per_row` a row, white ink on black,
// 1-pixel grey separators between tiles. Writes a grey PNG; throws naming the file.
void write_sample_grid(const std::string& path, const std::vector<uint8_t>& samples, int count, int rows, int cols,
                       int per_row) {
  // count ≤ kMaxCompletions and rows, cols ≤ 4096 (the model format): the sizes fit int64.
  const int64_t grid_cols = std::min(count, per_row);
  const int64_t grid_rows = (count + per_row - 1) / per_row;
  const int64_t width = grid_cols * cols + (grid_cols - 1);
  const int64_t height = grid_rows * rows + (grid_rows - 1);
  if (width * height > kMaxPngPixels)
    throw Error(path + ": a grid of " + std::to_string(count) + " samples of " + std::to_string(cols) + "x" +
                std::to_string(rows) + " would be " + std::to_string(width) + "x" + std::to_string(height) +
                " pixels, more than a PNG may have here (" + std::to_string(kMaxPngPixels) + "); draw fewer --samples");
  GreyImage grid;
  grid.width = int(width);
  grid.height = int(height);
  grid.pixels.assign(size_t(width) * size_t(height), uint8_t(128));
  std::vector<uint8_t>& out = grid.pixels;
  const size_t dim = size_t(rows) * size_t(cols);
  for (int s = 0; s < count; ++s) {
    const int x0 = (s % per_row) * (cols + 1), y0 = (s / per_row) * (rows + 1);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        out[size_t(y0 + r) * size_t(width) + size_t(x0 + c)] =
            samples[size_t(s) * dim + size_t(r) * size_t(cols) + size_t(c)] ? 255 : 0;
  }
  write_png_grey(path, grid);  // errors name the path and the reason
}

// [SECTION] implay ar train ----------------------------------------------------------------------

struct ArTrainCliOptions {
  std::string model;                             // counts, fvsbn or nade
  int neighbours = ContextOptions{}.neighbours;  // --template K
  float alpha = ContextOptions{}.alpha;          // counts smoothing; FVSBN's/NADE's initial bias smoothing
  std::optional<int> epochs;                     // fvsbn, nade: their own defaults when not given
  std::optional<float> learning_rate;            // fvsbn, nade: α of the first epoch
  int hidden = NadeTrainOptions{}.hidden;        // nade: H
  uint64_t seed = FvsbnTrainOptions{}.seed;
  std::string data = "mnist";
  std::string save;
};

void train_counts(const BinaryImages& train, const ArTrainCliOptions& options) {
  ContextOptions context;
  context.neighbours = options.neighbours;
  context.alpha = options.alpha;
  const auto count_start = std::chrono::steady_clock::now();
  const ContextModel model(train, context);
  const double count_seconds = seconds_since(count_start);
  char line[256];
  std::snprintf(line, sizeof(line), "counted %d contexts (template %d, alpha %g) in %.3f s\n", model.num_contexts(),
                options.neighbours, double(options.alpha), count_seconds);
  std::cout << line;
  save_pixel_model(model, options.save);
  std::cout << "saved " << options.save << ": " << model_summary(model) << '\n';
}

// Options of either trained model from the command line, over the model's own defaults.
template <class TrainOptions>
TrainOptions trained_model_options(const ArTrainCliOptions& options) {
  TrainOptions train_options;
  if (options.epochs) train_options.epochs = *options.epochs;
  if (options.learning_rate) train_options.learning_rate = *options.learning_rate;
  train_options.seed = options.seed;
  train_options.init_alpha = options.alpha;
  return train_options;
}

template <class TrainOptions>
void print_schedule(const TrainOptions& o, bool validating) {
  char line[256];
  std::snprintf(line, sizeof(line), "%s, lr %g x %g per epoch, batch %d, %d epoch%s, seed %llu%s\n",
                o.optimizer == Optimizer::Adam ? "Adam" : "SGD with momentum", double(o.learning_rate),
                double(o.lr_decay), o.batch_size, o.epochs, o.epochs == 1 ? "" : "s",
                static_cast<unsigned long long>(o.seed),
                validating ? ", validation mnist-test" : ", no validation set");
  std::cout << line << std::flush;
}

// Runs either trainer to the end in slices, printing each finished epoch, then saves its model.
void run_trainer(PixelModelTrainer& trainer, int epochs, const std::string& save) {
  size_t printed = 0;  // curve points looked at so far; the epochs' ends are printed
  auto print_new_epochs = [&] {
    for (; printed < trainer.curve().size(); ++printed) {
      const PixelCurvePoint& p = trainer.curve()[printed];
      if (!p.epoch_end || p.epoch == 0) continue;
      char valid[32] = "-", line[256];
      if (std::isfinite(p.validation)) std::snprintf(valid, sizeof(valid), "%.2f", p.validation);
      std::snprintf(line, sizeof(line), "epoch %d/%d: train nll %.2f nats, validation nll %s nats (lr %g)\n",
                    int(p.epoch), epochs, p.train, valid, double(p.learning_rate));
      std::cout << line << std::flush;
    }
  };
  while (!trainer.step(16)) print_new_epochs();
  print_new_epochs();
  if (!trainer.failure().empty()) throw Error(trainer.failure() + "; nothing was saved to " + save);
  save_pixel_model(trainer.model(), save);
  std::cout << "saved " << save << ": " << model_summary(trainer.model()) << '\n';
}

int run_ar_train(const ArTrainCliOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  check_save_path(options.save);
  const BinaryImages train = load_binary_images(options.data);
  std::cout << "ar train: " << options.model << " on " << options.data << ", " << train.count << " images of "
            << train.rows << "x" << train.cols << " (binarized: pixel >= " << kInkThreshold << ")\n";
  // MNIST validates on mnist-test (as the core's measured figures); a file on nothing.
  std::optional<BinaryImages> validation;
  if (options.model != "counts" && options.data == "mnist") validation = load_binary_images("mnist-test");
  const BinaryImages* valid = validation ? &*validation : nullptr;
  if (options.model == "counts") {
    train_counts(train, options);
  } else if (options.model == "fvsbn") {
    const auto o = trained_model_options<FvsbnTrainOptions>(options);
    print_schedule(o, valid);
    FvsbnTrainer trainer(train, o, valid);
    run_trainer(trainer, o.epochs, options.save);
  } else {  // nade
    auto o = trained_model_options<NadeTrainOptions>(options);
    o.hidden = options.hidden;
    std::cout << "NADE with " << o.hidden << " ReLU hidden units\n";
    print_schedule(o, valid);
    NadeTrainer trainer(train, o, valid);
    run_trainer(trainer, o.epochs, options.save);
  }
  std::cout.flush();
  char line[64];
  std::snprintf(line, sizeof(line), "ar train: total %.2f s\n", seconds_since(start));
  std::cerr << line;
  return 0;
}

void add_ar_train(CLI::App* ar, Runner& run) {
  auto* cmd = ar->add_subcommand("train", "Train a pixel model (context counts, FVSBN or NADE) and save it");
  auto options = std::make_shared<ArTrainCliOptions>();
  cmd->add_option("--model", options->model,
                  "counts (context counts over a causal template), fvsbn (logistic on all previous pixels) or nade "
                  "(a hidden layer shared by all pixels)")
      ->required()
      ->check(CLI::IsMember({"counts", "fvsbn", "nade"}));
  cmd->add_option("--template", options->neighbours, "counts: neighbours in the causal template (1..12)")
      ->check(integer_in(1, kMaxContextNeighbours))
      ->capture_default_str();
  cmd->add_option("--alpha", options->alpha,
                  "additive smoothing, 0..1000000 (counts: p = (n1 + a) / (n + 2a); fvsbn, nade: of the initial pixel "
                  "frequencies)")
      ->check(finite_number(0, 1e6))
      ->capture_default_str();
  cmd->add_option("--epochs", options->epochs,
                  "fvsbn, nade: passes over the training set, 1.." + std::to_string(kMaxPixelModelEpochs) +
                      " (default " + std::to_string(FvsbnTrainOptions{}.epochs) + " for fvsbn, " +
                      std::to_string(NadeTrainOptions{}.epochs) + " for nade)")
      ->check(integer_in(1, kMaxPixelModelEpochs));
  char lr_help[160];
  std::snprintf(
      lr_help, sizeof(lr_help),
      "fvsbn, nade: Adam learning rate of the first epoch (0 < lr <= 1000), halved after each (default %g for "
      "fvsbn, %g for nade)",
      double(FvsbnTrainOptions{}.learning_rate), double(NadeTrainOptions{}.learning_rate));
  cmd->add_option("--lr", options->learning_rate, lr_help)->check(finite_number(0, 1e3, true));
  cmd->add_option("--hidden", options->hidden, "nade: hidden units H (1..4096)")
      ->check(integer_in(1, kMaxNadeHidden))
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "fvsbn, nade: seed of the shuffles (and NADE's initial weights)")
      ->capture_default_str();
  cmd->add_option("--data", options->data, "training images: mnist, or an IDX images file (raw or .gz)")
      ->capture_default_str();
  cmd->add_option("--save", options->save, "model file to write")->required();
  cmd->footer(
      "Pixels are binarized at 128 (bright = ink). fvsbn and nade on mnist print per epoch the mean training "
      "-log p(x) and that of mnist-test, in nats per image.");
  cmd->callback([&run, options] { run = [options] { return run_ar_train(*options); }; });
}

// [SECTION] implay ar nll ------------------------------------------------------------------------

struct ArNllCliOptions {
  std::string model;
  std::string data;
};

int run_ar_nll(const ArNllCliOptions& options) {
  const std::unique_ptr<PixelModel> model = load_model(options.model);
  const BinaryImages data = load_binary_images(options.data);
  if (data.rows != model->rows() || data.cols != model->cols())
    throw Error("size mismatch: " + options.model + " models " + std::to_string(model->rows()) + "x" +
                std::to_string(model->cols()) + " images, " + options.data + " has " + std::to_string(data.rows) + "x" +
                std::to_string(data.cols));
  const auto start = std::chrono::steady_clock::now();
  const double nats = mean_nll(*model, data);
  const double bits_per_pixel = nats / std::log(2.0) / double(model->dim());
  char line[256];
  std::cout << "model " << options.model << ": " << model_summary(*model) << '\n'
            << "data " << options.data << ": " << data.count << " images\n";
  std::snprintf(line, sizeof(line), "nll: %.2f nats (%.4f bits/pixel)\n", nats, bits_per_pixel);
  std::cout << line << std::flush;
  std::snprintf(line, sizeof(line), "ar nll: %.2f s\n", seconds_since(start));
  std::cerr << line;
  return 0;
}

void add_ar_nll(CLI::App* ar, Runner& run) {
  auto* cmd = ar->add_subcommand("nll", "Mean -log p(x) of a set of images under a saved pixel model");
  auto options = std::make_shared<ArNllCliOptions>();
  cmd->add_option("--model", options->model, "model file written by `implay ar train --save`")->required();
  cmd->add_option("--data", options->data, "images: mnist-test, mnist, or an IDX images file")->required();
  cmd->footer(
      "Prints `nll: 83.30 nats (0.1533 bits/pixel)`: the mean over the images of -log p(x), in nats, and "
      "per pixel in bits (nats / ln 2 / pixels).");
  cmd->callback([&run, options] { run = [options] { return run_ar_nll(*options); }; });
}

// [SECTION] implay ar complete -------------------------------------------------------------------

struct ArCompleteCliOptions {
  std::string model;
  std::string image;
  int from_row = 14;
  int samples = 8;
  float temperature = SampleOptions{}.temperature;
  uint64_t seed = SampleOptions{}.seed;
  std::string out;
};

int run_ar_complete(const ArCompleteCliOptions& options) {
  const std::unique_ptr<PixelModel> model = load_model(options.model);
  if (options.from_row > model->rows())
    throw Error("--from-row " + std::to_string(options.from_row) + " is past the model's " +
                std::to_string(model->rows()) + " rows (" + options.model + ")");
  const std::vector<uint8_t> prefix = read_ink_png(options.image, model->rows(), model->cols());
  SampleOptions sample;
  sample.temperature = options.temperature;
  sample.count = options.samples;
  sample.seed = options.seed;
  const std::vector<uint8_t> samples =
      sample_completions(*model, prefix, options.from_row * model->cols(), sample);  // (N, D)
  write_sample_grid(options.out, samples, options.samples, model->rows(), model->cols(), 10);
  const int per_row = std::min(options.samples, 10);
  const int grid_rows = (options.samples + 9) / 10;
  std::cout << "wrote " << options.out << ": " << options.samples << " completion" << (options.samples == 1 ? "" : "s")
            << " from row " << options.from_row << ", " << (per_row * model->cols() + per_row - 1) << "x"
            << (grid_rows * model->rows() + grid_rows - 1) << " pixels\n";
  return 0;
}

void add_ar_complete(CLI::App* ar, Runner& run) {
  auto* cmd = ar->add_subcommand("complete", "Complete a 28x28 PNG from a row on with a saved pixel model");
  auto options = std::make_shared<ArCompleteCliOptions>();
  cmd->add_option("--model", options->model, "model file written by `implay ar train --save`")->required();
  cmd->add_option(
         "--image", options->image,
         "PNG of the model's size (28x28 for MNIST): white on black, or dark on a light or transparent background")
      ->required();
  cmd->add_option("--from-row", options->from_row, "rows above this one are kept, the rest are sampled (0..rows)")
      ->check(integer_in(0, 4096))
      ->capture_default_str();
  cmd->add_option("--samples", options->samples, "completions to draw (1.." + std::to_string(kMaxCompletions) + ")")
      ->check(integer_in(1, kMaxCompletions))
      ->capture_default_str();
  cmd->add_option("--temperature", options->temperature, "T on the logit, 0..100; 0 = always the more likely value")
      ->check(finite_number(0, 100))
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "seed of the sampler")->capture_default_str();
  cmd->add_option("--out", options->out, "PNG to write: the samples in a grid, 10 a row")->required();
  cmd->footer(
      "The PNG is read as grey over white and binarized at 128: on a dark background bright pixels are ink, as "
      "in MNIST; on a light or transparent one dark pixels are. The output is white ink on black, grey 1-pixel "
      "separators.");
  cmd->callback([&run, options] { run = [options] { return run_ar_complete(*options); }; });
}

}  // namespace

void add_ar_commands(CLI::App& app, Runner& run) {
  auto* ar = app.add_subcommand("ar", "Autoregressive pixel models: train, score (-log p(x)), complete images");
  ar->require_subcommand(1);
  add_ar_train(ar, run);
  add_ar_nll(ar, run);
  add_ar_complete(ar, run);
}

}  // namespace implay::cli
