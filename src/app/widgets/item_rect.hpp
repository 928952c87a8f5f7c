// item_rect.hpp — small helpers the labs share: where the last ImGui item is on screen (kept in
// lab state so browser tests can click it like a person) and a millisecond clock for the
// per-frame compute budgets.
#pragma once
#include <chrono>

#include "imgui.h"

namespace implay::app {

// Stores the last item's rectangle as x, y, w, h in CSS pixels.
inline void remember_item_rect(float (&rect)[4]) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  rect[0] = a.x, rect[1] = a.y, rect[2] = b.x - a.x, rect[3] = b.y - a.y;
}

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace implay::app
