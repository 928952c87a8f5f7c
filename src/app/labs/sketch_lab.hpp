// sketch_lab.hpp — the Sketch model lab's state: a 28×28 binary sketch and three autoregressive
// pixel models p(x) = Π p(xᵢ | x₍<ᵢ₎) (context counts, FVSBN, NADE) trained on binarized MNIST
// and the student's own sketches; the sketch's conditionals and surprise, completions, the
// aggregation tree of a few pixels, and the models' test NLL side by side.
// sketch_lab.cpp draws; core/pixel_model*.hpp, chain_tables.hpp and sketch_set.hpp compute.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "core/eval/probability.hpp"
#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_model_fvsbn.hpp"

namespace implay::app {

struct LabContext;
struct OpenedFile;
template <class State>
struct UrlTable;

enum class SketchTab { Draw, ChainRule, Models, MySketches };
enum class SketchModel { Counts, Fvsbn, Nade };
enum class CountSource { Mnist, Sketches, Mixed };  // what the count model counts

// One trained model and its score on the loaded test images.
struct ModelResult {
  std::unique_ptr<PixelModel> model;
  double test_nll = -1;      // mean −log p(x) in nats over the loaded test images
  double seconds = 0;        // training time
  long long parameters = 0;  // probabilities or weights the model learned
  std::string trained_on;    // "10,000 MNIST images · 2 epochs"
  int data_generation = -1;
};

// The inputs of each cache, compared with ==: a cache is rebuilt when its key differs.
struct CountsKey {           // the count model
  int data_generation = -1;  // binarized MNIST
  int neighbours = 0;
  float alpha = 0;
  bool position_dependent = false;
  CountSource source = CountSource::Mnist;
  int sketch_weight = 0;      // Mixed only (0 otherwise)
  int sketches_version = -1;  // when the sketches are counted (-1 otherwise)
  bool operator==(const CountsKey&) const = default;
};
struct AnalysisKey {  // the sketch's conditionals and surprise
  int sketch_version = -1;
  int model_version = -1;
  SketchModel model = SketchModel::Counts;
  bool operator==(const AnalysisKey&) const = default;
};
struct CompletionKey {  // the completions
  AnalysisKey analysed;
  int start = -1;  // the first pixel drawn by the model
  float temperature = 0;
  int samples = 0;
  uint64_t seed = 0;
  bool operator==(const CompletionKey&) const = default;
};
struct ChainKey {  // the chain-rule count table
  bool use_template = false;
  int patch_row = -1, patch_col = -1;
  int k = 0;
  int source_version = -1;  // model_version (template) or the data generation (patch)
  bool operator==(const ChainKey&) const = default;
};

// The models every tab uses: the count model (recounted whenever a setting, the data or, when
// used, the sketch set changes), the baseline, FVSBN and NADE (trained a few minibatches per frame).
struct SketchModelsState {
  SketchModel picked = SketchModel::Counts;  // the model every view uses (once it is trained)
  int model_version = 0;                     // bumped whenever a model changes

  // Context counts.
  int neighbours = 10;  // K, 1..12
  float alpha = 1.0f;   // additive smoothing
  bool position_dependent = false;
  CountSource count_source = CountSource::Mnist;
  int sketch_weight = 50;  // Mixed: each of your sketches counts as this many MNIST images
  CountsKey counts_key;
  ModelResult counts, independent, fvsbn, nade;
  std::string counts_error;

  // FVSBN / NADE training.
  BinaryImages train_bin, test_bin;  // the loaded MNIST, binarized (the trainer views these)
  int binarized_generation = -1;
  std::unique_ptr<PixelModelTrainer> trainer;
  SketchModel training = SketchModel::Counts;  // what `trainer` trains (Counts: nothing)
  int trainer_generation = -1;                 // the data generation it trains on
  bool auto_started[3] = {};                   // picking a model trains it once by itself
  double training_ms = 0;
  // Defaults measured on the 10,000-image subset (test NLL, 2,000 test images): FVSBN 5 epochs
  // 89.6 nats (2 epochs 94.1); NADE H = 250, 4 epochs 77.9 (H = 100: 85.5); counts K = 10 82.1.
  int fvsbn_epochs = 5;
  int nade_epochs = 4;
  int nade_hidden = 250;
  std::string training_message;
};

// The Draw & complete tab: the sketch, its analysis under the model, and completions.
struct SketchDrawState {
  // The sketch: (28, 28) 0/1, raster order, with undo snapshots.
  std::vector<uint8_t> sketch = std::vector<uint8_t>(784, 0);
  std::vector<std::vector<uint8_t>> undo;
  bool erase = false;
  int stroke_value = -1;  // the value a drag paints (decided by the first cell)
  int sketch_version = 0, sketch_texture_version = -1;
  AnalysisKey analysed_key;
  // Analysis of the sketch under the model.
  std::vector<double> conditional;  // (784) p(xᵢ = 1 | x₍<ᵢ₎)
  std::vector<double> surprise;     // (784) −log p(xᵢ | x₍<ᵢ₎)
  std::vector<double> running_log_p;  // (784) log p(x₀ … xᵢ) = −Σⱼ≤ᵢ surprise: the chain rule's partial sums
  LogLikelihood likelihood;
  Texture conditional_texture, surprise_texture, sketch_texture;

  // Completion from a row, or from the raster cursor (the pixel after the last ink pixel).
  bool from_cursor = false;
  int from_row = 14;
  float temperature = 1.0f;
  int samples = 8;
  uint64_t seed = 1;
  std::vector<uint8_t> completions;  // (completed_key.samples, 784)
  Texture completion_texture;
  CompletionKey completed_key;  // what `completions` and its texture show
  double completion_ms = 0;
};

// The chain-rule tab: a 2×2 patch of the training images, or the count model's first k template
// neighbours and the pixel they predict, as a count table and its aggregation tree.
struct SketchChainState {
  bool use_template = false;
  int patch_row = 6, patch_col = 12;  // the patch's top-left pixel
  int k = 3;
  int leaf = 15;  // the selected leaf (row of the count table)
  CountTable table;
  ChainKey key;  // what `table` counts
  std::string error;
  Texture mean_texture;  // the training images' mean, for picking a patch
  int mean_generation = -1;
  std::vector<ImVec2> leaf_centres;
};

// Your sketches: kept in the browser (host.store), exported and imported as IDX files.
struct SketchSetState {
  BinaryImages sketches;
  int version = 0;                            // bumped whenever the set changes
  int thumbs_version = -1, thumbs_count = 0;  // the set the thumbnails' texture shows
  int selected = -1;
  Texture thumbs_texture;
  std::string message;
  bool message_is_error = false;
};

struct SketchLabState {
  SketchTab tab = SketchTab::Draw;
  bool select_tab = true;
  SketchModelsState models;
  SketchDrawState drawing;
  SketchChainState chain;
  SketchSetState set;
  std::string error;
};

// ?mode=draw|chain|models|sketches&model=nade&template=10&temperature=1&seed=2: what the
// address holds (FVSBN / NADE training settings included); its panels for hide=.
const UrlTable<SketchLabState>& sketch_url_table();
// Reads the sketch set kept by an earlier visit (host.load_stored); a set that cannot be read is
// reported in the lab and left in storage untouched until the student changes the set.
void load_stored_sketches(SketchLabState& s, Host& host);
// An imported file (host.open_file purpose "sketches"): added to the set, or refused with a
// message that names the problem, the set unchanged.
void import_sketches(SketchLabState& s, Host& host, const std::string& name, std::span<const uint8_t> bytes);
void start_sketch_lab(SketchLabState& s, LabContext& ctx);                        // load_stored_sketches
bool sketch_on_file(SketchLabState& s, LabContext& ctx, const OpenedFile& file);  // import_sketches
void update_sketch_lab(SketchLabState& s, LabContext& ctx);
void draw_sketch_lab(SketchLabState& s, LabContext& ctx);
nlohmann::json sketch_state_json(const SketchLabState& s);

}  // namespace implay::app
