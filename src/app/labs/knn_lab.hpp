// knn_lab.hpp — the kNN lab's state: 2-D points with decision regions, classifying a drawn
// digit against MNIST, cross-validation of k in time slices, and "pixel distance is not
// perception". knn_lab.cpp draws it; the computing is core/knn/knn.hpp's.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/draw_canvas.hpp"
#include "core/data/toy2d.hpp"
#include "core/knn/knn.hpp"
#include "core/knn/perception.hpp"

namespace implay::app {

struct LabContext;
template <class State>
struct UrlTable;

enum class KnnTab { Points2d, Mnist, CrossValidation, Perception };

// What the plane's decision regions and hover vote depend on besides the mouse.
struct Knn2dKey {
  int k;
  Metric metric;
  bool weighted;
  int num_classes;
  int points_version;
  bool operator==(const Knn2dKey&) const = default;
};

// A hover query: the plane's inputs and the mouse position in plane coordinates.
struct KnnHoverKey {
  Knn2dKey plane;
  float x, y;
  bool operator==(const KnnHoverKey&) const = default;
};

// 2-D points: the CS231n demo.
struct Knn2dState {
  ToyPreset preset = ToyPreset::Blobs;
  int num_classes = 3;        // 2..5
  int points_per_class = 40;  // 1..500 for presets
  uint64_t seed = 1;
  std::vector<float> points;    // (N, 2) row-major in [-1, 1]²
  std::vector<uint8_t> labels;  // (N)
  int points_version = 0;       // bumps on every change of points or labels
  bool regenerate = true;       // draw asks update for a new sample of the preset (the URL may set it first)
  bool clear = false;           // draw asks update to remove every point
  int paint_class = 0;          // class of points added by clicking
  int dragging = -1;            // index of the point being dragged
  // Decision regions: (res, res) cells over [-1, 1]², recomputed when their inputs change.
  std::optional<Knn2dKey> regions_key;  // the inputs of the texture on screen
  int regions_res = 0;                  // resolution of the texture on screen
  bool show_regions = true;
  Texture regions;
  double regions_ms = 0;  // time of the last recompute
  // Hover: draw records the mouse over the plane, the next update finds its k nearest points.
  bool hover_valid = false;
  float hover_x = 0, hover_y = 0;
  std::optional<KnnHoverKey> hover_key;  // the query hover_neighbors and hover_vote answer
  Neighbors hover_neighbors;
  Vote hover_vote;
};

// What a classification of the drawing depends on.
struct ClassifyKey {
  int k;
  Metric metric;
  bool weighted;
  int train_size;  // images searched: the setting, at most the loaded count
  int data_generation;
  int canvas_version;
  bool operator==(const ClassifyKey&) const = default;
};

// Classifying a drawn digit against MNIST training images.
struct KnnMnistState {
  DrawCanvasState canvas;
  float pen_radius = 11.0f;  // canvas pixels (10 per MNIST pixel)
  bool erase = false;
  int train_size = 10000;                 // training images searched (1,000 … 60,000)
  std::optional<ClassifyKey> classified;  // the inputs of the result below
  std::vector<uint8_t> processed;         // (784) the preprocessed drawing
  bool has_result = false;
  Vote vote;
  Neighbors neighbors;
  double query_ms = 0;
  Atlas neighbor_atlas;  // the k nearest training images
  Texture neighbor_texture;
  Texture processed_texture;
  std::string error;
};

// 5-fold cross-validation of k on a training subset, run in time slices.
struct KnnCvState {
  int subset = 2000;  // examples cross-validated
  int folds = 5;
  int k_max = 25;                // candidates 1..k_max
  bool start_requested = false;  // the Run button was pressed: the next update starts the job
  std::unique_ptr<CrossValidationJob> job;
  int job_generation = -1;  // DataState::generation the job views
  CvResult result;          // the last finished (or partial) result
  bool has_result = false;
  double seconds = 0;  // compute time of the last run
  Metric metric_used = Metric::L2;
  // Test accuracy of the chosen k: training subset vs the loaded test set, also sliced.
  int chosen_k = 0;
  int test_next = 0, test_correct = 0, test_total = 0;
  bool test_running = false;
  std::string error;
};

// One image and three edits at about the same L2 distance.
struct PerceptionKey {
  int image_index;
  int data_generation;
  bool operator==(const PerceptionKey&) const = default;
};

struct KnnPerceptionState {
  int image_index = 0;                 // test image chosen
  std::optional<PerceptionKey> built;  // the image the variants and texture show
  PerceptionVariants variants;
  Atlas atlas;
  Texture texture;
};

struct KnnLabState {
  KnnTab tab = KnnTab::Points2d;
  bool select_tab = true;  // apply `tab` to the tab bar on the next frame
  int k = 5;               // 1..25
  Metric metric = Metric::L2;
  bool weighted = false;
  Knn2dState points;
  KnnMnistState mnist;
  KnnCvState cv;
  KnnPerceptionState perception;
};

// ?mode=2d|mnist&k=5&metric=l1&preset=spiral&seed=2: what the address holds; hide= panels.
const UrlTable<KnnLabState>& knn_url_table();
// Every job and derived result: the sample, regions, hover vote, the drawing's classification,
// cross-validation and the test evaluation, the perception variants. No ImGui calls.
void update_knn_lab(KnnLabState& s, LabContext& ctx);
// Cross-validation and the test evaluation keep running while another lab is shown.
void background_knn_lab(KnnLabState& s, LabContext& ctx);
void draw_knn_lab(KnnLabState& s, LabContext& ctx);
// Fields for the browser tests: the settings, the last prediction, cross-validation.
nlohmann::json knn_state_json(const KnnLabState& s);

}  // namespace implay::app
