// conv_why.hpp — the Convolution lab's "Why convolution" tab: the lecture's claims as experiments.
// Flattening loses position: a digit beside its 784-vector, and an MLP and the CNN trained alike
// on MNIST with and without one fixed pixel permutation (the MLP does not care, the CNN loses its
// edge). Translation is not rotation: shift and rotate sliders on a digit, the CNN's first-layer
// maps of it, and the predicted probability against the angle and the shift. conv_lab.cpp hosts
// it; conv_why.cpp computes and draws it; core/conv/ transforms, trains and scores.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/widgets/draw_canvas.hpp"
#include "app/widgets/feature_maps.hpp"
#include "core/conv/cnn.hpp"
#include "core/conv/cnn_train.hpp"
#include "core/conv/transforms.hpp"
#include "core/matrix.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/mlp_train.hpp"

namespace implay::app {

struct LabContext;

inline constexpr int kMaxWhyImages = 10000;  // the experiment's training images (4 copies are held)
inline constexpr int kMaxWhyShift = 8;       // |dx|, |dy| in pixels
inline constexpr int kMaxWhyAngle = 90;      // |angle| in degrees

// What the address holds.
struct ConvWhySettings {
  int train_images = 5000;   // the experiment trains on at most this many of the loaded images
  int permutation_seed = 1;  // make_pixel_permutation(784, seed)
  int image_index = 0;       // the MNIST test image the sliders move
  int shift_x = 0, shift_y = 0;
  int angle = 0;
  bool operator==(const ConvWhySettings&) const = default;
};

// The four runs of the experiment, in the order they train.
enum class WhyRun { MlpPlain, MlpPermuted, CnnPlain, CnnPermuted };
inline constexpr int kWhyRuns = 4;

struct WhyExperiment {
  bool requested = false;  // Run was pressed: the next update starts
  int prepared = -1;       // rows converted (training, then test); −1 when not preparing
  int data_generation = -1;
  PixelPermutation permutation;  // (784) of the run being prepared or trained
  // The images as the nets see them, in [0, 1]: as they are and permuted. Freed when done.
  RowMatrixXf train_plain, train_permuted;  // (N, 784)
  RowMatrixXf test_plain, test_permuted;    // (M, 784)
  int run = -1;                             // the run training (0..3), kWhyRuns when all are done, −1 before
  std::unique_ptr<MlpTrainer> mlp_trainer;
  std::unique_ptr<CnnTrainer> cnn_trainer;
  std::array<double, kWhyRuns> accuracy = {-1, -1, -1, -1};  // test accuracy of each finished run
  std::array<double, kWhyRuns> seconds = {0, 0, 0, 0};       // its compute time
  std::string error;

  bool preparing() const { return prepared >= 0; }
  bool training() const { return run >= 0 && run < kWhyRuns; }
};

// The nets the invariance plots score with: the experiment's (plain pixels), or the CNN the
// "Train a CNN" tab trained when it has finished.
struct WhyNets {
  std::unique_ptr<Mlp> mlp;
  std::unique_ptr<Cnn> cnn;
  std::string cnn_source;  // "" (none yet), "experiment" or "train tab"
  int version = 0;         // bumps when either changes
};

struct WhyKey {
  ConvWhySettings settings;
  bool drawn = false;
  int canvas_version = -1, data_generation = -1, nets_version = -1;
  bool operator==(const WhyKey&) const = default;
};

struct WhyView {
  WhyKey key;
  bool has_digit = false;
  int tracked_class = -1;       // the class whose probability is plotted (label, or the CNN's call)
  std::vector<float> digit;     // (784) in [0, 1]
  std::vector<float> moved;     // (784) shifted, then rotated
  std::vector<float> permuted;  // (784) the digit as the permuted runs see it
  Texture digit_texture, moved_texture, permuted_texture;
  FeatureMaps maps;  // (8, 28, 28) the CNN's first conv layer on `moved`
  // max |maps(move(x)) − move(maps(x))| / max |maps(x)| over the cells the move keeps whole:
  // 0 for a shift (ink pushed off the edge aside), large for a rotation. −1 without a CNN.
  double map_mismatch = -1;
  std::array<double, 10> cnn_probs{}, mlp_probs{};  // of `moved`
  std::vector<double> angles, shifts;               // the sweeps' x values
  std::vector<double> cnn_by_angle, mlp_by_angle;   // p(tracked class) at each angle
  std::vector<double> cnn_by_shift, mlp_by_shift;   // ... at each horizontal shift
  int vector_pixel = 14 * 28 + 14;                  // the pixel whose neighbours are marked on the vector
};

struct ConvWhyState {
  ConvWhySettings settings;
  bool drawn = false;  // the student's drawing instead of an MNIST test image
  DrawCanvasState canvas;
  WhyExperiment experiment;
  WhyNets nets;
  WhyView view;
};

// Prepares and trains a slice of the experiment (about budget_ms); when shown, the digit, its
// maps and the sweeps. `trained` is the Train tab's CNN when it has finished, else null. No ImGui.
void update_conv_why(ConvWhyState& w, LabContext& ctx, const Cnn* trained, double budget_ms, bool shown);
void draw_conv_why_tab(ConvWhyState& w, LabContext& ctx);
nlohmann::json conv_why_json(const ConvWhyState& w);

}  // namespace implay::app
