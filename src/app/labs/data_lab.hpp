// data_lab.hpp — the "MNIST data" view: what is loaded, ten examples of every digit, the class
// balance, and the button that loads the full 60,000 / 10,000 sets.
#pragma once
#include <vector>

#include "app/host.hpp"
#include "app/widgets/digits.hpp"

namespace implay::app {

struct AppState;

struct DataLabState {
  Atlas atlas;                   // 10 x 10 tiles: row = digit, first ten training examples of it
  std::vector<int> tile_index;   // (100) training index shown in each tile
  Texture texture;
  int generation = -1;           // DataState::generation the atlas was built from
  float load_full_rect[4] = {};  // the "Load the full sets" button in CSS pixels (browser tests)
};

void draw_data_lab(AppState& app);

// For labs that need MNIST before it is there: the download's progress, or its error and a
// "Try again" button. Returns true when the data is ready.
bool draw_data_needed(AppState& app);

}  // namespace implay::app
