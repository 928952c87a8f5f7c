// mlp_train.cpp — the sliced minibatch trainer of mlp_train.hpp; its optimizer is
// optim/optimizer.cpp's, its gradient mlp.cpp's objective_and_gradient.
#include "core/nn/mlp_train.hpp"

#include <algorithm>
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

void check_train_options(const MlpTrainOptions& o) {
  if (o.batch_size < 1 || o.batch_size > kMaxMlpBatch)
    throw Error("batch size " + std::to_string(o.batch_size) + " is outside 1.." + std::to_string(kMaxMlpBatch));
  if (o.epochs < 0 || o.epochs > kMaxMlpEpochs)
    throw Error(std::to_string(o.epochs) + " epochs is outside 0.." + std::to_string(kMaxMlpEpochs));
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

// A labelled set for the net: D columns, one label per row, every label a class of the net.
void check_set(const Mlp& mlp, const RowMatrixXf& x, std::span<const uint8_t> labels, const char* which) {
  if (x.cols() != mlp.shape.input_dim)
    throw Error(std::string(which) + " set has " + std::to_string(x.cols()) + " features per row, the network (" +
                mlp_shape_text(mlp.shape) + ") takes " + std::to_string(mlp.shape.input_dim));
  if (Eigen::Index(labels.size()) != x.rows())
    throw Error(std::string(which) + " set has " + std::to_string(x.rows()) + " rows but " +
                std::to_string(labels.size()) + " labels");
  const auto worst = std::max_element(labels.begin(), labels.end());
  if (worst != labels.end() && *worst >= mlp.shape.num_classes)
    throw Error(std::string(which) + " label " + std::to_string(*worst) + " of example " +
                std::to_string(worst - labels.begin()) + " is outside the network's classes 0.." +
                std::to_string(mlp.shape.num_classes - 1));
}

Mlp initialized(const MlpShape& shape, const MlpTrainOptions& options) {
  Mlp mlp(shape);
  init_mlp(mlp, options.init.value_or(default_init(shape.activation)), options.seed);
  return mlp;
}

}  // namespace

MlpTrainer::MlpTrainer(const MlpShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                       const MlpTrainOptions& options, const RowMatrixXf* test_x, std::span<const uint8_t> test_labels)
    : MlpTrainer(initialized(shape, options), train_x, train_labels, options, test_x, test_labels) {}

MlpTrainer::MlpTrainer(Mlp start_mlp, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                       const MlpTrainOptions& options, const RowMatrixXf* test_x, std::span<const uint8_t> test_labels)
    : options_(options), mlp_(std::move(start_mlp)) {
  start(train_x, train_labels, test_x, test_labels);
}

void MlpTrainer::start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels, const RowMatrixXf* test_x,
                       std::span<const uint8_t> test_labels) {
  check_mlp_shape(mlp_.shape);
  check_train_options(options_);
  if (train_x.rows() == 0) throw Error("cannot train on an empty training set");
  check_set(mlp_, train_x, train_labels, "training");
  if (test_x)
    check_set(mlp_, *test_x, test_labels, "test");
  else if (!test_labels.empty())
    throw Error("test labels were given without test features");
  train_ = &train_x;
  test_ = test_x;
  train_labels_.assign(train_labels.begin(), train_labels.end());
  test_labels_.assign(test_labels.begin(), test_labels.end());

  const int n = int(train_x.rows());
  shuffle_state_ = options_.seed ^ kMlpShuffleStream;
  order_.resize(size_t(n));
  std::iota(order_.begin(), order_.end(), 0);
  const int b = std::min(options_.batch_size, n);
  batch_x_.resize(b, train_x.cols());
  batch_y_.resize(size_t(b));
  grad_.resize(mlp_.num_params());
  last_good_ = mlp_.params;
  optimizer_ = ScheduledOptimizer(options_, mlp_.num_params());
  batches_per_epoch_ = (n + options_.batch_size - 1) / options_.batch_size;
  optimizer_.set_total_steps(static_cast<long long>(options_.epochs) * batches_per_epoch_);
  eval_block_ = 2 * options_.batch_size;  // ≤ 2 · kMaxMlpBatch: no overflow
  train_eval_rows_ = options_.train_eval_rows > 0 ? std::min(options_.train_eval_rows, n) : n;
  count_units();

  if (options_.evaluate_initial)
    start_evaluation();
  else if (options_.epochs > 0)
    start_epoch();
  else
    phase_ = TrainPhase::Done;
}

void MlpTrainer::count_units() {
  const long long eval_rows = train_eval_rows_ + (test_ ? test_->rows() : 0);
  const long long eval_units = (eval_rows + eval_block_ - 1) / eval_block_;
  units_total_ =
      (options_.evaluate_initial ? eval_units : 0) + (long long)options_.epochs * (batches_per_epoch_ + eval_units);
}

float MlpTrainer::progress() const {
  if (units_total_ == 0 || done()) return 1.0f;
  return float(std::min(1.0, double(units_done_) / double(units_total_)));
}

bool MlpTrainer::step(int max_units) {
  for (int unit = 0; unit < max_units && !done(); ++unit, ++units_done_) {
    if (phase_ == TrainPhase::Training)
      train_one_batch();
    else
      evaluate_one_block();
  }
  return done();
}

void MlpTrainer::fail(const std::string& what) {
  mlp_.params = last_good_;
  failure_ = "training diverged at epoch " + std::to_string(epoch_ + 1) + ", minibatch " + std::to_string(batch_ + 1) +
             " (step " + std::to_string(steps_ + 1) + "): " + what + "; lower the learning rate (now " +
             number_text(optimizer_.learning_rate) + ")";
  phase_ = TrainPhase::Done;
}

void MlpTrainer::start_epoch() {
  Rng rng(shuffle_state_);
  rng.shuffle(std::span<int32_t>(order_));
  shuffle_state_ = rng.next_u64();
  batch_ = 0;
  epoch_objective_sum_ = 0;
  phase_ = TrainPhase::Training;
  if (steps_ == 0 && options_.curve_every > 0) record_probe();  // before the first update
}

void MlpTrainer::record_probe() {
  MlpCurvePoint point;
  point.epoch = double(epoch_) + double(batch_) / double(batches_per_epoch_);
  point.learning_rate = optimizer_.learning_rate;
  const int train_rows = std::min<int>(options_.curve_probe_rows, int(train_->rows()));
  evaluate_mlp_rows(mlp_, *train_, train_labels_, options_.objective, 0, train_rows, point.train, eval_ws_);
  if (test_) {
    const int test_rows = std::min<int>(options_.curve_probe_rows, int(test_->rows()));
    evaluate_mlp_rows(mlp_, *test_, test_labels_, options_.objective, 0, test_rows, point.validation, eval_ws_);
  }
  curve_.push_back(point);
}

void MlpTrainer::train_one_batch() {
  const int first = batch_ * options_.batch_size;
  const int count = std::min<int>(options_.batch_size, int(train_->rows()) - first);
  for (int i = 0; i < count; ++i) {
    const int32_t row = order_[size_t(first + i)];
    batch_x_.row(i) = train_->row(row);
    batch_y_[size_t(i)] = train_labels_[size_t(row)];
  }
  const float loss =
      objective_and_gradient(mlp_, batch_x_.topRows(count), std::span<const int>(batch_y_.data(), size_t(count)),
                             options_.objective, grad_, train_ws_);
  // The parameters that gave a non-finite loss came from the latest update: undo it.
  if (!std::isfinite(loss)) return fail(std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "inf"));
  batch_objectives_.push_back(loss);
  epoch_objective_sum_ += loss;
  last_good_ = mlp_.params;
  optimizer_.step(mlp_.params, grad_);
  if (!mlp_.params.allFinite()) return fail("a parameter became NaN or inf");
  ++steps_;
  ++batch_;
  const bool last = epoch_ + 1 == options_.epochs && batch_ == batches_per_epoch_;
  if (options_.curve_every > 0 && (last || steps_ % options_.curve_every == 0)) record_probe();
  if (batch_ == batches_per_epoch_) {
    ++epoch_;
    start_evaluation();
  }
}

void MlpTrainer::start_evaluation() {
  phase_ = TrainPhase::Evaluating;
  pending_ = MlpEpochStats{};
  pending_.epoch = epoch_;
  pending_.learning_rate = optimizer_.learning_rate;
  pending_.mean_batch_objective =
      epoch_ == 0 ? std::numeric_limits<double>::quiet_NaN() : epoch_objective_sum_ / batches_per_epoch_;
  eval_next_ = 0;
  // Even with no rows, each record carries λ R(W).
  evaluate_mlp_rows(mlp_, *train_, train_labels_, options_.objective, 0, 0, pending_.train, eval_ws_);
  if (test_) evaluate_mlp_rows(mlp_, *test_, test_labels_, options_.objective, 0, 0, pending_.validation, eval_ws_);
}

void MlpTrainer::evaluate_one_block() {
  const int end = train_eval_rows_ + (test_ ? int(test_->rows()) : 0);  // training rows, then test rows
  const int stop = std::min(end, eval_next_ + eval_block_);
  if (eval_next_ < train_eval_rows_) {
    const int rows = std::min(stop, train_eval_rows_) - eval_next_;
    evaluate_mlp_rows(mlp_, *train_, train_labels_, options_.objective, eval_next_, rows, pending_.train, eval_ws_);
    eval_next_ += rows;
  }
  if (eval_next_ < stop) {
    evaluate_mlp_rows(mlp_, *test_, test_labels_, options_.objective, eval_next_ - train_eval_rows_, stop - eval_next_,
                      pending_.validation, eval_ws_);
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

void MlpTrainer::set_learning_rate(float learning_rate) {
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    throw Error("learning rate " + number_text(learning_rate) + " (need a finite number > 0)");
  optimizer_.set_rate(learning_rate);
}

void MlpTrainer::set_regularization(const RegularizationOptions& reg) {
  if (!(reg.lambda >= 0) || !std::isfinite(reg.lambda))
    throw Error("regularization strength " + number_text(reg.lambda) + " (need a finite number >= 0)");
  if (!(reg.beta >= 0) || !std::isfinite(reg.beta))
    throw Error("elastic-net beta " + number_text(reg.beta) + " (need a finite number >= 0)");
  options_.objective.reg = reg;
}

void MlpTrainer::set_unit_on(int layer, int unit, bool on) {
  if (layer < 0 || layer >= mlp_.num_hidden_layers())
    throw Error("hidden layer " + std::to_string(layer) + " does not exist (the network has " +
                std::to_string(mlp_.num_hidden_layers()) + ", numbered from 0)");
  if (unit < 0 || unit >= mlp_.layer_out(layer))
    throw Error("unit " + std::to_string(unit) + " of hidden layer " + std::to_string(layer) +
                " does not exist (it has " + std::to_string(mlp_.layer_out(layer)) + ", numbered from 0)");
  mlp_.unit_on[size_t(layer)][size_t(unit)] = on ? 1 : 0;
  if (on) return;
  // Clear the unit's optimizer state: W(layer)'s column, b(layer)'s entry, W(layer + 1)'s row.
  for (Eigen::VectorXf* state : {&optimizer_.sgd.velocity, &optimizer_.adam.m, &optimizer_.adam.v}) {
    if (state->size() != mlp_.num_params()) continue;  // the rule not in use
    mlp_.weights_in(state->data(), layer).col(unit).setZero();
    mlp_.bias_in(state->data(), layer)[unit] = 0;
    mlp_.weights_in(state->data(), layer + 1).row(unit).setZero();
  }
}

void MlpTrainer::set_epochs(int epochs) {
  if (epochs < epoch_ || epochs > kMaxMlpEpochs)
    throw Error(std::to_string(epochs) + " epochs is outside " + std::to_string(epoch_) + ".." +
                std::to_string(kMaxMlpEpochs) + " (at least the epochs done)");
  options_.epochs = epochs;
  optimizer_.set_total_steps(static_cast<long long>(epochs) * batches_per_epoch_);
  count_units();
  if (done() && failure_.empty() && epoch_ < epochs) start_epoch();
}

MlpTrainResult train_mlp(const MlpShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                         const MlpTrainOptions& options, const RowMatrixXf* test_x,
                         std::span<const uint8_t> test_labels) {
  MlpTrainer trainer(shape, train_x, train_labels, options, test_x, test_labels);
  while (!trainer.step(1 << 20)) {
  }
  if (!trainer.failure().empty()) throw Error(trainer.failure());
  return {trainer.mlp(), trainer.history(), trainer.curve()};
}

}  // namespace implay
