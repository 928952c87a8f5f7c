// conv_train.hpp — the Convolution lab's "Train a CNN" tab: core/conv's small CNN trained on the
// MNIST images in the page, in slices between frames, with live curves, the learned first-layer
// filters, a table of the network, and a digit the student draws run through every layer (its
// feature maps and top-3 classes). conv_lab.cpp hosts it; conv_train.cpp computes and draws it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/widgets/draw_canvas.hpp"
#include "app/widgets/feature_maps.hpp"
#include "app/widgets/loss_curves.hpp"
#include "core/conv/cnn.hpp"
#include "core/conv/cnn_train.hpp"
#include "core/matrix.hpp"

namespace implay::app {

struct LabContext;

// What decides a run (the address holds all of it): the core's recipe (cnn_train.hpp) on the
// training images the page has loaded, or fewer.
struct ConvTrainSettings {
  int train_images = 60000;  // at most this many of the loaded training images
  float learning_rate = CnnTrainOptions{}.learning_rate;
  int batch_size = CnnTrainOptions{}.batch_size;
  int epochs = CnnTrainOptions{}.epochs;
  bool operator==(const ConvTrainSettings&) const = default;
};

struct ConvTrainState {
  ConvTrainSettings settings;
  bool train_requested = false;  // Train was pressed: the next update starts
  RowMatrixXf train_x, test_x;   // (N, 784), (M, 784) DataState's images in [0, 1]
  int converted = -1;            // images converted: training then test; −1 when not preparing
  int data_generation = -1;
  std::unique_ptr<CnnTrainer> trainer;
  bool playing = false;
  double train_seconds = 0;  // compute time of the trainer (the conversion not counted)
  std::vector<LossSample> train_curve, test_curve;
  size_t curve_taken = 0;
  bool log_scale = false;
  // The first conv layer's filters (F, 5·5) as one texture of tiles, refreshed every few frames.
  FeatureMaps filters;
  long long filters_frame = -1, filters_step = -1;
  // Draw a digit: every layer's maps and the top-3 classes.
  DrawCanvasState canvas;
  int canvas_classified = -1;
  long long classified_step = -1;
  std::vector<FeatureMaps> digit_maps;  // (layers − 1): every layer but the last (dense)
  Eigen::VectorXf digit_probs;          // (10) softmax of the scores
  double forward_ms = 0;                // the drawn digit's forward pass, all layers
  std::string error;

  bool preparing() const { return converted >= 0; }
};

// Starts, converts, trains a slice of about `budget_ms`, samples the curves, the filters and
// the drawn digit. No ImGui calls.
void update_conv_train(ConvTrainState& t, LabContext& ctx, double budget_ms, bool shown);
void draw_conv_train_tab(ConvTrainState& t, LabContext& ctx);
nlohmann::json conv_train_json(const ConvTrainState& t);

}  // namespace implay::app
