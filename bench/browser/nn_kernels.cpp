// nn_kernels.cpp — the C entry points of the MNIST MLP browser benchmark's wasm module
// (bench_nn_wasm): thin wrappers that hand the page's MNIST bytes to core/linear/features.hpp (the
// pixels / 255 that `implay nn train --data mnist` trains on) and train core/nn/mlp_train.hpp's
// MlpTrainer. Nothing is re-implemented here; the page (nn_bench.js) does the timing, the tfjs
// peer and the report.
#include <emscripten/emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench_entry.hpp"
#include "core/linear/features.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/mlp_train.hpp"
#include "core/target.hpp"

namespace {

// The page hands tfjs the trainer's own first-epoch order (mlp_train.hpp's kMlpShuffleStream);
// bench_nn_check_order() proves it is the one the trainer used.
constexpr uint64_t kShuffleStream = implay::kMlpShuffleStream;

using bench::guarded;
using bench::last_error;
implay::RowMatrixXf train_x, test_x;             // (N, 784) and (T, 784) pixels / 255
std::vector<uint8_t> train_labels, test_labels;  // (N) and (T)
std::unique_ptr<implay::MlpTrainer> trainer;     // the run of the last bench_nn_start
implay::Mlp initial_net;                         // its net before the first update
std::vector<int32_t> first_epoch_order;          // (N) its first epoch's order of the training rows

// The features `implay nn train --data mnist` trains on: "pixels" with scaling=unit.
implay::RowMatrixXf unit_pixels(const uint8_t* pixels, int count, int rows, int cols) {
  const implay::FeatureExtractor extractor(implay::FeatureOptions{}, rows, cols);
  return extractor.transform(std::span<const uint8_t>(pixels, size_t(count) * size_t(rows * cols)), count);
}

bool have_trainer() {
  if (!trainer) last_error = "no training run: call bench_nn_start first";
  return bool(trainer);
}

}  // namespace

extern "C" {

// "WebAssembly SIMD128" when the core runs its explicit SIMD kernels (target.hpp).
EMSCRIPTEN_KEEPALIVE const char* bench_backend_name() { return implay::kernel_set_name(implay::active_kernel_set()); }
EMSCRIPTEN_KEEPALIVE const char* bench_last_error() { return last_error.c_str(); }

// Keeps MNIST as the network's float features: train (N, rows·cols) and test (T, rows·cols)
// uint8 pixels and their labels, copied from the page's buffers (it may free them). Not timed.
EMSCRIPTEN_KEEPALIVE int bench_set_data(const uint8_t* train_pixels, const uint8_t* train_y, int train_count,
                                        const uint8_t* test_pixels, const uint8_t* test_y, int test_count, int rows,
                                        int cols) {
  return guarded([&] {
    train_x = unit_pixels(train_pixels, train_count, rows, cols);
    test_x = unit_pixels(test_pixels, test_count, rows, cols);
    train_labels.assign(train_y, train_y + train_count);
    test_labels.assign(test_y, test_y + test_count);
  });
}

// A fresh run: D-hidden-10 ReLU, softmax, Adam at `learning_rate` falling linearly to 0 over the
// run (the CLI's schedule for images), batch `batch_size`, `epochs` epochs, seeded by `seed` (weights and shuffles), no
// test set: each epoch ends with the trainer's evaluation of ONE training row only, so the page times training alone
// and scores the test set itself (bench_nn_test_accuracy). Returns the net's parameter count P, or -1.
EMSCRIPTEN_KEEPALIVE int bench_nn_start(int hidden, int batch_size, float learning_rate, int epochs, int seed) {
  int params = -1;
  guarded([&] {
    implay::MlpShape shape;
    shape.input_dim = int(train_x.cols());
    shape.hidden = {hidden};
    shape.num_classes = 10;
    shape.activation = implay::Activation::Relu;
    implay::MlpTrainOptions options;
    options.optimizer = implay::Optimizer::Adam;
    options.learning_rate = learning_rate;
    options.lr_schedule = implay::LrSchedule::Linear;
    options.batch_size = batch_size;
    options.epochs = epochs;
    options.seed = uint64_t(seed);
    options.evaluate_initial = false;
    options.train_eval_rows = 1;
    trainer = std::make_unique<implay::MlpTrainer>(shape, train_x, train_labels, options);
    initial_net = trainer->mlp();
    // The first epoch's order, drawn as MlpTrainer::start_epoch draws it.
    first_epoch_order = bench::first_epoch_order(int(train_x.rows()), options.seed, kShuffleStream);
    params = int(initial_net.num_params());
  });
  return params;
}

// Advances the run by at most `units` minibatches (an epoch's end adds one evaluation unit).
// Returns the minibatches done so far in all, or -1 (error or divergence: bench_last_error).
EMSCRIPTEN_KEEPALIVE int bench_nn_step(int units) { return bench::step_trainer(trainer.get(), units); }

EMSCRIPTEN_KEEPALIVE int bench_nn_done() { return trainer && trainer->done() ? 1 : 0; }

// Loss of minibatch `i` (0-based, over the whole run), NaN when it has not been trained.
EMSCRIPTEN_KEEPALIVE float bench_nn_batch_loss(int i) { return bench::batch_loss(trainer.get(), i); }

// The run's initial parameters (P floats, mlp.hpp's flat layout: W(0) (D, H) row-major, b(0) (H),
// W(1) (H, 10), b(1) (10)) and its first epoch's order (N int32), for the page's tfjs twin.
EMSCRIPTEN_KEEPALIVE const float* bench_nn_initial_params() { return initial_net.params.data(); }
EMSCRIPTEN_KEEPALIVE const int32_t* bench_nn_first_epoch_order() { return first_epoch_order.data(); }

// 1 when bench_nn_first_epoch_order() is the order the trainer used: the objective of its first
// minibatch, recomputed on the initial net from that order's first B rows, equals (within 1e-5
// relative) the trainer's recorded first loss; 0 when not, -1 before the first minibatch.
EMSCRIPTEN_KEEPALIVE int bench_nn_check_order() {
  return bench::check_first_batch(trainer.get(), train_x, train_labels, first_epoch_order,
                                  [](const implay::RowMatrixXf& x, const std::vector<int>& y) {
                                    implay::MlpWorkspace ws;
                                    return implay::mlp_objective(initial_net, x, y, trainer->options().objective, ws);
                                  });
}

// Accuracy of the run's current net on all T test images (0..1), or -1.
EMSCRIPTEN_KEEPALIVE double bench_nn_test_accuracy() {
  if (!have_trainer()) return -1;
  double accuracy = -1;
  guarded([&] { accuracy = implay::evaluate_mlp(trainer->mlp(), test_x, test_labels).accuracy; });
  return accuracy;
}

}  // extern "C"
