// colormap.hpp — colours for signed values (diverging: blue < 0 < red, white at 0), used for
// weight templates, and a sequential white→blue ramp for counts (confusion matrices).
#pragma once
#include <algorithm>
#include <cstdint>

#include "imgui.h"

namespace implay::app {

// t in [-1, 1] → blue (−1), white (0), red (+1); packed RGBA as ImU32.
inline uint32_t diverging_rgba(float t) {
  t = std::clamp(t, -1.0f, 1.0f);
  const float a = t < 0 ? -t : t;
  // Endpoints: #2166ac (blue) and #b2182b (red), as in ColorBrewer's RdBu.
  const float r = t < 0 ? 1.0f + a * (0.13f - 1.0f) : 1.0f + a * (0.70f - 1.0f);
  const float g = t < 0 ? 1.0f + a * (0.40f - 1.0f) : 1.0f + a * (0.09f - 1.0f);
  const float b = t < 0 ? 1.0f + a * (0.67f - 1.0f) : 1.0f + a * (0.17f - 1.0f);
  return IM_COL32(int(r * 255), int(g * 255), int(b * 255), 255);
}

// t in [0, 1] → white to a strong blue.
inline ImU32 sequential_color(float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  return IM_COL32(int(255 - t * 255), int(255 - t * 141), int(255 - t * 77), 255);
}

}  // namespace implay::app
