// mlp_train.cpp — MlpTrainer (mlp_train.hpp): the checks of a net and its sets, and the hooks
// that hand minibatch_trainer.cpp's loop mlp.cpp's objective_and_gradient and evaluation.
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
    : MinibatchTrainer(options, {kMaxMlpBatch, kMaxMlpEpochs}, kMlpShuffleStream), mlp_(std::move(start_mlp)) {
  check_mlp_shape(mlp_.shape);
  check_not_empty(train_x);
  check_set(mlp_, train_x, train_labels, "training");
  if (test_x)
    check_set(mlp_, *test_x, test_labels, "test");
  else if (!test_labels.empty())
    throw Error("test labels were given without test features");
  start(train_x, train_labels, test_x, test_labels);
}

float MlpTrainer::objective_and_gradient(const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                                         Eigen::VectorXf& grad) {
  return implay::objective_and_gradient(mlp_, X, labels, options().objective, grad, train_ws_);
}

void MlpTrainer::evaluate_rows(const RowMatrixXf& X, std::span<const uint8_t> labels, int first, int count,
                               Evaluation& running) {
  evaluate_mlp_rows(mlp_, X, labels, options().objective, first, count, running, eval_ws_);
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
