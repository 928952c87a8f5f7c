// layout.hpp — how a lab's content responds to the width it gets: two panes side by side that
// stack when the region is narrow, and the side of a square plot that fits the space left.
// Every lab lays out with these instead of fixed pixel widths (app.cpp reports what overflows).
#pragma once
#include <algorithm>
#include <span>

#include "app/widgets/lab_tabs.hpp"
#include "imgui.h"

namespace implay::app {

// Two panes, side by side when the region is at least `first_width + min_second_width` wide,
// the second under the first otherwise. Each pane is a child window exactly as tall as its
// content was the frame before (at least the visible height), so only the lab region scrolls,
// never a pane:
//   Panes panes("points", 330, 360);  draw_controls();  panes.next();  draw_plane();
class Panes {
 public:
  Panes(const char* id, float first_width, float min_second_width);
  ~Panes();
  Panes(const Panes&) = delete;
  Panes& operator=(const Panes&) = delete;

  bool stacked() const { return stacked_; }
  // Ends the first pane and begins the second.
  void next();
  // Ends the second pane (what follows takes the full width); the destructor does it otherwise.
  void end();

 private:
  void begin_pane(const char* name, float width, float min_height);
  const char* id_;
  float first_width_ = 0, visible_height_ = 0;
  bool stacked_ = false, ended_ = false;
};

// SameLine when an item (or a group of items) `width` px wide still fits on the line after the
// last item, `spacing` px apart (-1: the style's); otherwise the next item starts a new line.
// Blocks of known width then flow left to right and wrap when the region is narrow:
//   draw_canvas_group();  SameLineIfFits(284, 24);  draw_maps_group();
void SameLineIfFits(float width, float spacing = -1.0f);

// The width of a slider or combo `item_width` px wide with its `label` on the right (for
// SameLineIfFits: a row of sliders wraps before any of them shrinks below item_width).
float LabeledWidth(float item_width, const char* label);

// The width of a button showing `label` (for SameLineIfFits).
float ButtonWidth(const char* label);

// A bulleted line of text that wraps at the region's edge (ImGui's BulletText never wraps, so
// its end was clipped in narrow panes); printf-style like ImGui::Text.
void BulletWrapped(const char* fmt, ...) IM_FMTARGS(1);

// The width of a combo whose preview shows the longest of `choices` whole (then FitWidth).
template <class E>
float EnumComboWidth(std::span<const EnumChoice<E>> choices) {
  float longest = 0;
  for (const auto& c : choices) longest = std::max(longest, ImGui::CalcTextSize(c.label).x);
  return longest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
}

// The side of a square that fits the space available at the cursor, leaving `reserve_below` px
// under it, never smaller than `min_side` (the region then scrolls) nor larger than `max_side`.
float FitSquare(float min_side, float max_side = 1e9f, float reserve_below = 0.0f);

// The width for an item that wants `preferred` px: less when the space left on the line (after
// its `label`, drawn to the right of sliders and combos) is narrower, never under 60 px.
// ImGui::SetNextItemWidth(FitWidth(200, "k")) instead of a fixed number.
float FitWidth(float preferred, const char* label = nullptr);

}  // namespace implay::app
