// point_plane.hpp — the square [-1, 1]² plane of the 2-D labs (kNN, linear, neural net): the
// plane ↔ screen mapping, adding / dragging / deleting class points with the mouse, and the
// decision-region texture under the points. It draws and reports; the lab computes the regions.
//   PointPlane plane("plane", size, ctx.probes, "plane", &regions);
//   const PlaneEdits e = plane.edit_points(points, labels, editing, how);  // then overlays:
//   plane.draw_list()->AddLine(plane.to_screen(x0, y0), …);  plane.draw_points(points, labels);
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "app/url_table.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "core/data/toy2d.hpp"
#include "imgui.h"

namespace implay::app {

class Probes;
struct Texture;

// The 2-D data sets of the plane labs, as the preset combo names them (EnumCombo).
inline constexpr EnumChoice<ToyPreset> kToyPresetChoices[] = {{ToyPreset::Blobs, "blobs"},
                                                              {ToyPreset::Spiral, "spiral (tendrils)"},
                                                              {ToyPreset::Circles, "concentric circles"},
                                                              {ToyPreset::Xor, "XOR"},
                                                              {ToyPreset::Uniform, "uniform random"}};
// The same sets as a link spells them (?preset=spiral).
inline constexpr UrlWord<ToyPreset> kToyPresetWords[] = {{ToyPreset::Blobs, "blobs"},
                                                         {ToyPreset::Spiral, "spiral"},
                                                         {ToyPreset::Circles, "circles"},
                                                         {ToyPreset::Xor, "xor"},
                                                         {ToyPreset::Uniform, "uniform"}};

// The mouse gestures edit_points() accepts.
struct PlaneEditing {
  bool add = true;           // left click on empty ground adds a point of `add_class` (and drags it)
  bool move = true;          // left drag on a point moves it
  bool remove = true;        // right click on a point deletes it
  int add_class = 0;         // class of added points
  float pick_radius = 8.0f;  // CSS px: how close a click must be to take a point
};

// What edit_points() did this frame (indices into the points as they are after the call,
// except `deleted`: the index the point had).
struct PlaneEdits {
  int added = -1;
  int moved = -1;
  int deleted = -1;
  bool changed() const { return added >= 0 || moved >= 0 || deleted >= 0; }
};

class PointPlane {
 public:
  // Lays out a square of side `size` (CSS px) at the cursor as one item taking left and right
  // clicks, records its rectangle under `probe_name`, and draws the ground: white, then the
  // `regions` texture stretched over [-1, 1]² (when given and created), then faint axes. The
  // view pads [-1, 1]² by a few px on every side, so points on its edge are drawn whole.
  PointPlane(const char* id, float size, Probes& probes, const char* probe_name, const Texture* regions = nullptr);
  ~PointPlane();
  PointPlane(const PointPlane&) = delete;
  PointPlane& operator=(const PointPlane&) = delete;

  // Plane (x right, y up, [-1, 1]²) ↔ screen (CSS px); to_plane clamps to the square.
  ImVec2 to_screen(float x, float y) const;
  ImVec2 to_screen(ImVec2 plane) const { return to_screen(plane.x, plane.y); }
  ImVec2 to_plane(ImVec2 screen) const;

  bool hovered() const { return hovered_; }
  bool active() const { return active_; }            // held by a left or right press
  ImVec2 mouse() const { return to_plane(mouse_); }  // the mouse in plane coordinates
  ImVec2 mouse_screen() const { return mouse_; }
  bool clicked(ImGuiMouseButton button) const { return hovered_ && ImGui::IsMouseClicked(button); }
  ImVec2 min() const { return min_; }
  ImVec2 max() const { return max_; }
  ImDrawList* draw_list() const { return dl_; }

  // The point (of (N, 2) row-major `points`) nearest `screen` within `radius` px, or -1.
  int point_at(std::span<const float> points, ImVec2 screen, float radius) const;

  // Applies this frame's gestures to (N, 2) `points` and (N) `labels`; `dragging` is the
  // caller's index of the point being dragged (-1: none), kept between frames.
  PlaneEdits edit_points(std::vector<float>& points, std::vector<uint8_t>& labels, int& dragging,
                         const PlaneEditing& how);

  // The points as dots in their class colours (theme's class_color), over the overlays.
  void draw_points(std::span<const float> points, std::span<const uint8_t> labels) const;

  // Draws the border. Called by the destructor if not called before.
  void end();

 private:
  ImDrawList* dl_ = nullptr;
  ImVec2 min_, max_, mouse_;
  float size_ = 0;
  bool hovered_ = false, active_ = false, ended_ = false;
};

}  // namespace implay::app
