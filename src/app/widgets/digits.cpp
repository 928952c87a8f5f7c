// digits.cpp — see digits.hpp.
#include "app/widgets/digits.hpp"

namespace implay::app {

Atlas pack_digit_atlas(int count, int rows, int cols, int columns,
                       const std::function<std::span<const uint8_t>(int)>& images) {
  Atlas a;
  a.count = count;
  a.columns = columns;
  a.tile_w = cols;
  a.tile_h = rows;
  a.width = columns * cols;
  a.height = ((count + columns - 1) / columns) * rows;
  a.rgba.assign(size_t(a.width) * size_t(a.height), ink_rgba(0));
  for (int i = 0; i < count; ++i) {
    const auto px = images(i);
    const int ox = (i % columns) * cols, oy = (i / columns) * rows;
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x)
        a.rgba[size_t(oy + y) * size_t(a.width) + size_t(ox + x)] = ink_rgba(px[size_t(y * cols + x)]);
  }
  return a;
}

bool DigitTile(const Texture& texture, const Atlas& atlas, int tile, float size) {
  if (!texture.id || tile < 0 || tile >= atlas.count) {
    ImGui::Dummy(ImVec2(size, size));
    return false;
  }
  const float u0 = float((tile % atlas.columns) * atlas.tile_w) / float(atlas.width);
  const float v0 = float((tile / atlas.columns) * atlas.tile_h) / float(atlas.height);
  const float du = float(atlas.tile_w) / float(atlas.width), dv = float(atlas.tile_h) / float(atlas.height);
  ImGui::Image(texture.id, ImVec2(size, size), ImVec2(u0, v0), ImVec2(u0 + du, v0 + dv), ImVec4(1, 1, 1, 1),
               ImVec4(0.80f, 0.82f, 0.85f, 1));
  return ImGui::IsItemHovered();
}

}  // namespace implay::app
