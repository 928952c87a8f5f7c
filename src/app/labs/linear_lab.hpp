// linear_lab.hpp — the linear classifier lab's state: s = Wx + b on 2-D points (lines you can
// drag or train), on MNIST (trained in time slices, both losses plotted live, templates), and a
// one-example "Softmax vs SVM" comparison. linear_lab.cpp draws; core/linear*.hpp computes.
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
#include "core/data/toy2d.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear.hpp"
#include "core/linear/linear_train.hpp"

namespace implay::app {

struct LabContext;
template <class State>
struct UrlTable;

enum class LinearTab { Points2d, Mnist, Compare };

// Settings shared by the three views (the URL sets them).
struct LinearSettings {
  LossKind loss = LossKind::MulticlassHinge;
  float margin = 1.0f;  // Δ of the hinge losses
  Regularizer reg = Regularizer::L2;
  float lambda = 0.01f;  // λ (2-D default; MNIST starts at 1e-5)
  float learning_rate = 0.1f;
};

struct Linear2dState {
  ToyPreset preset = ToyPreset::Blobs;
  int num_classes = 3;  // 3..5
  int points_per_class = 12;
  uint64_t seed = 3;
  std::vector<float> points;    // (N, 2) in [-1, 1]²
  std::vector<uint8_t> labels;  // (N)
  LinearModel model;            // C = num_classes, D = 2
  bool playing = false;
  int steps = 0;               // gradient steps taken
  int pending_steps = 0;       // "Single step" presses the next update takes
  bool reset_data = false;     // draw asks update for a new sample (and new W)
  bool reset_weights = false;  // draw asks update for new random W
  int selected = 0;            // class whose positive side is shaded
  int drag_point = -1;         // dragged data point
  int drag_handle = -1;        // 2c: shift handle of class c, 2c + 1: rotate handle
  Texture regions;
  bool regions_dirty = true;
  ObjectiveParts parts;  // the last evaluated loss terms
  // Per point, at the current W (update refreshes them): scores (N, C), losses (N), predictions (N).
  Eigen::MatrixXf example_scores;
  Eigen::VectorXf example_loss;
  int correct = 0;  // predictions equal to the label
};

// The trainer's features, extracted a block of images per frame: HoG of the full training set
// takes about a second, far more than a frame. Order: training rows (summed for the mean),
// then, for MeanSubtracted, centring them, then validation and test rows (centred as made).
struct FeatureJob {
  FeatureExtractor raw;                                    // the settings with Unit scaling; the lab subtracts the mean
  int train_rows = 0, validation_rows = 0, test_rows = 0;  // N, V, M
  bool centre = false;                                     // MeanSubtracted
  int extracted = 0;                                       // images done: 0 … N + V + M
  int centred = 0;                                         // training rows centred: 0 … N
  Eigen::RowVectorXd sum;                                  // (F) sum of the training rows' features
  int data_generation = -1;                                // DataState::generation the job reads
  double seconds = 0;                                      // compute time so far
  int images() const { return train_rows + validation_rows + test_rows; }
  int units() const { return images() + (centre ? train_rows : 0); }
  bool done() const { return extracted + centred == units(); }
  float progress() const { return units() > 0 ? float(extracted + centred) / float(units()) : 1.0f; }
};

// How fast MNIST training runs: as fast as each frame allows, or slowly enough that a student
// watches the first epoch's loss fall (batches per second in train_speed_batches_per_second).
enum class TrainSpeed { Fast, Slow, VerySlow };

struct LinearMnistState {
  FeatureOptions features;  // pixels / histogram / HoG
  Optimizer optimizer = Optimizer::Adam;
  float learning_rate = 0.01f;
  float lambda = 1e-5f;
  int epochs = 5;
  int batch_size = 100;
  // Data the trainer views: built by `preparing` when Train is pressed, kept while it lives.
  std::unique_ptr<FeatureJob> preparing;
  FeatureExtractor extractor;                 // Unit scaling; with MeanSubtracted, feature_mean is taken off
  Eigen::RowVectorXf feature_mean;            // (F) training mean, empty for Unit
  RowMatrixXf train_x, validation_x, test_x;  // (N, F), (V, F), (M, F)
  std::vector<uint8_t> train_y, validation_y;
  int data_generation = -1;
  std::unique_ptr<LinearTrainer> trainer;
  bool playing = false;
  bool train_requested = false;  // Train was pressed: the next update starts
  double train_seconds = 0;
  std::vector<LossSample> curve;  // live CE and hinge on the probe
  int last_sample_batch = -1;
  bool log_scale = false;
  // Templates and confusion matrix of the current model.
  Texture templates;
  long long templates_frame = -1;  // FrameClock::frame of the last refresh
  ConfusionView confusion;         // on the test images, when training pauses or ends
  bool confusion_stale = true;
  // Training speed; at a slow speed `batch_credit` collects the batches owed since the last one.
  TrainSpeed speed = TrainSpeed::Fast;
  double batch_credit = 0;
  // Draw a digit and see its scores.
  DrawCanvasState canvas;
  int canvas_classified = -1;
  Eigen::VectorXf digit_scores;  // (10)
  std::string error;
};

struct LinearCompareState {
  float scores[3] = {3.2f, 5.1f, -1.7f};  // the lecture's cat example: scores for cat, car, frog
  int label = 0;                          // the true class (cat)
};

struct LinearLabState {
  LinearTab tab = LinearTab::Points2d;
  bool select_tab = true;
  LinearSettings settings;
  Linear2dState points;
  LinearMnistState mnist;
  LinearCompareState compare;
};

// ?mode=2d|mnist|compare&loss=svm&reg=l2&lambda=0.01&lr=0.1&seed=4: what the address holds.
const UrlTable<LinearLabState>& linear_url_table();
// The 2-D gradient steps, regions and loss terms; MNIST training in slices, the confusion
// matrix, the templates and the drawn digit's scores. No ImGui calls.
void update_linear_lab(LinearLabState& s, LabContext& ctx);
// MNIST training keeps running while another lab is shown.
void background_linear_lab(LinearLabState& s, LabContext& ctx);
void draw_linear_lab(LinearLabState& s, LabContext& ctx);
nlohmann::json linear_state_json(const LinearLabState& s);

}  // namespace implay::app
