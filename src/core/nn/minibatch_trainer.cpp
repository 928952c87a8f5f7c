// minibatch_trainer.cpp — the training loop of minibatch_trainer.hpp: its optimizer is
// optim/optimizer.cpp's; the net's gradient and evaluation come through the virtual hooks.
#include "core/nn/minibatch_trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay {
namespace {

std::string number_text(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", x);
  return text;
}

void check_train_options(const NetTrainOptions& o, TrainLimits limits) {
  if (o.batch_size < 1 || o.batch_size > limits.max_batch)
    throw Error("batch size " + std::to_string(o.batch_size) + " is outside 1.." + std::to_string(limits.max_batch));
  if (o.epochs < 0 || o.epochs > limits.max_epochs)
    throw Error(std::to_string(o.epochs) + " epochs is outside 0.." + std::to_string(limits.max_epochs));
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    throw Error("learning rate " + number_text(o.learning_rate) + " (need a finite number > 0)");
  if (!(o.objective.margin > 0) || !std::isfinite(o.objective.margin))
    throw Error("hinge margin " + number_text(o.objective.margin) + " (need a finite number > 0)");
  if (!(o.objective.reg.lambda >= 0) || !std::isfinite(o.objective.reg.lambda))
    throw Error("regularization strength " + number_text(o.objective.reg.lambda) + " (need a finite number >= 0)");
  if (o.curve_every < 0 || o.curve_probe_rows < 1)
    throw Error("a probe point every " + std::to_string(o.curve_every) + " minibatches on " +
                std::to_string(o.curve_probe_rows) + " rows (need >= 0 and >= 1)");
}

}  // namespace

MinibatchTrainer::MinibatchTrainer(const NetTrainOptions& options, TrainLimits limits, uint64_t shuffle_stream)
    : options_(options), limits_(limits), shuffle_state_(options.seed ^ shuffle_stream) {
  check_train_options(options_, limits_);
}

void MinibatchTrainer::check_not_empty(const RowMatrixXf& train_x) {
  if (train_x.rows() == 0) throw Error("cannot train on an empty training set");
}

void MinibatchTrainer::start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                             const RowMatrixXf* test_x, std::span<const uint8_t> test_labels) {
  check_not_empty(train_x);
  train_ = &train_x;
  test_ = test_x;
  train_labels_.assign(train_labels.begin(), train_labels.end());
  test_labels_.assign(test_labels.begin(), test_labels.end());

  const int n = int(train_x.rows());
  order_.resize(size_t(n));
  std::iota(order_.begin(), order_.end(), 0);
  const int b = std::min(options_.batch_size, n);
  batch_x_.resize(b, train_x.cols());
  batch_y_.resize(size_t(b));
  const Eigen::Index num_params = params().size();
  grad_.resize(num_params);
  last_good_ = params();
  optimizer_ = ScheduledOptimizer(options_, num_params);
  batches_per_epoch_ = (n + options_.batch_size - 1) / options_.batch_size;
  optimizer_.set_total_steps(static_cast<long long>(options_.epochs) * batches_per_epoch_);
  eval_block_ = 2 * options_.batch_size;  // ≤ 2 · max_batch: no overflow
  train_eval_rows_ = options_.train_eval_rows > 0 ? std::min(options_.train_eval_rows, n) : n;
  count_units();

  if (options_.evaluate_initial)
    start_evaluation();
  else if (options_.epochs > 0)
    start_epoch();
  else
    phase_ = TrainPhase::Done;
}

void MinibatchTrainer::count_units() {
  const long long eval_rows = train_eval_rows_ + (test_ ? test_->rows() : 0);
  const long long eval_units = (eval_rows + eval_block_ - 1) / eval_block_;
  units_total_ =
      (options_.evaluate_initial ? eval_units : 0) + (long long)options_.epochs * (batches_per_epoch_ + eval_units);
}

float MinibatchTrainer::progress() const {
  if (units_total_ == 0 || done()) return 1.0f;
  return float(std::min(1.0, double(units_done_) / double(units_total_)));
}

void MinibatchTrainer::run_unit() {
  if (phase_ == TrainPhase::Training)
    train_one_batch();
  else
    evaluate_one_block();
  ++units_done_;
}

bool MinibatchTrainer::step(int max_units) {
  for (int unit = 0; unit < max_units && !done(); ++unit) run_unit();
  return done();
}

bool MinibatchTrainer::step_ms(double budget_ms) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point t0 = Clock::now();
  do {
    if (done()) break;
    run_unit();
  } while (std::chrono::duration<double, std::milli>(Clock::now() - t0).count() < budget_ms);
  return done();
}

void MinibatchTrainer::fail(const std::string& what) {
  params() = last_good_;
  failure_ = "training diverged at epoch " + std::to_string(epoch_ + 1) + ", minibatch " + std::to_string(batch_ + 1) +
             " (step " + std::to_string(steps_ + 1) + "): " + what + "; lower the learning rate (now " +
             number_text(optimizer_.learning_rate) + ")";
  phase_ = TrainPhase::Done;
}

void MinibatchTrainer::start_epoch() {
  Rng rng(shuffle_state_);
  rng.shuffle(std::span<int32_t>(order_));
  shuffle_state_ = rng.next_u64();
  batch_ = 0;
  epoch_objective_sum_ = 0;
  phase_ = TrainPhase::Training;
  if (steps_ == 0 && options_.curve_every > 0) record_probe();  // before the first update
}

void MinibatchTrainer::record_probe() {
  NetCurvePoint point;
  point.epoch = double(epoch_) + double(batch_) / double(batches_per_epoch_);
  point.learning_rate = optimizer_.learning_rate;
  const int train_rows = std::min<int>(options_.curve_probe_rows, int(train_->rows()));
  evaluate_rows(*train_, train_labels_, 0, train_rows, point.train);
  if (test_) {
    const int test_rows = std::min<int>(options_.curve_probe_rows, int(test_->rows()));
    evaluate_rows(*test_, test_labels_, 0, test_rows, point.validation);
  }
  curve_.push_back(point);
}

void MinibatchTrainer::train_one_batch() {
  const int first = batch_ * options_.batch_size;
  const int count = std::min<int>(options_.batch_size, int(train_->rows()) - first);
  for (int i = 0; i < count; ++i) {
    const int32_t row = order_[size_t(first + i)];
    batch_x_.row(i) = train_->row(row);
    batch_y_[size_t(i)] = train_labels_[size_t(row)];
  }
  const float loss =
      objective_and_gradient(batch_x_.topRows(count), std::span<const int>(batch_y_.data(), size_t(count)), grad_);
  // The parameters that gave a non-finite loss came from the latest update: undo it.
  if (!std::isfinite(loss)) return fail(std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "inf"));
  batch_objectives_.push_back(loss);
  epoch_objective_sum_ += loss;
  Eigen::VectorXf& theta = params();
  last_good_ = theta;
  optimizer_.step(theta, grad_);
  if (!theta.allFinite()) return fail("a parameter became NaN or inf");
  ++steps_;
  ++batch_;
  const bool last = epoch_ + 1 == options_.epochs && batch_ == batches_per_epoch_;
  if (options_.curve_every > 0 && (last || steps_ % options_.curve_every == 0)) record_probe();
  if (batch_ == batches_per_epoch_) {
    ++epoch_;
    start_evaluation();
  }
}

void MinibatchTrainer::start_evaluation() {
  phase_ = TrainPhase::Evaluating;
  pending_ = NetEpochStats{};
  pending_.epoch = epoch_;
  pending_.learning_rate = optimizer_.learning_rate;
  pending_.mean_batch_objective =
      epoch_ == 0 ? std::numeric_limits<double>::quiet_NaN() : epoch_objective_sum_ / batches_per_epoch_;
  eval_next_ = 0;
  // Even with no rows, each record carries λ R(W).
  evaluate_rows(*train_, train_labels_, 0, 0, pending_.train);
  if (test_) evaluate_rows(*test_, test_labels_, 0, 0, pending_.validation);
}

void MinibatchTrainer::evaluate_one_block() {
  const int end = train_eval_rows_ + (test_ ? int(test_->rows()) : 0);  // training rows, then test rows
  const int stop = std::min(end, eval_next_ + eval_block_);
  if (eval_next_ < train_eval_rows_) {
    const int rows = std::min(stop, train_eval_rows_) - eval_next_;
    evaluate_rows(*train_, train_labels_, eval_next_, rows, pending_.train);
    eval_next_ += rows;
  }
  if (eval_next_ < stop) {
    evaluate_rows(*test_, test_labels_, eval_next_ - train_eval_rows_, stop - eval_next_, pending_.validation);
    eval_next_ = stop;
  }
  if (eval_next_ < end) return;
  history_.push_back(pending_);
  curve_.push_back({double(pending_.epoch), true, pending_.learning_rate, pending_.train, pending_.validation});
  if (epoch_ > 0) optimizer_.end_epoch();  // the next epoch's α
  if (epoch_ >= options_.epochs)
    phase_ = TrainPhase::Done;
  else
    start_epoch();
}

void MinibatchTrainer::set_learning_rate(float learning_rate) {
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    throw Error("learning rate " + number_text(learning_rate) + " (need a finite number > 0)");
  optimizer_.set_rate(learning_rate);
}

void MinibatchTrainer::set_regularization(const RegularizationOptions& reg) {
  if (!(reg.lambda >= 0) || !std::isfinite(reg.lambda))
    throw Error("regularization strength " + number_text(reg.lambda) + " (need a finite number >= 0)");
  if (!(reg.beta >= 0) || !std::isfinite(reg.beta))
    throw Error("elastic-net beta " + number_text(reg.beta) + " (need a finite number >= 0)");
  options_.objective.reg = reg;
}

void MinibatchTrainer::set_epochs(int epochs) {
  if (epochs < epoch_ || epochs > limits_.max_epochs)
    throw Error(std::to_string(epochs) + " epochs is outside " + std::to_string(epoch_) + ".." +
                std::to_string(limits_.max_epochs) + " (at least the epochs done)");
  options_.epochs = epochs;
  optimizer_.set_total_steps(static_cast<long long>(epochs) * batches_per_epoch_);
  count_units();
  if (done() && failure_.empty() && epoch_ < epochs) start_epoch();
}

}  // namespace implay
