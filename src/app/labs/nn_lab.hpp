// nn_lab.hpp — the Neural net lab's state: an MLP (core/nn/mlp.hpp) trained live on 2-D points
// (the spiral "tendril" problem no line separates), drawn as a graph of neurons with their maps,
// one hidden layer neuron by neuron, and the current minibatch as matrices. nn_lab.cpp draws;
// core/nn/ computes every score, gradient and update.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/labs/nn_mnist.hpp"
#include "app/widgets/loss_curves.hpp"
#include "core/data/toy2d.hpp"
#include "core/matrix.hpp"
#include "core/nn/features2d.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/mlp_train.hpp"

namespace implay::app {

struct LabContext;
template <class State>
struct UrlTable;

enum class NnTab { Network, Neurons, Matrices, Mnist };

// The update rules as the lab offers them: momentum is SGD with μ = 0.9, sgd has μ = 0.
enum class NnOptimizer { Sgd, Momentum, Adam };

inline constexpr int kMaxNnPlaneUnits = 256;  // units of a hidden layer of a 2-D net
inline constexpr int kMaxNnPlaneLayers = 6;

// What decides the data and the net (the address holds all of it).
struct NnSettings {
  ToyPreset preset = ToyPreset::Spiral;
  int num_classes = 3;             // K: 2..5 (spiral arms)
  int points_per_class = 100;      // 10..200
  float noise = 0.2f;              // the preset's spread (spiral: σ of the angle, radians)
  float test_ratio = 0.3f;         // of the points held out as the test set
  int seed = 1;                    // the sample, the split and the first weights
  std::vector<int> hidden = {16};  // widths of the hidden layers, input side first; {} = linear
  Activation activation = Activation::Relu;
  std::vector<Feature2d> features = {Feature2d::X, Feature2d::Y};
  NnLoss loss = NnLoss::Softmax;
  Regularizer reg = Regularizer::L2;
  float lambda = 1e-4f;
  NnOptimizer optimizer = NnOptimizer::Adam;
  float learning_rate = 0.01f;
  int batch_size = 10;
  bool argmax = false;          // regions by the winning class only, not blended by probability
  bool compare_linear = false;  // a linear model (no hidden layer) trained beside, on the same data

  bool operator==(const NnSettings&) const = default;
};

// What the data depend on: a change of any field draws a new sample.
struct NnDataKey {
  ToyPreset preset = ToyPreset::Spiral;
  int num_classes = 0, points_per_class = 0, seed = 0;
  float noise = 0, test_ratio = 0;
  std::vector<Feature2d> features;
  int edits = 0;  // the student's added, moved or deleted points
  bool operator==(const NnDataKey&) const = default;
};

// What a fresh net depends on: a change starts training over.
struct NnNetKey {
  std::vector<int> hidden;
  Activation activation = Activation::Relu;
  int seed = 0, resets = 0;
  bool operator==(const NnNetKey&) const = default;
};

// How the net is trained: a change goes on training the same net under the new rule, so a
// student sees what switching the loss (or the optimizer, or the batch) does to a net mid-way.
struct NnRecipeKey {
  NnLoss loss = NnLoss::Softmax;
  NnOptimizer optimizer = NnOptimizer::Adam;
  int batch_size = 0;
  bool operator==(const NnRecipeKey&) const = default;
};

// One trained model and what the lab sampled of it.
struct NnRun {
  std::unique_ptr<MlpTrainer> trainer;
  Mlp net;  // the net shown: the trainer's, or as the student edited it
  std::vector<LossSample> train_curve, test_curve;
  int epochs_before = 0;   // epochs of earlier trainers this run continued from
  int sampled_epoch = -1;  // the trainer's epoch last put on the curves
  double train_accuracy = 0, test_accuracy = 0, train_ce = 0, test_ce = 0, train_hinge = 0, test_hinge = 0;
  std::string failure;  // why training stopped (divergence)
  int epochs() const { return epochs_before + (trainer ? trainer->epoch() : 0); }
};

// The plane's grid for the regions and the neurons' maps.
inline constexpr int kNnGrid = 64;

struct NnMaps {
  RowMatrixXf grid_x;                         // (G², F) the features of every grid point, G = kNnGrid
  MlpActivations grid;                        // the net's numbers at every grid point
  Texture regions;                            // the class regions (probabilities blended, or argmax)
  Texture linear_regions;                     // the same of the linear model beside
  std::vector<Texture> neurons;               // one per unit: inputs, then each hidden layer, then the outputs
  int hovered_layer = -2, hovered_unit = -1;  // the neuron under the mouse (−1: an input)
};

struct NnLabState {
  NnTab tab = NnTab::Network;
  bool select_tab = true;
  NnSettings settings;
  // The data: the sample split into training and test points; the student edits the training ones.
  std::vector<float> train_points, test_points;  // (N, 2), (T, 2) in [-1, 1]²
  std::vector<uint8_t> train_labels, test_labels;
  RowMatrixXf train_x, test_x;  // (N, F), (T, F) the features the nets see
  NnDataKey data_key;
  NnNetKey net_key;
  NnRecipeKey recipe_key;
  int edits = 0, resets = 0;
  int add_class = 0, drag_point = -1;
  NnRun mlp, linear;
  bool playing = false;
  int pending_steps = 0;  // Step presses: one epoch each
  bool net_dirty = true;  // restart the trainer from `mlp.net` (an edit of weights or points)
  NnMaps maps;
  bool maps_dirty = true;
  ConfusionView confusion;  // of the net on the test points, refreshed with the maps
  bool log_scale = false;   // the curves' losses as log₁₀
  // Neuron by neuron: the line being dragged (2i: shift of unit i, 2i + 1: its turn).
  int drag_handle = -1;
  // The matrices tab: the minibatch shown (its first rows), redrawn on request.
  int batch_seed = 0;
  std::vector<int> batch_rows;  // (M) training rows of the minibatch
  MlpActivations batch;         // the net's numbers on it
  // Editing a neuron's weights (a click on it in the graph).
  int edit_layer = -1, edit_unit = -1;
  double train_seconds = 0;
  NnMnistState mnist;  // the MNIST tab: its own net, trained on the images
};

// ?lab=nn&mode=network&layers=8,8&activation=tanh&lr=0.03: what the address holds; hide= panels.
const UrlTable<NnLabState>& nn_url_table();
// Data, training in slices, the curves, the regions and neuron maps, the minibatch. No ImGui calls.
void update_nn_lab(NnLabState& s, LabContext& ctx);
// While another lab is shown: an MNIST run keeps training.
void background_nn_lab(NnLabState& s, LabContext& ctx);
void draw_nn_lab(NnLabState& s, LabContext& ctx);
// window.implay.state().nn: the settings, epoch, losses and accuracies, probes.
nlohmann::json nn_state_json(const NnLabState& s);

}  // namespace implay::app
