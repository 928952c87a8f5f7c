// cnn_kernels.cpp — the C entry points of the MNIST CNN browser benchmark's wasm module
// (bench_cnn_wasm): thin wrappers that turn the page's MNIST bytes into cnn_train.hpp's inputs
// (pixels / 255), train core/conv/cnn_train.hpp's CnnTrainer on the default CNN and run one
// image through every layer as the Convolution lab does for a drawn digit. Nothing is
// re-implemented here; the page (cnn_bench.js) does the timing, the tfjs peer and the report.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench_entry.hpp"
#include "core/conv/cnn.hpp"
#include "core/conv/cnn_train.hpp"
#include "core/target.hpp"

namespace {

using bench::guarded;
using bench::last_error;
implay::RowMatrixXf train_x, test_x;             // (N, 784) and (T, 784) pixels / 255
std::vector<uint8_t> train_labels, test_labels;  // (N) and (T)
std::unique_ptr<implay::CnnTrainer> trainer;     // the run of the last bench_cnn_start
implay::Cnn initial_net;                         // its net before the first update
std::vector<int32_t> first_epoch_order;          // (N) its first epoch's order of the training rows
implay::CnnActivations drawn_maps;               // the forward pass of bench_cnn_forward_one
implay::ConvWorkspace drawn_ws;

bool have_trainer() {
  if (!trainer) last_error = "no training run: call bench_cnn_start first";
  return bool(trainer);
}

}  // namespace

extern "C" {

// "WebAssembly SIMD128" when the core runs its explicit SIMD kernels (target.hpp).
EMSCRIPTEN_KEEPALIVE const char* bench_backend_name() { return implay::kernel_set_name(implay::active_kernel_set()); }
EMSCRIPTEN_KEEPALIVE const char* bench_last_error() { return last_error.c_str(); }

// Keeps MNIST as the network's inputs: train (N, rows·cols) and test (T, rows·cols) uint8 pixels
// and their labels, copied from the page's buffers (it may free them). Not timed.
EMSCRIPTEN_KEEPALIVE int bench_set_data(const uint8_t* train_pixels, const uint8_t* train_y, int train_count,
                                        const uint8_t* test_pixels, const uint8_t* test_y, int test_count, int rows,
                                        int cols) {
  return guarded([&] {
    const int pixels = rows * cols;
    train_x = implay::unit_pixels({train_pixels, size_t(train_count) * size_t(pixels)}, train_count, pixels);
    test_x = implay::unit_pixels({test_pixels, size_t(test_count) * size_t(pixels)}, test_count, pixels);
    train_labels.assign(train_y, train_y + train_count);
    test_labels.assign(test_y, test_y + test_count);
  });
}

// A fresh run of the default CNN (cnn.hpp's default_cnn_shape): Adam at `learning_rate`, constant
// (linear = 0) or falling linearly to 0 over the run (linear = 1), batch `batch_size`, `epochs`
// epochs, seeded by `seed`, no test set: each epoch ends with the trainer's evaluation of ONE
// training row only, so the page times training alone and scores the test set itself
// (bench_cnn_test_accuracy). Returns the net's parameter count P, or -1.
EMSCRIPTEN_KEEPALIVE int bench_cnn_start(int batch_size, float learning_rate, int linear, int epochs, int seed) {
  int params = -1;
  guarded([&] {
    implay::CnnTrainOptions options;
    options.learning_rate = learning_rate;
    options.lr_schedule = linear ? implay::LrSchedule::Linear : implay::LrSchedule::Epochs;
    options.lr_decay = 1.0f;
    options.batch_size = batch_size;
    options.epochs = epochs;
    options.seed = uint64_t(seed);
    options.evaluate_initial = false;
    options.train_eval_rows = 1;
    options.curve_every = 0;
    trainer = std::make_unique<implay::CnnTrainer>(implay::default_cnn_shape(), train_x, train_labels, options);
    initial_net = trainer->cnn();
    first_epoch_order = bench::first_epoch_order(int(train_x.rows()), options.seed, implay::kCnnShuffleStream);
    params = int(initial_net.num_params());
  });
  return params;
}

// Advances the run by at most `units` minibatches (an epoch's end adds one evaluation unit).
// Returns the minibatches done so far in all, or -1 (error or divergence: bench_last_error).
EMSCRIPTEN_KEEPALIVE int bench_cnn_step(int units) { return bench::step_trainer(trainer.get(), units); }

// Loss of minibatch `i` (0-based, over the whole run), NaN when it has not been trained.
EMSCRIPTEN_KEEPALIVE float bench_cnn_batch_loss(int i) { return bench::batch_loss(trainer.get(), i); }

// The run's initial parameters (P floats in cnn.hpp's flat layout: conv filters (F, C·kh·kw)
// then bias (F) per conv layer, dense W (in, out) with `in` in (c, row, col) order, then b) and
// its first epoch's order (N int32), for the page's tfjs twin.
EMSCRIPTEN_KEEPALIVE const float* bench_cnn_initial_params() { return initial_net.params.data(); }
EMSCRIPTEN_KEEPALIVE const int32_t* bench_cnn_first_epoch_order() { return first_epoch_order.data(); }

// 1 when bench_cnn_first_epoch_order() is the order the trainer used: the objective of its first
// minibatch, recomputed on the initial net from that order's first B rows, equals (within 1e-5
// relative) the trainer's recorded first loss; 0 when not, -1 before the first minibatch.
EMSCRIPTEN_KEEPALIVE int bench_cnn_check_order() {
  return bench::check_first_batch(trainer.get(), train_x, train_labels, first_epoch_order,
                                  [](const implay::RowMatrixXf& x, const std::vector<int>& y) {
                                    implay::CnnWorkspace ws;
                                    return implay::cnn_objective(initial_net, x, y, trainer->options().objective, ws);
                                  });
}

// Accuracy of the run's current net on all T test images (0..1), or -1.
EMSCRIPTEN_KEEPALIVE double bench_cnn_test_accuracy() {
  if (!have_trainer()) return -1;
  double accuracy = -1;
  guarded([&] { accuracy = implay::evaluate_cnn(trainer->cnn(), test_x, test_labels).accuracy; });
  return accuracy;
}

// Test image `index` through every layer of the run's current net, keeping each layer's maps as
// the lab does for a drawn digit (the page times this call). Returns the predicted class, or -1.
EMSCRIPTEN_KEEPALIVE int bench_cnn_forward_one(int index) {
  if (!have_trainer()) return -1;
  if (index < 0 || index >= test_x.rows()) {
    last_error = "test image " + std::to_string(index) + " is outside 0.." + std::to_string(test_x.rows() - 1);
    return -1;
  }
  int predicted = -1;
  guarded([&] {
    implay::cnn_forward(trainer->cnn(), test_x.middleRows(index, 1), drawn_maps, drawn_ws);
    Eigen::Index best = 0;
    drawn_maps.scores().row(0).maxCoeff(&best);
    predicted = int(best);
  });
  return predicted;
}

}  // extern "C"
