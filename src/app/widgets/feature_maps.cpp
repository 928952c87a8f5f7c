// feature_maps.cpp — see feature_maps.hpp.
#include "app/widgets/feature_maps.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <imgui.h>

#include "app/widgets/colormap.hpp"

namespace implay::app {

void upload_feature_maps(FeatureMaps& maps, const float* values, int channels, int height, int width, Host& host,
                         float scale) {
  const size_t cells = size_t(channels) * size_t(height) * size_t(width);
  if (scale <= 0) {
    scale = 0;
    for (size_t k = 0; k < cells; ++k)
      if (std::isfinite(values[k])) scale = std::max(scale, std::abs(values[k]));
  }
  maps.scale = scale > 0 ? scale : 1;
  maps.channels = channels, maps.height = height, maps.width = width;
  const int atlas_w = channels * (width + 1) - 1;
  std::vector<uint32_t> rgba(size_t(atlas_w) * size_t(height), IM_COL32(200, 204, 210, 255));  // (H, atlas_w)
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const float v = values[(size_t(c) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)];
        rgba[size_t(y) * size_t(atlas_w) + size_t(c * (width + 1) + x)] =
            diverging_rgba(std::isfinite(v) ? v / maps.scale : 0.0f);
      }
  host.update_texture(maps.texture, rgba.data(), atlas_w, height);
}

bool FeatureMapTile(const FeatureMaps& maps, int c, float px) {
  const ImVec2 size(px * float(std::max(1, maps.width)), px * float(std::max(1, maps.height)));
  if (!maps.texture.id || c < 0 || c >= maps.channels) {
    ImGui::Dummy(size);
    return false;
  }
  const float atlas_w = float(maps.channels * (maps.width + 1) - 1);
  const float u0 = float(c * (maps.width + 1)) / atlas_w, u1 = u0 + float(maps.width) / atlas_w;
  ImGui::Image(maps.texture.id, size, ImVec2(u0, 0), ImVec2(u1, 1), ImVec4(1, 1, 1, 1), ImVec4(0.80f, 0.82f, 0.85f, 1));
  return ImGui::IsItemHovered();
}

}  // namespace implay::app
