// layout.cpp — Panes, SameLineIfFits, FitSquare and FitWidth (see layout.hpp). Panes size their child windows
// from the content they had the frame before, read from ImGui's internal window state.
#include "app/widgets/layout.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "imgui_internal.h"

namespace implay::app {

namespace {

// A pane taller than this is a layout bug feeding on itself (content that grows with the
// pane); capping it keeps the page usable while the fit test names the lab.
constexpr float kMaxPaneHeight = 4000.0f;

// Height of the content the child `name` of the current window drew last frame, or -1 before
// its first frame. BeginChild names a child "parent/name_ID" (imgui.cpp, BeginChildEx).
float last_content_height(const char* name) {
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  char full[512];
  std::snprintf(full, sizeof full, "%s/%s_%08X", parent->Name, name, ImGui::GetID(name));
  const ImGuiWindow* child = ImGui::FindWindowByName(full);
  if (!child) return -1.0f;
  // Scrolled out of sight, the child skipped its items (nothing was laid out): keep the content
  // size ImGui kept from when it was last drawn, so the pane does not shrink off-screen.
  if (child->SkipItems) return child->ContentSize.y;
  return child->DC.CursorMaxPos.y - child->DC.CursorStartPos.y;
}

// The width available as if the window showed its vertical scrollbar. Deciding a layout on the
// plain width would oscillate: stacking makes the content taller, the scrollbar appears, the
// width shrinks by its size, and the decision flips back the next frame.
float stable_avail_x() {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  const float scrollbar = window->ScrollbarY ? 0.0f : ImGui::GetStyle().ScrollbarSize;
  return ImGui::GetContentRegionAvail().x - scrollbar;
}

}  // namespace

Panes::Panes(const char* id, float first_width, float min_second_width) : id_(id) {
  const float avail = stable_avail_x();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  stacked_ = avail < first_width + spacing + min_second_width;
  first_width_ = stacked_ ? 0.0f : first_width;
  // The lab region's visible height: a stacked second pane gets all of it, so a plot in it can
  // be scrolled fully into view.
  visible_height_ = ImGui::GetWindowHeight() - 2.0f * ImGui::GetStyle().WindowPadding.y;
  ImGui::PushID(id_);
  begin_pane("first", first_width_, stacked_ ? 1.0f : ImGui::GetContentRegionAvail().y);
}

void Panes::begin_pane(const char* name, float width, float min_height) {
  const float content = last_content_height(name);
  const float height =
      content < 0 ? std::max(1.0f, ImGui::GetContentRegionAvail().y) : std::clamp(content, min_height, kMaxPaneHeight);
  // NavFlattened: the arrows walk from one pane's controls into the other's (ImGui otherwise
  // treats a child as one item to enter); safe, as a pane never scrolls.
  ImGui::BeginChild(name, ImVec2(width, std::max(1.0f, height)), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NavFlattened);
  ImGui::PushTextWrapPos(0.0f);  // text wraps at the pane's edge instead of being clipped
}

void Panes::next() {
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  if (!stacked_) ImGui::SameLine();
  const float min_height = stacked_ ? visible_height_ : ImGui::GetContentRegionAvail().y;
  begin_pane("second", 0.0f, min_height);
}

void Panes::end() {
  if (ended_) return;
  ended_ = true;
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  ImGui::PopID();
}

Panes::~Panes() { end(); }

void SameLineIfFits(float width, float spacing) {
  if (spacing < 0) spacing = ImGui::GetStyle().ItemSpacing.x;
  // The last item ends at `right`; the cursor is now at the start of the next line, from where
  // the space available reaches the line's right end.
  const float right = ImGui::GetItemRectMax().x + spacing;
  const float edge = ImGui::GetCursorScreenPos().x + stable_avail_x();
  if (right + width <= edge) ImGui::SameLine(0, spacing);
}

float ButtonWidth(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

void BulletWrapped(const char* fmt, ...) {
  ImGui::Bullet();
  ImGui::SameLine();
  // Text wraps at the wrap position the lab frame or pane pushed; continuation lines start
  // under the text, after the bullet.
  va_list args;
  va_start(args, fmt);
  ImGui::TextV(fmt, args);
  va_end(args);
}

float FitSquare(float min_side, float max_side, float reserve_below) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::clamp(std::min(avail.x, avail.y - reserve_below), min_side, max_side);
  return std::max(1.0f, std::min(side, avail.x));  // wider than the region would overflow sideways
}

float LabeledWidth(float item_width, const char* label) {
  const float text = ImGui::CalcTextSize(label, nullptr, true).x;
  return item_width + (text > 0 ? text + ImGui::GetStyle().ItemInnerSpacing.x : 0.0f);
}

float FitWidth(float preferred, const char* label) {
  float room = ImGui::GetContentRegionAvail().x;
  if (label) {
    const float text = ImGui::CalcTextSize(label, nullptr, true).x;
    if (text > 0) room -= text + ImGui::GetStyle().ItemInnerSpacing.x;
  }
  return std::max(60.0f, std::min(preferred, room));
}

}  // namespace implay::app
