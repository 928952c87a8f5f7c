// cnn_train.cpp — CnnTrainer (cnn_train.hpp): the checks of a net and its sets, and the hooks
// that hand minibatch_trainer.cpp's loop cnn.cpp's objective, gradient and evaluation.
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
    : MinibatchTrainer(options, {kMaxCnnBatch, kMaxCnnEpochs}, kCnnShuffleStream), cnn_(std::move(start_cnn)) {
  plan_cnn(cnn_.shape);
  check_not_empty(train_x);
  check_set(cnn_, train_x, train_labels, "training");
  if (test_x)
    check_set(cnn_, *test_x, test_labels, "test");
  else if (!test_labels.empty())
    throw Error("test labels were given without test images");
  start(train_x, train_labels, test_x, test_labels);
}

float CnnTrainer::objective_and_gradient(const Eigen::Ref<const RowMatrixXf>& X, std::span<const int> labels,
                                         Eigen::VectorXf& grad) {
  return cnn_objective_and_gradient(cnn_, X, labels, options().objective, grad, train_ws_);
}

void CnnTrainer::evaluate_rows(const RowMatrixXf& X, std::span<const uint8_t> labels, int first, int count,
                               Evaluation& running) {
  evaluate_cnn_rows(cnn_, X, labels, options().objective, first, count, running, eval_ws_);
}

CnnTrainResult train_cnn(const CnnShape& shape, const RowMatrixXf& train_x, std::span<const uint8_t> train_labels,
                         const CnnTrainOptions& options, const RowMatrixXf* test_x,
                         std::span<const uint8_t> test_labels) {
  CnnTrainer trainer(shape, train_x, train_labels, options, test_x, test_labels);
  while (!trainer.step(1 << 20)) {
  }
  if (!trainer.failure().empty()) throw Error(trainer.failure());
  return {trainer.cnn(), trainer.history(), trainer.curve()};
}

}  // namespace implay
