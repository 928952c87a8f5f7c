// bench_entry.hpp — what the browser benchmarks' wasm modules (sketch_kernels.cpp, nn_kernels.cpp,
// cnn_kernels.cpp) share around their C entry points: the message of the last error, which each
// module's bench_last_error() hands to the page, guarded(), which turns an exception into −1 and
// that message (the page cannot catch a C++ exception through a C call), and the calls on a
// MinibatchTrainer the net modules share: stepping it, its minibatch losses, and its first
// epoch's order, which the pages hand to their tfjs twins, with the check that it is the one used.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "core/nn/minibatch_trainer.hpp"
#include "core/rng.hpp"

namespace bench {

inline std::string last_error;  // message of the last exception an entry point caught

// Runs f(); returns 0, or −1 with last_error set when it throws.
template <class F>
int guarded(F&& f) {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    last_error = e.what();
    return -1;
  }
}

// The order of the N training rows in a MinibatchTrainer's first epoch (minibatch_trainer.hpp):
// Rng(seed ^ shuffle_stream).shuffle of 0..N−1.
inline std::vector<int32_t> first_epoch_order(int rows, uint64_t seed, uint64_t shuffle_stream) {
  std::vector<int32_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  implay::Rng rng(seed ^ shuffle_stream);
  rng.shuffle(std::span<int32_t>(order));
  return order;
}

// Advances `trainer` (null: no run started) by at most `units` units of work. Returns the
// minibatches done so far in all, or -1 (no run, an error or a divergence: last_error).
inline int step_trainer(implay::MinibatchTrainer* trainer, int units) {
  if (!trainer) {
    last_error = "no training run: start one first";
    return -1;
  }
  if (guarded([&] { trainer->step(units); }) != 0) return -1;
  if (!trainer->failure().empty()) {
    last_error = trainer->failure();
    return -1;
  }
  return int(trainer->steps());
}

// Loss of minibatch `i` (0-based, over the whole run), NaN when it has not been trained.
inline float batch_loss(const implay::MinibatchTrainer* trainer, int i) {
  if (!trainer || i < 0 || size_t(i) >= trainer->batch_objectives().size()) return __builtin_nanf("");
  return trainer->batch_objectives()[size_t(i)];
}

// 1 when `order` is the order the trainer used: objective(x, y) of that order's first B rows of
// train_x (N, D) / labels (N), computed on the initial net by the caller, equals (within 1e-5
// relative) the trainer's recorded first loss; 0 when not, -1 before the first minibatch.
template <class Objective>
int check_first_batch(const implay::MinibatchTrainer* trainer, const implay::RowMatrixXf& train_x,
                      std::span<const uint8_t> labels, std::span<const int32_t> order, Objective&& objective) {
  if (!trainer || trainer->batch_objectives().empty()) return -1;
  const int b = std::min<int>(trainer->options().batch_size, int(train_x.rows()));
  implay::RowMatrixXf x(b, train_x.cols());  // (B, D)
  std::vector<int> y(static_cast<size_t>(b));
  for (int i = 0; i < b; ++i) {
    x.row(i) = train_x.row(order[size_t(i)]);
    y[size_t(i)] = labels[size_t(order[size_t(i)])];
  }
  const float loss = objective(x, y);
  const float recorded = trainer->batch_objectives().front();
  return std::abs(loss - recorded) <= 1e-5f * std::abs(recorded) ? 1 : 0;
}

}  // namespace bench
