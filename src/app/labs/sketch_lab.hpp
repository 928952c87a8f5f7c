// sketch_lab.hpp — the Sketch model lab's state: a 28×28 binary sketch, an autoregressive pixel
// model p(x) = Π p(xᵢ | x₍<ᵢ₎) counted from binarized MNIST (context template of K causal
// neighbours), its per-pixel conditionals and surprise, and completions sampled from a row on.
// sketch_lab.cpp draws; core/pixel_model.hpp computes.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/host.hpp"
#include "core/pixel_model.hpp"

namespace implay::app {

struct AppState;
class UrlParams;

struct SketchLabState {
  // The model: counts of the K-neighbour context, retrained whenever K, α or the data change.
  int neighbours = 10;            // K, 1..12
  float alpha = 1.0f;             // additive smoothing
  std::unique_ptr<ContextModel> model;
  int model_key = -1;
  double test_nll = -1;           // mean NLL (nats) of the loaded test images
  double baseline_nll = -1;       // the independent-pixel baseline on the same images
  double train_ms = 0;
  // The sketch: (28, 28) 0/1, raster order, with undo snapshots.
  std::vector<uint8_t> sketch = std::vector<uint8_t>(784, 0);
  std::vector<std::vector<uint8_t>> undo;
  bool erase = false;
  int stroke_value = -1;          // the value a drag paints (decided by the first cell)
  int sketch_version = 0, analysed_version = -1, sketch_texture_version = -1;
  // Analysis of the sketch under the model.
  std::vector<double> conditional; // (784) p(xᵢ = 1 | x₍<ᵢ₎)
  std::vector<double> surprise;    // (784) −log p(xᵢ | x₍<ᵢ₎)
  LogLikelihood likelihood;
  Texture conditional_texture, surprise_texture, sketch_texture;
  // Completion.
  int from_row = 14;
  float temperature = 1.0f;
  int samples = 8;
  uint64_t seed = 1;
  std::vector<uint8_t> completions;   // (samples, 784)
  Texture completion_texture;
  int completed_key = -1;
  float canvas_rect[4] = {};
  std::string error;
};

// ?template=10&temperature=1&row=14&model=counts
void apply_sketch_url(SketchLabState& s, UrlParams& params);
void draw_sketch_lab(AppState& app);
std::string sketch_state_json(const SketchLabState& s);

}  // namespace implay::app
