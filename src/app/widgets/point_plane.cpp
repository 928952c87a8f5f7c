// point_plane.cpp — the [-1, 1]² plane of the 2-D labs: layout, mapping, point editing and
// drawing (see point_plane.hpp for how a lab uses it).
#include "app/widgets/point_plane.hpp"

#include <algorithm>

#include "app/host.hpp"
#include "app/probes.hpp"
#include "app/theme.hpp"

namespace implay::app {

namespace {
// The view shows a margin around [-1, 1]², so a point at the edge (the spiral reaches radius 1)
// is drawn whole, inside the frame.
constexpr float kViewPadding = 9.0f;  // CSS px
}  // namespace

PointPlane::PointPlane(const char* id, float size, Probes& probes, const char* probe_name, const Texture* regions)
    : size_(size) {
  min_ = ImGui::GetCursorScreenPos();
  max_ = ImVec2(min_.x + size, min_.y + size);
  ImGui::InvisibleButton(id, ImVec2(size, size), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  // Tests map plane coordinates onto the probe: it is [-1, 1]², without the view's padding.
  probes.rect(probe_name, to_screen(-1, 1), to_screen(1, -1));
  hovered_ = ImGui::IsItemHovered();
  active_ = ImGui::IsItemActive();
  mouse_ = ImGui::GetIO().MousePos;
  dl_ = ImGui::GetWindowDrawList();
  dl_->AddRectFilled(min_, max_, IM_COL32(255, 255, 255, 255));
  if (regions && regions->id) dl_->AddImage(regions->id, to_screen(-1, 1), to_screen(1, -1));
  dl_->AddLine(to_screen(-1, 0), to_screen(1, 0), IM_COL32(0, 0, 0, 25));
  dl_->AddLine(to_screen(0, -1), to_screen(0, 1), IM_COL32(0, 0, 0, 25));
}

PointPlane::~PointPlane() { end(); }

ImVec2 PointPlane::to_screen(float x, float y) const {
  const float inner = size_ - 2 * kViewPadding;
  return ImVec2(min_.x + kViewPadding + (x + 1.0f) * 0.5f * inner, min_.y + kViewPadding + (1.0f - y) * 0.5f * inner);
}

ImVec2 PointPlane::to_plane(ImVec2 screen) const {
  const float inner = size_ - 2 * kViewPadding;
  return ImVec2(std::clamp((screen.x - min_.x - kViewPadding) / inner * 2.0f - 1.0f, -1.0f, 1.0f),
                std::clamp(1.0f - (screen.y - min_.y - kViewPadding) / inner * 2.0f, -1.0f, 1.0f));
}

int PointPlane::point_at(std::span<const float> points, ImVec2 screen, float radius) const {
  int best = -1;
  float best_d2 = radius * radius;
  for (size_t i = 0; i + 1 < points.size(); i += 2) {
    const ImVec2 s = to_screen(points[i], points[i + 1]);
    const float d2 = (s.x - screen.x) * (s.x - screen.x) + (s.y - screen.y) * (s.y - screen.y);
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = int(i / 2);
    }
  }
  return best;
}

PlaneEdits PointPlane::edit_points(std::vector<float>& points, std::vector<uint8_t>& labels, int& dragging,
                                   const PlaneEditing& how) {
  PlaneEdits e;
  if (clicked(ImGuiMouseButton_Left)) {
    dragging = how.move ? point_at(points, mouse_, how.pick_radius) : -1;
    if (dragging < 0 && how.add) {
      const ImVec2 q = mouse();
      points.push_back(q.x);
      points.push_back(q.y);
      labels.push_back(uint8_t(how.add_class));
      e.added = int(labels.size()) - 1;
      dragging = how.move ? e.added : -1;  // a new point follows the mouse until it is let go
    }
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left) || !active_) dragging = -1;
  if (dragging >= int(labels.size())) dragging = -1;  // the caller's points changed under the drag
  if (dragging >= 0) {
    const ImVec2 q = mouse();
    float* p = &points[size_t(dragging) * 2];
    if (q.x != p[0] || q.y != p[1]) {
      p[0] = q.x;
      p[1] = q.y;
      e.moved = dragging;
    }
  }
  if (how.remove && clicked(ImGuiMouseButton_Right)) {
    const int i = point_at(points, mouse_, how.pick_radius);
    if (i >= 0) {
      points.erase(points.begin() + i * 2, points.begin() + i * 2 + 2);
      labels.erase(labels.begin() + i);
      e.deleted = i;
      if (e.added >= 0 || e.moved >= 0) e.added = e.moved = -1;  // indices shifted: only report the delete
      dragging = -1;
    }
  }
  return e;
}

void PointPlane::draw_points(std::span<const float> points, std::span<const uint8_t> labels) const {
  for (size_t i = 0; i < labels.size() && 2 * i + 1 < points.size(); ++i) {
    const ImVec2 c = to_screen(points[2 * i], points[2 * i + 1]);
    dl_->AddCircleFilled(c, 5.5f, class_color(labels[i]));
    dl_->AddCircle(c, 5.5f, IM_COL32(255, 255, 255, 230), 12, 1.5f);
    dl_->AddCircle(c, 6.8f, IM_COL32(0, 0, 0, 90), 12, 1.0f);
  }
}

void PointPlane::end() {
  if (ended_) return;
  ended_ = true;
  dl_->AddRect(to_screen(-1, 1), to_screen(1, -1), IM_COL32(0, 0, 0, 30));  // the edge of [-1, 1]²
  dl_->AddRect(min_, max_, IM_COL32(0, 0, 0, 90));
}

}  // namespace implay::app
