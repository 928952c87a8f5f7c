// digits.hpp — showing uint8 digit images: tiles packed into one texture atlas (one upload for
// a whole grid) and drawn with ImGui::Image at any size, pixels crisp (nearest sampling).
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "app/host.hpp"
#include "imgui.h"

namespace implay::app {

// Packs `count` images of (rows, cols) uint8 (0 = paper, 255 = ink) into an atlas with
// `columns` tiles per row. Returns rgba: (atlas_rows * rows, columns * cols) as dark ink on
// white paper. `images(i)` returns the i-th image's pixels.
struct Atlas {
  std::vector<uint32_t> rgba;
  int width = 0, height = 0, tile_w = 0, tile_h = 0, columns = 0, count = 0;
};
Atlas pack_digit_atlas(int count, int rows, int cols, int columns,
                       const std::function<std::span<const uint8_t>(int)>& images);

// One tile of an uploaded atlas at (size x size) CSS pixels; returns true if hovered.
bool DigitTile(const Texture& texture, const Atlas& atlas, int tile, float size);

// Ink on paper for one pixel value (0 = white paper, 255 = near-black ink).
inline uint32_t ink_rgba(uint8_t v) {
  const uint32_t g = 255u - (uint32_t(v) * 235u) / 255u;
  return 0xFF000000u | (g << 16) | (g << 8) | g;
}

}  // namespace implay::app
