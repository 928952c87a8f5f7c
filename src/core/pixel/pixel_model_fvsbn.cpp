// pixel_model_fvsbn.cpp — the sliced Adam machinery shared by the trained pixel models
// (SlicedAdamTrainer) and the FVSBN trainer (pixel_model_fvsbn.hpp); the FVSBN model, its loss and
// gradient live in pixel_model.cpp, NADE's trainer in pixel_model_nade.cpp.
#include "core/pixel/pixel_model_fvsbn.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/pixel/train_kernels.hpp"

namespace implay {

// -------------------------------------------------------------------------------------------
// [sliced adam]

SlicedAdamTrainer::SlicedAdamTrainer(const BinaryImages& train, const AdamSchedule& schedule,
                                     const BinaryImages* validation, const char* model_name)
    : model_name_(model_name), train_(&train), validation_(validation), schedule_(schedule) {
  if (train.count < 1 || train.dim() < 1)
    throw Error(std::string("cannot train ") + model_name + " on an empty training set");
  if (validation && validation->count > 0 && (validation->rows != train.rows || validation->cols != train.cols))
    throw Error("validation images of " + std::to_string(validation->rows) + "x" + std::to_string(validation->cols) +
                " for training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols));
  if (schedule.batch_size < 1 || schedule.batch_size > kMaxPixelModelBatch)
    throw Error("batch size " + std::to_string(schedule.batch_size) + " (must be 1.." +
                std::to_string(kMaxPixelModelBatch) + ")");
  if (schedule.epochs < 0 || schedule.epochs > kMaxPixelModelEpochs)
    throw Error("epochs = " + std::to_string(schedule.epochs) + " (must be 0.." + std::to_string(kMaxPixelModelEpochs) +
                ")");
  if (!(schedule.learning_rate > 0) || !std::isfinite(schedule.learning_rate))
    throw Error("learning rate " + std::to_string(schedule.learning_rate) + " (must be finite and > 0)");
  order_.resize(static_cast<size_t>(train.count));
  std::iota(order_.begin(), order_.end(), 0);
  shuffle_seed_ = schedule.seed;
  lr_ = schedule.learning_rate;
  batches_per_epoch_ = (train.count + schedule.batch_size - 1) / schedule.batch_size;
  eval_rows_ = validation ? validation->count : 0;
  if (schedule.validation_rows > 0) eval_rows_ = std::min(eval_rows_, schedule.validation_rows);
  const long long eval_units = (eval_rows_ + schedule.batch_size - 1) / schedule.batch_size;
  units_total_ = (batches_per_epoch_ + eval_units) * schedule.epochs;
  done_ = schedule.epochs == 0;
  if (!done_) {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

void SlicedAdamTrainer::allocate_optimizer(Eigen::Index num_params) {
  grad_ = Eigen::VectorXf::Zero(num_params);
  m_ = Eigen::VectorXf::Zero(num_params);
  v_ = Eigen::VectorXf::Zero(num_params);
  last_good_ = parameters();
}

void SlicedAdamTrainer::fail(const char* what) {
  parameters() = last_good_;
  char text[320];
  std::snprintf(text, sizeof(text),
                "training %s diverged in epoch %d, minibatch %d of %d: %s at learning rate %g; the model is kept as it "
                "was before that step (try a smaller learning rate)",
                model_name_, epoch_ + 1, batch_ + 1, batches_per_epoch_, what, double(lr_));
  failure_ = text;
  done_ = true;
}

float SlicedAdamTrainer::progress() const {
  return units_total_ > 0 ? float(double(units_done_) / double(units_total_)) : 1.0f;
}

// Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − α m̂ / (√v̂ + ε).
void SlicedAdamTrainer::adam_update() {
  const float b1 = schedule_.adam_beta1, b2 = schedule_.adam_beta2;
  ++adam_t_;
  AdamStep step;  // θ, m, v updated by adam_step_f32 (train_kernels.hpp: one fused SIMD pass in wasm)
  step.learning_rate = lr_;
  step.beta1 = b1;
  step.beta2 = b2;
  step.correction1 = float(1 - std::pow(double(b1), double(adam_t_)));  // 1 − β₁ᵗ
  step.correction2 = float(1 - std::pow(double(b2), double(adam_t_)));  // 1 − β₂ᵗ
  step.epsilon = schedule_.adam_epsilon;
  Eigen::VectorXf& params = parameters();
  assert(params.size() == grad_.size() && m_.size() == grad_.size() && v_.size() == grad_.size());
  adam_step_f32(params.data(), grad_.data(), m_.data(), v_.data(), size_t(grad_.size()), step);
}

void SlicedAdamTrainer::train_one_batch() {
  const int d = train_->dim(), first = batch_ * schedule_.batch_size;
  const int b = std::min(schedule_.batch_size, train_->count - first);
  if (batch_x_.rows() != b) batch_x_.resize(b, d);
  for (int r = 0; r < b; ++r) {
    std::span<const uint8_t> img = train_->image(order_[size_t(first + r)]);
    for (int j = 0; j < d; ++j) batch_x_(r, j) = img[size_t(j)];
  }
  const double loss = minibatch_loss(batch_x_, grad_);
  // The parameters that gave a non-finite loss came from the latest update: undo it.
  if (!std::isfinite(loss)) return fail(std::isnan(loss) ? "the loss became NaN" : "the loss became infinite");
  batch_losses_.push_back(float(loss));
  epoch_loss_sum_ += loss;
  last_good_ = parameters();
  adam_update();
  if (!parameters().allFinite()) fail("a parameter became NaN or infinite");
}

void SlicedAdamTrainer::finish_epoch() {
  TrainEpochStats stats;
  stats.epoch = ++epoch_;
  stats.train_nll = epoch_loss_sum_ / batches_per_epoch_;
  stats.validation_nll = eval_rows_ > 0 ? eval_sum_ / eval_rows_ : std::numeric_limits<double>::quiet_NaN();
  stats.learning_rate = lr_;
  history_.push_back(stats);
  evaluating_ = false;
  batch_ = 0;
  epoch_loss_sum_ = 0;
  lr_ *= schedule_.lr_decay;
  if (epoch_ == schedule_.epochs) {
    done_ = true;
  } else {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

bool SlicedAdamTrainer::step(int max_units) {
  for (int u = 0; u < max_units && !done_; ++u, ++units_done_) {
    if (!evaluating_) {
      train_one_batch();
      if (done_) break;  // diverged
      if (++batch_ == batches_per_epoch_) {
        evaluating_ = true;
        eval_next_ = 0;
        eval_sum_ = 0;
      }
      continue;
    }
    if (eval_next_ < eval_rows_) {
      const int n = std::min(schedule_.batch_size, eval_rows_ - eval_next_);
      eval_sum_ += mean_nll(model(), *validation_, eval_next_, n) * n;
      eval_next_ += n;
      if (eval_next_ < eval_rows_) continue;
    } else {
      --units_done_;  // no validation: finishing the epoch is free
    }
    finish_epoch();
  }
  return done_;
}

void run_to_end(PixelModelTrainer& trainer, std::vector<TrainEpochStats>* history) {
  while (!trainer.step(1000)) {
  }
  if (history) *history = trainer.history();
  if (!trainer.failure().empty()) throw Error(trainer.failure());
}

// -------------------------------------------------------------------------------------------
// [fvsbn]

FvsbnTrainer::FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation)
    : SlicedAdamTrainer(train, options, validation, "an FVSBN") {
  model_ = FvsbnModel(train.rows, train.cols);
  model_.init_from_marginals(train, options.init_alpha);
  allocate_optimizer(model_.num_params());
}

double FvsbnTrainer::minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) {
  return fvsbn_loss(model_, x, grad);
}

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation,
                       std::vector<TrainEpochStats>* history) {
  FvsbnTrainer trainer(train, options, validation);
  run_to_end(trainer, history);
  return trainer.model();
}

}  // namespace implay
