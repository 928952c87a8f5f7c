// data_lab.hpp — the "MNIST data" view: what is loaded, ten examples of every digit, the class
// balance, and the button that loads the full 60,000 / 10,000 sets.
#pragma once
#include <vector>

#include "app/host.hpp"
#include "app/widgets/digits.hpp"

namespace implay::app {

struct LabContext;

struct DataLabState {
  Atlas atlas;                  // 10 x 10 tiles: row = digit, first ten training examples of it
  std::vector<int> tile_index;  // (100) training index shown in each tile
  Texture texture;
  int generation = -1;  // DataState::generation the atlas was built from
};

void update_data_lab(DataLabState& s, LabContext& ctx);
void draw_data_lab(DataLabState& s, LabContext& ctx);

}  // namespace implay::app
