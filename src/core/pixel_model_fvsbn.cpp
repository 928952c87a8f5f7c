// pixel_model_fvsbn.cpp — the sliced Adam trainer of the FVSBN (pixel_model_fvsbn.hpp); the
// model, its loss and gradient live in pixel_model.cpp.
#include "core/pixel_model_fvsbn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {

FvsbnTrainer::FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation)
    : train_(&train), validation_(validation), options_(options) {
  if (train.count < 1 || train.dim() < 1) throw Error("cannot train an FVSBN on an empty training set");
  if (validation && validation->count > 0 && (validation->rows != train.rows || validation->cols != train.cols))
    throw Error("validation images of " + std::to_string(validation->rows) + "x" + std::to_string(validation->cols) +
                " for training images of " + std::to_string(train.rows) + "x" + std::to_string(train.cols));
  if (options.batch_size < 1) throw Error("batch size " + std::to_string(options.batch_size) + " (must be >= 1)");
  if (options.epochs < 0) throw Error("epochs = " + std::to_string(options.epochs) + " (must be >= 0)");
  if (!(options.learning_rate > 0))
    throw Error("learning rate " + std::to_string(options.learning_rate) + " (must be > 0)");
  model_ = FvsbnModel(train.rows, train.cols);
  model_.init_from_marginals(train, options.init_alpha);
  grad_ = Eigen::VectorXf::Zero(model_.num_params());
  m_ = Eigen::VectorXf::Zero(model_.num_params());
  v_ = Eigen::VectorXf::Zero(model_.num_params());
  order_.resize(static_cast<size_t>(train.count));
  std::iota(order_.begin(), order_.end(), 0);
  shuffle_seed_ = options.seed;
  lr_ = options.learning_rate;
  batches_per_epoch_ = (train.count + options.batch_size - 1) / options.batch_size;
  eval_rows_ = validation ? validation->count : 0;
  if (options.validation_rows > 0) eval_rows_ = std::min(eval_rows_, options.validation_rows);
  const long long eval_units = (eval_rows_ + options.batch_size - 1) / options.batch_size;
  units_total_ = (batches_per_epoch_ + eval_units) * options.epochs;
  done_ = options.epochs == 0;
  if (!done_) {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

float FvsbnTrainer::progress() const {
  return units_total_ > 0 ? float(double(units_done_) / double(units_total_)) : 1.0f;
}

void FvsbnTrainer::train_one_batch() {
  const int d = model_.dim(), first = batch_ * options_.batch_size;
  const int b = std::min(options_.batch_size, train_->count - first);
  if (batch_x_.rows() != b) batch_x_.resize(b, d);
  for (int r = 0; r < b; ++r) {
    std::span<const uint8_t> img = train_->image(order_[size_t(first + r)]);
    for (int j = 0; j < d; ++j) batch_x_(r, j) = img[size_t(j)];
  }
  const double loss = fvsbn_loss(model_, batch_x_, grad_);
  batch_losses_.push_back(float(loss));
  epoch_loss_sum_ += loss;
  const float b1 = options_.adam_beta1, b2 = options_.adam_beta2;
  ++adam_t_;
  m_ = b1 * m_ + (1 - b1) * grad_;
  v_ = b2 * v_ + (1 - b2) * grad_.cwiseAbs2();
  const float c1 = float(1 - std::pow(double(b1), double(adam_t_)));  // 1 − β₁ᵗ
  const float c2 = float(1 - std::pow(double(b2), double(adam_t_)));  // 1 − β₂ᵗ
  model_.params.array() -= lr_ * (m_.array() / c1) / ((v_.array() / c2).sqrt() + options_.adam_epsilon);
}

bool FvsbnTrainer::step(int max_batches) {
  for (int u = 0; u < max_batches && !done_; ++u, ++units_done_) {
    if (!evaluating_) {
      train_one_batch();
      if (++batch_ == batches_per_epoch_) {
        evaluating_ = true;
        eval_next_ = 0;
        eval_sum_ = 0;
      }
      continue;
    }
    if (eval_next_ < eval_rows_) {
      const int n = std::min(options_.batch_size, eval_rows_ - eval_next_);
      eval_sum_ += mean_nll(model_, *validation_, eval_next_, n) * n;
      eval_next_ += n;
      if (eval_next_ < eval_rows_) continue;
    } else {
      --units_done_;  // no validation: finishing the epoch is free
    }
    FvsbnEpochStats stats;
    stats.epoch = ++epoch_;
    stats.train_nll = epoch_loss_sum_ / batches_per_epoch_;
    stats.validation_nll = eval_rows_ > 0 ? eval_sum_ / eval_rows_ : std::numeric_limits<double>::quiet_NaN();
    stats.learning_rate = lr_;
    history_.push_back(stats);
    evaluating_ = false;
    batch_ = 0;
    epoch_loss_sum_ = 0;
    lr_ *= options_.lr_decay;
    if (epoch_ == options_.epochs) {
      done_ = true;
    } else {
      Rng rng(shuffle_seed_++);
      rng.shuffle(std::span<int32_t>(order_));
    }
  }
  return done_;
}

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation,
                       std::vector<FvsbnEpochStats>* history) {
  FvsbnTrainer trainer(train, options, validation);
  while (!trainer.step(1000)) {
  }
  if (history) *history = trainer.history();
  return trainer.model();
}

}  // namespace implay
