// sketch_kernels.cpp — the C entry points of the Sketch-model browser benchmark's wasm module
// (bench_sketch_wasm): thin wrappers that hand the page's MNIST bytes to core/pixel/pixel_model.hpp
// (counting, evaluation, sampling) and core/pixel/pixel_model_fvsbn.hpp (FvsbnTrainer). Nothing is
// re-implemented here; the page (sketch_bench.js) does the timing, the plain-JS peers and the
// table. Models live in numbered slots (kSlot*); adding a model is one slot, its name and one
// bench_fit_* entry point (listed in CMakeLists.txt); the page samples every slot it finds.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench_entry.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_fvsbn.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/target.hpp"

namespace {

// The model slots of the page, in the order of its sampling table.
enum Slot { kSlotIndependent = 0, kSlotContext = 1, kSlotFvsbn = 2, kSlotNade = 3, kSlotCount };
const char* const kSlotNames[kSlotCount] = {"independent", "context", "fvsbn", "nade"};

using bench::guarded;
using bench::last_error;
implay::BinaryImages train_set, test_set;                // (N, D) and (N_test, D) 0/1
std::unique_ptr<implay::PixelModel> models[kSlotCount];  // what the last fits produced
std::vector<float> fvsbn_batch_losses;                   // (batches) of the last FVSBN epoch

implay::BinaryImages binarized(const uint8_t* pixels, int count, int rows, int cols) {
  implay::BinaryImages out;
  out.count = count;
  out.rows = rows;
  out.cols = cols;
  out.pixels = implay::binarize(std::span<const uint8_t>(pixels, size_t(count) * size_t(rows * cols)));
  return out;
}

// The first `count` images of a set (count ≤ 0 or ≥ N: the set itself).
const implay::BinaryImages& first_images(const implay::BinaryImages& set, int count, implay::BinaryImages& storage) {
  if (count <= 0 || count >= set.count) return set;
  storage = set;
  storage.count = count;
  storage.pixels.resize(size_t(count) * size_t(set.dim()));
  return storage;
}

const implay::PixelModel* model_in(int slot) {
  if (slot < 0 || slot >= kSlotCount) {
    last_error = "model slot " + std::to_string(slot) + " (valid: 0.." + std::to_string(kSlotCount - 1) + ")";
    return nullptr;
  }
  if (!models[slot]) {
    last_error = std::string("the ") + kSlotNames[slot] + " model has not been fitted";
    return nullptr;
  }
  return models[slot].get();
}

}  // namespace

extern "C" {

// "WebAssembly SIMD128" when the core runs its explicit SIMD kernels (target.hpp).
EMSCRIPTEN_KEEPALIVE const char* bench_backend_name() { return implay::kernel_set_name(implay::active_kernel_set()); }
EMSCRIPTEN_KEEPALIVE const char* bench_last_error() { return last_error.c_str(); }
EMSCRIPTEN_KEEPALIVE int bench_slot_count() { return kSlotCount; }
EMSCRIPTEN_KEEPALIVE const char* bench_slot_name(int slot) {
  return slot >= 0 && slot < kSlotCount ? kSlotNames[slot] : "?";
}

// Binarizes (pixel ≥ 128) and keeps the raw MNIST images: train (N, D) and test (N_test, D)
// uint8 in the page's buffers (copied; the page may free them). Not timed.
EMSCRIPTEN_KEEPALIVE int bench_set_data(const uint8_t* train, int train_count, const uint8_t* test, int test_count,
                                        int rows, int cols) {
  return guarded([&] {
    train_set = binarized(train, train_count, rows, cols);
    test_set = binarized(test, test_count, rows, cols);
  });
}

// (a) One pass of counting: the independent model (slot 0) or ContextModel with K neighbours,
// shared table (slot 1), over the first `count` training images (≤ 0: all).
EMSCRIPTEN_KEEPALIVE int bench_fit_independent(int count) {
  return guarded([&] {
    implay::BinaryImages storage;
    models[kSlotIndependent] = std::make_unique<implay::IndependentModel>(first_images(train_set, count, storage));
  });
}
EMSCRIPTEN_KEEPALIVE int bench_fit_context(int neighbours, int count) {
  return guarded([&] {
    implay::BinaryImages storage;
    implay::ContextOptions options;
    options.neighbours = neighbours;
    models[kSlotContext] = std::make_unique<implay::ContextModel>(first_images(train_set, count, storage), options);
  });
}

// The count tables of the context model, for the page's check against its JS counting:
// ones_out, totals_out: (2^K) uint32.
EMSCRIPTEN_KEEPALIVE int bench_context_counts(uint32_t* ones_out, uint32_t* totals_out) {
  const implay::PixelModel* m = model_in(kSlotContext);
  if (!m) return -1;
  const auto& ctx = static_cast<const implay::ContextModel&>(*m);
  for (size_t c = 0; c < ctx.ones.size(); ++c) {
    ones_out[c] = ctx.ones[c];
    totals_out[c] = ctx.totals[c];
  }
  return 0;
}

// (b) One FVSBN epoch with FvsbnTrainer's defaults (minibatch Adam), epochs = 1, no validation,
// over the first `count` training images (≤ 0: all); batch_size ≤ 0 keeps the default (100).
EMSCRIPTEN_KEEPALIVE int bench_fvsbn_epoch(int count, int batch_size) {
  return guarded([&] {
    static implay::BinaryImages storage;  // the trainer views its training set
    implay::FvsbnTrainOptions options;
    options.epochs = 1;
    if (batch_size > 0) options.batch_size = batch_size;
    implay::FvsbnTrainer trainer(first_images(train_set, count, storage), options, nullptr);
    while (!trainer.step(1 << 30)) {
    }
    fvsbn_batch_losses = trainer.batch_losses();
    models[kSlotFvsbn] = std::make_unique<implay::FvsbnModel>(trainer.model());
  });
}

// NADE with H hidden units initialized as NadeTrainer starts it (b from the pixel frequencies,
// W and V small random), untrained: for timing its sampler, whose cost does not depend on the
// weights (training it for an epoch takes minutes in the browser).
EMSCRIPTEN_KEEPALIVE int bench_fit_nade(int hidden) {
  return guarded([&] {
    auto nade = std::make_unique<implay::NadeModel>(train_set.rows, train_set.cols, hidden);
    nade->init_from_marginals(train_set);
    models[kSlotNade] = std::move(nade);
  });
}

// Minibatch losses of the last epoch (nats per image), for the page's log: how many, and one.
EMSCRIPTEN_KEEPALIVE int bench_fvsbn_batch_count() { return int(fvsbn_batch_losses.size()); }
EMSCRIPTEN_KEEPALIVE double bench_fvsbn_batch_loss(int k) { return fvsbn_batch_losses[size_t(k)]; }

// Mean −log p(x) in nats of a fitted model over test images [first, first + count); NaN on error.
EMSCRIPTEN_KEEPALIVE double bench_mean_test_nll(int slot, int first, int count) {
  const implay::PixelModel* m = model_in(slot);
  if (!m) return __builtin_nan("");
  double nll = __builtin_nan("");
  guarded([&] { nll = implay::mean_nll(*m, test_set, first, count); });
  return nll;
}

// (c) One full completion from pixel `start` of test image 0's prefix (start 0: a sample from
// scratch), T = 1, count 1, the given seed. out: (D) 0/1 bytes.
EMSCRIPTEN_KEEPALIVE int bench_sample(int slot, int start, int seed, uint8_t* out) {
  const implay::PixelModel* m = model_in(slot);
  if (!m) return -1;
  return guarded([&] {
    implay::SampleOptions options;
    options.count = 1;
    options.seed = uint64_t(seed);
    const std::vector<uint8_t> s = implay::sample_completions(*m, test_set.image(0), start, options);
    for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
  });
}

}  // extern "C"
