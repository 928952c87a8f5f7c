// draw_canvas.cpp — see draw_canvas.hpp.
#include "app/widgets/draw_canvas.hpp"

#include <algorithm>

#include "app/widgets/digits.hpp"
#include "core/data/digit_preprocess.hpp"

namespace implay::app {
namespace {

void paint_segment(DrawCanvasState& s, ImVec2 a, ImVec2 b, float radius, bool erase) {
  if (!erase) {
    draw_stroke(s.ink, s.size, s.size, a.x, a.y, b.x, b.y, radius);
    return;
  }
  // The eraser paints into a scratch layer and removes that much ink.
  std::vector<float> mask(s.ink.size(), 0.0f);
  draw_stroke(mask, s.size, s.size, a.x, a.y, b.x, b.y, radius);
  for (size_t i = 0; i < s.ink.size(); ++i) s.ink[i] = std::max(0.0f, s.ink[i] - mask[i]);
}

void replay(DrawCanvasState& s) {
  std::fill(s.ink.begin(), s.ink.end(), 0.0f);
  for (const Stroke& stroke : s.strokes)
    for (size_t i = 0; i < stroke.points.size(); ++i)
      paint_segment(s, stroke.points[i == 0 ? 0 : i - 1], stroke.points[i], stroke.radius, stroke.erase);
  ++s.version;
}

}  // namespace

void canvas_reset(DrawCanvasState& s, int size) {
  s.size = size;
  s.ink.assign(size_t(size) * size_t(size), 0.0f);
  s.strokes.clear();
  ++s.version;
}

void canvas_clear(DrawCanvasState& s) {
  s.strokes.clear();
  replay(s);
}

void canvas_undo(DrawCanvasState& s) {
  if (s.strokes.empty()) return;
  s.strokes.pop_back();
  replay(s);
}

bool canvas_empty(const DrawCanvasState& s) {
  return std::none_of(s.ink.begin(), s.ink.end(), [](float v) { return v > 0.01f; });
}

void canvas_stroke_to(DrawCanvasState& s, ImVec2 p, bool new_stroke, float radius, bool erase) {
  if (s.ink.empty()) canvas_reset(s, s.size);
  if (new_stroke || s.strokes.empty()) s.strokes.push_back({{}, radius, erase});
  Stroke& stroke = s.strokes.back();
  const ImVec2 from = stroke.points.empty() ? p : stroke.points.back();
  stroke.points.push_back(p);
  paint_segment(s, from, p, stroke.radius, stroke.erase);
  ++s.version;
}

bool DrawCanvas(const char* id, DrawCanvasState& s, float display, float pen_radius, bool erase, Host& host,
                int grid_cells) {
  if (s.ink.empty()) canvas_reset(s, s.size);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(display, display), ImGuiButtonFlags_MouseButtonLeft);
  const int before = s.version;
  const float scale = float(s.size) / display;
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const ImVec2 p((m.x - origin.x) * scale, (m.y - origin.y) * scale);
    canvas_stroke_to(s, p, !s.drawing, pen_radius, erase);
    s.drawing = true;
  } else {
    s.drawing = false;
  }
  if (s.texture_version != s.version) {
    std::vector<uint32_t> rgba(s.ink.size());
    for (size_t i = 0; i < s.ink.size(); ++i) rgba[i] = ink_rgba(uint8_t(std::clamp(s.ink[i], 0.0f, 1.0f) * 255.0f));
    host.update_texture(s.texture, rgba.data(), s.size, s.size);
    s.texture_version = s.version;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 end(origin.x + display, origin.y + display);
  if (s.texture.id) dl->AddImage(s.texture.id, origin, end);
  if (grid_cells > 0) {
    const float cell = display / float(grid_cells);
    for (int i = 1; i < grid_cells; ++i) {
      const ImU32 c = i % 4 == 0 ? IM_COL32(0, 0, 0, 26) : IM_COL32(0, 0, 0, 10);
      dl->AddLine(ImVec2(origin.x + i * cell, origin.y), ImVec2(origin.x + i * cell, end.y), c);
      dl->AddLine(ImVec2(origin.x, origin.y + i * cell), ImVec2(end.x, origin.y + i * cell), c);
    }
  }
  dl->AddRect(origin, end, IM_COL32(0, 0, 0, 90), 0, 0, 1.5f);
  if (ImGui::IsItemHovered()) {
    // The pen's footprint under the mouse.
    const ImVec2 m = ImGui::GetIO().MousePos;
    dl->AddCircle(m, pen_radius / scale, erase ? IM_COL32(200, 60, 60, 160) : IM_COL32(0, 114, 178, 140), 24, 1.5f);
  }
  return s.version != before;
}

}  // namespace implay::app
