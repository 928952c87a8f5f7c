// cnn_train.cpp — the sliced minibatch trainer of cnn_train.hpp; its optimizer is
// optim/optimizer.cpp's, its gradient cnn.cpp's cnn_objective_and_gradient.
#include "core/conv/cnn_train.hpp"

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

void check_train_options(const CnnTrainOptions& o) {
  if (o.batch_size < 1 || o.batch_size > kMaxCnnBatch)
    throw Error("batch size " + std::to_string(o.batch_size) + " is outside 1.." + std::to_string(kMaxCnnBatch));
  if (o.epochs < 0 || o.epochs > kMaxCnnEpochs)
    throw Error(std::to_string(o.epochs) + " epochs is outside 0.." + std::to_string(kMaxCnnEpochs));
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

// A labelled set for the net: C·H·W columns, one label per row, every label a class of the net.
void check_set(const Cnn& cnn, const RowMatrixXf& x, std::span<const uint8_t> labels, const char* which) {
  if (x.cols() != cnn.input_size())
    throw Error(std::string(which) + " set has " + std::to_string(x.cols()) + " values per image, the network (" +
                cnn_shape_text(cnn.shape) + ") takes " + std::to_string(cnn.input_size()));
  if (Eigen::Index(labels.size()) != x.rows())
    throw Error(std::string(which) + " set has " + std::to_string(x.rows()) + " rows but " +
                std::to_string(labels.size()) + " labels");
  const auto worst = std::max_element(labels.begin(), labels.end());
  if (worst != labels.end() && *worst >= cnn.num_classes())
    throw Error(std::string(which) + " label " + std::to_string(*worst) + " of example " +
                std::to_string(worst - labels.begin()) + " is outside the network's classes 0.." +
                std::to_string(cnn.num_classes() - 1));
}

Cnn initialized(const CnnShape& shape, uint64_t seed) {
  Cnn cnn(shape);
  init_cnn(cnn, seed);
  return cnn;
}

}  // namespace

RowMatrixXf unit_pixels(std::span<const uint8_t> pixels, int count, int pixels_per_image) {
  if (count < 0 || pixels_per_image < 1 || pixels.size() != size_t(count) * size_t(pixels_per_image))
    throw Error(std::to_string(pixels.size()) + " bytes are not " + std::to_string(count) + " images of " +
                std::to_string(pixels_per_image) + " pixels");
  RowMatrixXf x(count, pixels_per_image);
  for (size_t k = 0; k < pixels.size(); ++k) x.data()[k] = float(pixels[k]) * (1.0f / 255.0f);
  return x;
}

CnnTrainer::CnnTrainer(const CnnShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                       const CnnTrainOptions& options, const RowMatrixXf* test_x, std::span<const uint8_t> test_labels)
    : CnnTrainer(initialized(shape, options.seed), train_x, train_labels, options, test_x, test_labels) {}

CnnTrainer::CnnTrainer(Cnn start_cnn, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                       const CnnTrainOptions& options, const RowMatrixXf* test_x, std::span<const uint8_t> test_labels)
    : options_(options), cnn_(std::move(start_cnn)) {
  start(train_x, train_labels, test_x, test_labels);
}

void CnnTrainer::start(const RowMatrixXf& train_x, std::span<const uint8_t> train_labels, const RowMatrixXf* test_x,
                       std::span<const uint8_t> test_labels) {
  plan_cnn(cnn_.shape);
  check_train_options(options_);
  if (train_x.rows() == 0) throw Error("cannot train on an empty training set");
  check_set(cnn_, train_x, train_labels, "training");
  if (test_x)
    check_set(cnn_, *test_x, test_labels, "test");
  else if (!test_labels.empty())
    throw Error("test labels were given without test images");
  train_ = &train_x;
  test_ = test_x;
  train_labels_.assign(train_labels.begin(), train_labels.end());
  test_labels_.assign(test_labels.begin(), test_labels.end());

  const int n = int(train_x.rows());
  shuffle_state_ = options_.seed ^ kCnnShuffleStream;
  order_.resize(size_t(n));
  std::iota(order_.begin(), order_.end(), 0);
  const int b = std::min(options_.batch_size, n);
  batch_x_.resize(b, train_x.cols());
  batch_y_.resize(size_t(b));
  grad_.resize(cnn_.num_params());
  last_good_ = cnn_.params;
  optimizer_ = ScheduledOptimizer(options_, cnn_.num_params());
  batches_per_epoch_ = (n + options_.batch_size - 1) / options_.batch_size;
  eval_block_ = 2 * options_.batch_size;
  train_eval_rows_ = options_.train_eval_rows > 0 ? std::min(options_.train_eval_rows, n) : n;
  const long long eval_rows = train_eval_rows_ + (test_ ? test_->rows() : 0);
  const long long eval_units = (eval_rows + eval_block_ - 1) / eval_block_;
  units_total_ =
      (options_.evaluate_initial ? eval_units : 0) + (long long)options_.epochs * (batches_per_epoch_ + eval_units);

  if (options_.evaluate_initial)
    start_evaluation();
  else if (options_.epochs > 0)
    start_epoch();
  else
    phase_ = TrainPhase::Done;
}

float CnnTrainer::progress() const {
  if (units_total_ == 0 || done()) return 1.0f;
  return float(std::min(1.0, double(units_done_) / double(units_total_)));
}

void CnnTrainer::run_unit() {
  if (phase_ == TrainPhase::Training)
    train_one_batch();
  else
    evaluate_one_block();
  ++units_done_;
}

bool CnnTrainer::step(double budget_ms) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point t0 = Clock::now();
  do {
    if (done()) break;
    run_unit();
  } while (std::chrono::duration<double, std::milli>(Clock::now() - t0).count() < budget_ms);
  return done();
}

bool CnnTrainer::step_units(int max_units) {
  for (int unit = 0; unit < max_units && !done(); ++unit) run_unit();
  return done();
}

void CnnTrainer::fail(const std::string& what) {
  cnn_.params = last_good_;
  failure_ = "training diverged at epoch " + std::to_string(epoch_ + 1) + ", minibatch " + std::to_string(batch_ + 1) +
             " (step " + std::to_string(steps_ + 1) + "): " + what + "; lower the learning rate (now " +
             number_text(optimizer_.learning_rate) + ")";
  phase_ = TrainPhase::Done;
}

void CnnTrainer::start_epoch() {
  Rng rng(shuffle_state_);
  rng.shuffle(std::span<int32_t>(order_));
  shuffle_state_ = rng.next_u64();
  batch_ = 0;
  epoch_objective_sum_ = 0;
  phase_ = TrainPhase::Training;
  if (steps_ == 0 && options_.curve_every > 0) record_probe();  // before the first update
}

void CnnTrainer::record_probe() {
  CnnCurvePoint point;
  point.epoch = double(epoch_) + double(batch_) / double(batches_per_epoch_);
  point.learning_rate = optimizer_.learning_rate;
  const int train_rows = std::min<int>(options_.curve_probe_rows, int(train_->rows()));
  evaluate_cnn_rows(cnn_, *train_, train_labels_, options_.objective, 0, train_rows, point.train, eval_ws_);
  if (test_) {
    const int test_rows = std::min<int>(options_.curve_probe_rows, int(test_->rows()));
    evaluate_cnn_rows(cnn_, *test_, test_labels_, options_.objective, 0, test_rows, point.validation, eval_ws_);
  }
  curve_.push_back(point);
}

void CnnTrainer::train_one_batch() {
  const int first = batch_ * options_.batch_size;
  const int count = std::min<int>(options_.batch_size, int(train_->rows()) - first);
  for (int i = 0; i < count; ++i) {
    const int32_t row = order_[size_t(first + i)];
    batch_x_.row(i) = train_->row(row);
    batch_y_[size_t(i)] = train_labels_[size_t(row)];
  }
  const float loss =
      cnn_objective_and_gradient(cnn_, batch_x_.topRows(count), std::span<const int>(batch_y_.data(), size_t(count)),
                                 options_.objective, grad_, train_ws_);
  // The parameters that gave a non-finite loss came from the latest update: undo it.
  if (!std::isfinite(loss)) return fail(std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "inf"));
  batch_objectives_.push_back(loss);
  epoch_objective_sum_ += loss;
  last_good_ = cnn_.params;
  optimizer_.step(cnn_.params, grad_);
  if (!cnn_.params.allFinite()) return fail("a parameter became NaN or inf");
  ++steps_;
  ++batch_;
  const bool last = epoch_ + 1 == options_.epochs && batch_ == batches_per_epoch_;
  if (options_.curve_every > 0 && (last || steps_ % options_.curve_every == 0)) record_probe();
  if (batch_ == batches_per_epoch_) {
    ++epoch_;
    start_evaluation();
  }
}

void CnnTrainer::start_evaluation() {
  phase_ = TrainPhase::Evaluating;
  pending_ = CnnEpochStats{};
  pending_.epoch = epoch_;
  pending_.learning_rate = optimizer_.learning_rate;
  pending_.mean_batch_objective =
      epoch_ == 0 ? std::numeric_limits<double>::quiet_NaN() : epoch_objective_sum_ / batches_per_epoch_;
  eval_next_ = 0;
  // Even with no rows, each record carries λ R(W).
  evaluate_cnn_rows(cnn_, *train_, train_labels_, options_.objective, 0, 0, pending_.train, eval_ws_);
  if (test_) evaluate_cnn_rows(cnn_, *test_, test_labels_, options_.objective, 0, 0, pending_.validation, eval_ws_);
}

void CnnTrainer::evaluate_one_block() {
  const int end = train_eval_rows_ + (test_ ? int(test_->rows()) : 0);  // training rows, then test rows
  const int stop = std::min(end, eval_next_ + eval_block_);
  if (eval_next_ < train_eval_rows_) {
    const int rows = std::min(stop, train_eval_rows_) - eval_next_;
    evaluate_cnn_rows(cnn_, *train_, train_labels_, options_.objective, eval_next_, rows, pending_.train, eval_ws_);
    eval_next_ += rows;
  }
  if (eval_next_ < stop) {
    evaluate_cnn_rows(cnn_, *test_, test_labels_, options_.objective, eval_next_ - train_eval_rows_, stop - eval_next_,
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

void CnnTrainer::set_learning_rate(float learning_rate) {
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    throw Error("learning rate " + number_text(learning_rate) + " (need a finite number > 0)");
  optimizer_.learning_rate = learning_rate;
}

CnnTrainResult train_cnn(const CnnShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                         const CnnTrainOptions& options, const RowMatrixXf* test_x,
                         std::span<const uint8_t> test_labels) {
  CnnTrainer trainer(shape, train_x, train_labels, options, test_x, test_labels);
  while (!trainer.step_units(1 << 20)) {
  }
  if (!trainer.failure().empty()) throw Error(trainer.failure());
  return {trainer.cnn(), trainer.history(), trainer.curve()};
}

}  // namespace implay
