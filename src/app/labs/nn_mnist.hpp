// nn_mnist.hpp — the Neural net lab's MNIST tab: an MLP 784-H-10 (core/nn/) trained on the MNIST
// images in the page, in slices between frames, with live curves, the first layer's weights as
// 28×28 images, the confusion matrix, and a digit the student draws run through the net (its
// prediction and its hidden units). nn_lab.cpp hosts it; nn_mnist.cpp computes and draws it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/widgets/confusion_matrix.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/draw_canvas.hpp"
#include "app/widgets/loss_curves.hpp"
#include "core/linear/features.hpp"
#include "core/matrix.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/mlp_train.hpp"

namespace implay::app {

struct LabContext;

inline constexpr int kMaxNnMnistUnits = 1024;  // H

// What decides a run (the address holds all of it). The defaults are `implay nn train --data
// mnist`'s: 100 ReLU units, Adam with α = 0.01 falling linearly to 0 over the run, batches of 100.
struct NnMnistSettings {
  int hidden = 100;  // H
  Activation activation = Activation::Relu;
  float learning_rate = 0.01f;
  int batch_size = 100;
  int epochs = 2;
  bool operator==(const NnMnistSettings&) const = default;
};

struct NnMnistState {
  NnMnistSettings settings;
  bool train_requested = false;  // Train was pressed: the next update starts
  // The images as the net sees them (pixels scaled to [0, 1], `implay nn train --data mnist`'s
  // features), converted a block per frame before the trainer starts.
  FeatureExtractor extractor;
  RowMatrixXf train_x, test_x;  // (N, 784), (M, 784) of DataState's images, labels there
  int converted = -1;           // images converted: training then test; −1 when not preparing
  int data_generation = -1;
  std::unique_ptr<MlpTrainer> trainer;
  bool playing = false;
  double train_seconds = 0;  // compute time of the trainer (the conversion not counted)
  std::vector<LossSample> train_curve, test_curve;
  size_t curve_taken = 0;  // points of trainer->curve() already on the curves
  bool log_scale = false;
  // The first layer: the weights into each hidden unit as a 28×28 image (the first kWeightTiles).
  Atlas weights_atlas;
  Texture weights;
  long long weights_frame = -1;  // FrameClock::frame of the last refresh
  long long weights_step = -1;   // MlpTrainer::steps() it showed
  ConfusionView confusion;       // on the test images, when training pauses or ends
  bool confusion_stale = true;
  // Draw a digit: its scores and the hidden layer's response.
  DrawCanvasState canvas;
  int canvas_classified = -1;  // canvas.version of the numbers below
  long long classified_step = -1;
  Eigen::VectorXf digit_scores;  // (10)
  Eigen::VectorXf digit_hidden;  // (H) φ of each hidden unit
  std::string error;

  bool preparing() const { return converted >= 0; }
};

// Starts, converts, trains a slice of about `budget_ms`, samples the curves, the weights, the
// confusion matrix and the drawn digit. No ImGui calls.
void update_nn_mnist(NnMnistState& m, LabContext& ctx, double budget_ms, bool shown);
void draw_nn_mnist_tab(NnMnistState& m, LabContext& ctx);
nlohmann::json nn_mnist_json(const NnMnistState& m);

}  // namespace implay::app
