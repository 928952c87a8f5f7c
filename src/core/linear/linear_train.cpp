// linear_train.cpp — the sliced minibatch trainer of linear_train.hpp; its optimizer is
// optim/optimizer.cpp's.
#include "core/linear/linear_train.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {

namespace {

void check_labels(std::span<const uint8_t> labels, int num_classes, const char* which) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= num_classes)
      throw Error(std::string(which) + " label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                  " is outside 0.." + std::to_string(num_classes - 1));
}

// The seeds of init and of the shuffles are derived from options.seed so that they differ.
constexpr uint64_t kShuffleStream = 0x5eed5eed5eed5eedull;

}  // namespace

LinearTrainer::LinearTrainer(const RowMatrixXf& train_features, std::span<const uint8_t> train_labels, int num_classes,
                             const TrainOptions& options, const RowMatrixXf* validation_features,
                             std::span<const uint8_t> validation_labels)
    : train_(&train_features), validation_(validation_features), options_(options) {
  const Eigen::Index n = train_features.rows();
  if (n == 0) throw Error("cannot train on an empty training set");
  if (Eigen::Index(train_labels.size()) != n)
    throw Error("training set has " + std::to_string(n) + " feature rows but " + std::to_string(train_labels.size()) +
                " labels");
  if (num_classes < 1) throw Error("cannot train a classifier with " + std::to_string(num_classes) + " classes");
  if (options.objective.loss == LossKind::BinaryLogistic && num_classes != 2)
    throw Error("the bce loss needs exactly 2 classes, the data has " + std::to_string(num_classes));
  if (options.batch_size < 1 || options.batch_size > kMaxLinearBatch)
    throw Error("batch size " + std::to_string(options.batch_size) + " (need 1.." + std::to_string(kMaxLinearBatch) +
                ")");
  if (options.curve_every < 0 || options.curve_probe_rows < 1)
    throw Error("curve every " + std::to_string(options.curve_every) + " minibatches on " +
                std::to_string(options.curve_probe_rows) + " probe rows (need >= 0 and >= 1)");
  if (options.epochs < 0 || options.epochs > kMaxLinearEpochs)
    throw Error("epochs " + std::to_string(options.epochs) + " (need 0.." + std::to_string(kMaxLinearEpochs) + ")");
  if (!(options.learning_rate > 0) || !std::isfinite(options.learning_rate))
    throw Error("learning rate " + std::to_string(options.learning_rate) + " (need a finite number > 0)");
  check_labels(train_labels, num_classes, "training");
  if (validation_) {
    if (validation_->cols() != train_features.cols())
      throw Error("validation features have " + std::to_string(validation_->cols()) + " columns, training features " +
                  std::to_string(train_features.cols()));
    if (Eigen::Index(validation_labels.size()) != validation_->rows())
      throw Error("validation set has " + std::to_string(validation_->rows()) + " feature rows but " +
                  std::to_string(validation_labels.size()) + " labels");
    check_labels(validation_labels, num_classes, "validation");
  } else if (!validation_labels.empty()) {
    throw Error("validation labels were given without validation features");
  }
  train_labels_.assign(train_labels.begin(), train_labels.end());
  validation_labels_.assign(validation_labels.begin(), validation_labels.end());

  model_ = LinearModel(num_classes, int(train_features.cols()));
  init_weights(model_, options.init_std, options.seed);
  shuffle_state_ = options.seed ^ kShuffleStream;
  order_.resize(size_t(n));
  std::iota(order_.begin(), order_.end(), 0);
  const int b = std::min<int>(options.batch_size, int(n));
  batch_x_.resize(b, train_features.cols());
  batch_y_.resize(size_t(b));
  grad_.resize(model_.num_params());
  last_good_ = model_.params;
  optimizer_ = ScheduledOptimizer(options, model_.num_params());
  batches_per_epoch_ = int((n + options.batch_size - 1) / options.batch_size);
  eval_block_ = 2 * options.batch_size;  // ≤ 2 · kMaxLinearBatch: no overflow
  train_eval_rows_ = options.train_eval_rows > 0 ? int(std::min<Eigen::Index>(options.train_eval_rows, n)) : int(n);
  const long long eval_rows = train_eval_rows_ + (validation_ ? validation_->rows() : 0);
  const long long eval_units = (eval_rows + eval_block_ - 1) / eval_block_;
  units_total_ = (options.evaluate_initial ? eval_units : 0) + options.epochs * (batches_per_epoch_ + eval_units);

  if (options.evaluate_initial)
    start_evaluation();
  else if (options.epochs > 0)
    start_epoch();
  else
    phase_ = TrainPhase::Done;
}

float LinearTrainer::progress() const {
  return units_total_ == 0 ? 1.0f : float(double(units_done_) / double(units_total_));
}

void LinearTrainer::fail(const char* what) {
  model_.params = last_good_;
  char text[320];
  std::snprintf(
      text, sizeof(text),
      "training diverged in epoch %d, minibatch %d of %d: %s at learning rate %g; the model is kept as it was "
      "before that step (try a smaller learning rate, momentum or lambda)",
      epoch_ + 1, batch_ + 1, batches_per_epoch_, what, double(optimizer_.learning_rate));
  failure_ = text;
  phase_ = TrainPhase::Done;
}

bool LinearTrainer::step(int max_batches) {
  for (int unit = 0; unit < max_batches && phase_ != TrainPhase::Done; ++unit) {
    if (phase_ == TrainPhase::Training)
      train_one_batch();
    else
      evaluate_one_block();
    ++units_done_;
  }
  return done();
}

void LinearTrainer::start_epoch() {
  // A fresh permutation of the current order each epoch, from the trainer's own seeded stream.
  Rng rng(shuffle_state_);
  rng.shuffle(std::span<int32_t>(order_));
  shuffle_state_ = rng.next_u64();
  batch_ = 0;
  epoch_objective_sum_ = 0;
  phase_ = TrainPhase::Training;
  if (epoch_ == 0 && options_.curve_every > 0) record_probe();  // before the first update
}

void LinearTrainer::record_probe() {
  LinearCurvePoint point;
  point.epoch = double(epoch_) + double(batch_) / batches_per_epoch_;
  point.learning_rate = optimizer_.learning_rate;
  ObjectiveOptions probe = options_.objective;
  probe.loss_options.margin = 1.0f;
  const int rows = int(std::min<Eigen::Index>(options_.curve_probe_rows, train_->rows()));
  evaluate_rows(model_, *train_, train_labels_, probe, 0, rows, point.train);
  curve_.push_back(point);
}

void LinearTrainer::train_one_batch() {
  const RowMatrixXf& x = *train_;
  const int first = batch_ * options_.batch_size;
  const int count = std::min<int>(options_.batch_size, int(x.rows()) - first);
  for (int i = 0; i < count; ++i) {
    const int row = order_[size_t(first + i)];
    batch_x_.row(i) = x.row(row);
    batch_y_[size_t(i)] = train_labels_[size_t(row)];
  }
  const float loss = objective(model_, batch_x_.topRows(count), std::span<const int>(batch_y_.data(), size_t(count)),
                               options_.objective, grad_);
  // The parameters that gave a non-finite objective came from the latest update: undo it.
  if (!std::isfinite(loss))
    return fail(std::isnan(loss) ? "the objective became NaN" : "the objective became infinite");
  batch_objectives_.push_back(loss);
  epoch_objective_sum_ += loss;
  last_good_ = model_.params;

  optimizer_.step(model_.params, grad_);
  if (!model_.params.allFinite()) return fail("a weight became NaN or infinite");

  ++batch_;
  const int every = options_.curve_every;
  const bool last = epoch_ + 1 == options_.epochs && batch_ == batches_per_epoch_;
  if (every > 0 && (last || (int64_t(epoch_) * batches_per_epoch_ + batch_) % every == 0)) record_probe();
  if (batch_ == batches_per_epoch_) {
    ++epoch_;
    start_evaluation();
  }
}

void LinearTrainer::start_evaluation() {
  phase_ = TrainPhase::Evaluating;
  pending_ = EpochStats{};
  pending_.epoch = epoch_;
  pending_.learning_rate = optimizer_.learning_rate;
  pending_.mean_batch_objective =
      epoch_ == 0 ? std::numeric_limits<double>::quiet_NaN() : epoch_objective_sum_ / batches_per_epoch_;
  eval_next_ = 0;
  // Even with no rows, each record carries λ R(W).
  evaluate_rows(model_, *train_, train_labels_, options_.objective, 0, 0, pending_.train);
  if (validation_)
    evaluate_rows(model_, *validation_, validation_labels_, options_.objective, 0, 0, pending_.validation);
}

void LinearTrainer::evaluate_one_block() {
  const int validation_rows = validation_ ? int(validation_->rows()) : 0;
  int budget = eval_block_;
  while (budget > 0 && eval_next_ < train_eval_rows_ + validation_rows) {
    if (eval_next_ < train_eval_rows_) {
      const int count = std::min(budget, train_eval_rows_ - eval_next_);
      evaluate_rows(model_, *train_, train_labels_, options_.objective, eval_next_, count, pending_.train);
      eval_next_ += count;
      budget -= count;
    } else {
      const int first = eval_next_ - train_eval_rows_;
      const int count = std::min(budget, validation_rows - first);
      evaluate_rows(model_, *validation_, validation_labels_, options_.objective, first, count, pending_.validation);
      eval_next_ += count;
      budget -= count;
    }
  }
  if (eval_next_ < train_eval_rows_ + validation_rows) return;
  history_.push_back(pending_);
  curve_.push_back({double(pending_.epoch), true, pending_.learning_rate, pending_.train, pending_.validation});
  if (epoch_ > 0) optimizer_.end_epoch();  // the next epoch's α
  if (epoch_ >= options_.epochs)
    phase_ = TrainPhase::Done;
  else
    start_epoch();
}

TrainResult train_linear(const RowMatrixXf& train_features, std::span<const uint8_t> train_labels, int num_classes,
                         const TrainOptions& options, const RowMatrixXf* validation_features,
                         std::span<const uint8_t> validation_labels) {
  LinearTrainer trainer(train_features, train_labels, num_classes, options, validation_features, validation_labels);
  while (!trainer.step(1 << 20)) {
  }
  if (!trainer.failure().empty()) throw Error(trainer.failure());
  return {trainer.model(), trainer.history(), trainer.curve()};
}

}  // namespace implay
