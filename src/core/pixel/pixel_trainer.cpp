// pixel_trainer.cpp — SlicedPixelTrainer of pixel_trainer.hpp: shuffled minibatches, the
// optimizer step (optim/optimizer.hpp), validation after each epoch, in bounded slices. The models
// and their losses are in pixel_model_fvsbn.cpp and pixel_model_nade.cpp.
#include "core/pixel/pixel_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <span>
#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {

SlicedPixelTrainer::SlicedPixelTrainer(const BinaryImages& train, const PixelTrainSchedule& schedule,
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
  if (schedule.curve_every < 0)
    throw Error("curve every " + std::to_string(schedule.curve_every) + " minibatches (must be >= 0)");
  if (!(schedule.learning_rate > 0) || !std::isfinite(schedule.learning_rate))
    throw Error("learning rate " + std::to_string(schedule.learning_rate) + " (must be finite and > 0)");
  order_.resize(static_cast<size_t>(train.count));
  std::iota(order_.begin(), order_.end(), 0);
  shuffle_seed_ = schedule.seed;
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

void SlicedPixelTrainer::allocate_optimizer(Eigen::Index num_params) {
  grad_ = Eigen::VectorXf::Zero(num_params);
  optimizer_ = ScheduledOptimizer(schedule_, num_params);
  last_good_ = parameters();
}

void SlicedPixelTrainer::fail(const char* what) {
  parameters() = last_good_;
  char text[320];
  std::snprintf(text, sizeof(text),
                "training %s diverged in epoch %d, minibatch %d of %d: %s at learning rate %g; the model is kept as it "
                "was before that step (try a smaller learning rate)",
                model_name_, epoch_ + 1, batch_ + 1, batches_per_epoch_, what, double(optimizer_.learning_rate));
  failure_ = text;
  done_ = true;
}

float SlicedPixelTrainer::progress() const {
  return units_total_ > 0 ? float(double(units_done_) / double(units_total_)) : 1.0f;
}

void SlicedPixelTrainer::train_one_batch() {
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
  optimizer_.step(parameters(), grad_);
  if (!parameters().allFinite()) fail("a parameter became NaN or infinite");
}

void SlicedPixelTrainer::finish_epoch() {
  TrainEpochStats stats;
  stats.epoch = ++epoch_;
  stats.train_nll = epoch_loss_sum_ / batches_per_epoch_;
  stats.validation_nll = eval_rows_ > 0 ? eval_sum_ / eval_rows_ : std::numeric_limits<double>::quiet_NaN();
  stats.learning_rate = optimizer_.learning_rate;
  history_.push_back(stats);
  curve_.push_back({double(stats.epoch), true, stats.learning_rate, stats.train_nll, stats.validation_nll});
  evaluating_ = false;
  batch_ = 0;
  epoch_loss_sum_ = 0;
  optimizer_.end_epoch();
  if (epoch_ == schedule_.epochs) {
    done_ = true;
  } else {
    Rng rng(shuffle_seed_++);
    rng.shuffle(std::span<int32_t>(order_));
  }
}

bool SlicedPixelTrainer::step(int max_units) {
  for (int u = 0; u < max_units && !done_; ++u, ++units_done_) {
    if (!evaluating_) {
      train_one_batch();
      if (done_) break;  // diverged
      ++batch_;
      const int every = schedule_.curve_every;
      if (every > 0 && (int64_t(epoch_) * batches_per_epoch_ + batch_) % every == 0)
        curve_.push_back({double(epoch_) + double(batch_) / batches_per_epoch_, false, optimizer_.learning_rate,
                          epoch_loss_sum_ / batch_, std::numeric_limits<double>::quiet_NaN()});
      if (batch_ == batches_per_epoch_) {
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

}  // namespace implay
