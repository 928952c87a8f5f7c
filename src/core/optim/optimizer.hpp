// optimizer.hpp — the first-order optimizers every trainer uses (linear_train.hpp, the pixel model
// trainers of pixel_trainer.hpp, next the MLP and the CNN): SGD with momentum and Adam on one flat
// parameter vector θ (P) and its gradient g (P), and the learning rate α decayed once per epoch.
// Nothing here knows a model. Adam's update is one fused kernel, adam_step_f32: a portable loop
// (implay::portable), a wasm_simd128 version in wasm SIMD builds (implay::wasm_simd, bit for bit
// equal), and the un-namespaced name dispatching, as in train_kernels.hpp. optimizer.cpp has them.
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <string_view>

#include "core/target.hpp"

namespace implay {

// The update rules.
enum class Optimizer {
  Sgd,   // with momentum (CS231n form): v ← μ v − α g,  θ ← θ + v   (μ = 0: plain SGD)
  Adam,  // m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − α m̂ / (√v̂ + ε),
         // m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)   (Kingma & Ba, 2015)
};

// "sgd", "adam" (exactly these); parse throws implay::Error naming the value.
const char* optimizer_name(Optimizer optimizer);
Optimizer parse_optimizer(std::string_view name);

// How α changes during a run.
enum class LrSchedule {
  Epochs,  // α_e = α · lr_decay^e, for the e-th epoch (0-based): constant within an epoch
  Linear,  // α_t = α · (1 − t / T) before minibatch t of the T the whole run takes: falls to 0
           // at the end, which is what lets one MNIST epoch of Adam settle (96.7 % vs 95.7 %
           // at a constant α, 784-100-10, batch 100)
};

// "epochs", "linear" (exactly these); parse throws implay::Error naming the value.
const char* lr_schedule_name(LrSchedule schedule);
LrSchedule parse_lr_schedule(std::string_view name);

// Everything that decides how a trainer updates θ. The trainers' options derive from it
// (TrainOptions, PixelTrainSchedule), so a field reads `options.learning_rate` there too.
struct OptimizerOptions {
  Optimizer optimizer = Optimizer::Adam;        // the update rule
  float learning_rate = 1e-2f;                  // α of the first epoch
  float lr_decay = 0.5f;                        // α is multiplied by this after every epoch (1: constant)
  LrSchedule lr_schedule = LrSchedule::Epochs;  // Linear ignores lr_decay
  float momentum = 0.9f;                        // μ of Sgd (0: plain SGD)
  float adam_beta1 = 0.9f;                      // β₁ of Adam
  float adam_beta2 = 0.999f;                    // β₂ of Adam
  float adam_epsilon = 1e-8f;                   // ε of Adam
};

// SGD with momentum: v ← μ v − α g, θ ← θ + v.
struct Sgd {
  float momentum = 0.9f;     // μ
  Eigen::VectorXf velocity;  // (P) v, zero at the start

  Sgd() = default;
  Sgd(Eigen::Index num_params, float momentum);
  // One update of params (P) by grad (P) at learning rate α.
  void step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad, float learning_rate);
};

// Adam: t ← t + 1, m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α (m / c₁) / (√(v / c₂) + ε)
// with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ (computed in double, used in float).
struct Adam {
  float beta1 = 0.9f;     // β₁, decay of the first moment
  float beta2 = 0.999f;   // β₂, decay of the second moment
  float epsilon = 1e-8f;  // ε, keeps the step finite where v̂ = 0
  Eigen::VectorXf m, v;   // (P) first and second moment estimates, zero at the start
  long long t = 0;        // steps taken

  Adam() = default;
  Adam(Eigen::Index num_params, float beta1, float beta2, float epsilon);
  // One update of params (P) by grad (P) at learning rate α, through adam_step_f32.
  void step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad, float learning_rate);
};

// What a trainer holds: the rule options.optimizer names, with its state, and the schedule of α.
struct ScheduledOptimizer {
  OptimizerOptions options;
  float learning_rate = 0;    // α now: Epochs: options.learning_rate · lr_decay^epochs ended;
                              // Linear: base_rate · (1 − steps / total_steps) of the next step
  float base_rate = 0;        // Linear: α at step 0 (options.learning_rate, or what set_rate set)
  long long steps = 0;        // updates made
  long long total_steps = 1;  // Linear: T, the updates of the whole run (the trainer sets it)
  Sgd sgd;                    // the state of the rule in use; the other one stays empty
  Adam adam;

  ScheduledOptimizer() = default;
  ScheduledOptimizer(const OptimizerOptions& options, Eigen::Index num_params);
  // One update of params (P) by grad (P) at the current α; Linear then lowers α for the next.
  void step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grad);
  // After every epoch: α ← α · lr_decay (repeated products, so α is the same on every target).
  void end_epoch() {
    if (options.lr_schedule == LrSchedule::Epochs) learning_rate *= options.lr_decay;
  }
  // A new α from now on (a lab's slider): Epochs decays on from it; Linear makes it the rate the
  // line starts from, so α now is rate · (1 − steps / T).
  void set_rate(float rate);
  // Linear: the run is now `total` updates long (≥ 1; a trainer whose epochs grew).
  void set_total_steps(long long total);
};

// ---------------------------------------------------------------------------------------------
// Adam's update kernel

// One Adam step's constants: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
// θ ← θ − α (m / c₁) / (√(v / c₂) + ε) with the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
struct AdamStep {
  float learning_rate = 1e-3f;  // α
  float beta1 = 0.9f;           // β₁
  float beta2 = 0.999f;         // β₂
  float correction1 = 1.0f;     // c₁ = 1 − β₁ᵗ
  float correction2 = 1.0f;     // c₂ = 1 − β₂ᵗ
  float epsilon = 1e-8f;        // ε
};

// params, grad, m, v: (n), updated in place as in AdamStep. Every path computes each element with
// the same operations in the same order, so all give the same bits (test_optim.cpp checks this).
namespace portable {
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);
}  // namespace portable

#if IMPLAY_WASM_SIMD
namespace wasm_simd {
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);
}  // namespace wasm_simd
#endif

// wasm_simd:: in wasm SIMD builds, portable:: otherwise (natively Eigen vectorizes its loops).
void adam_step_f32(float* params, const float* grad, float* m, float* v, size_t n, const AdamStep& step);

}  // namespace implay
