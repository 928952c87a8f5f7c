// plot.hpp — a small plot widget on ImGui draw lists, with an ImPlot-like shape:
//   Plot p("cv", size, {x0, x1}, {y0, y1}, "k", "accuracy");  p.line(...); p.scatter(...); p.end();
// Axes with ticks and labels, lines, dots, error bars, vertical markers, a legend, and the
// data coordinates under the mouse for hover read-outs. It draws; it computes nothing.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "imgui.h"

namespace implay::app {

struct Range {
  double min = 0, max = 1;
};

class Plot {
 public:
  // Reserves `size` (CSS px; x <= 0 takes the available width) and draws the frame and axes.
  Plot(const char* id, ImVec2 size, Range x, Range y, const char* x_label, const char* y_label);
  ~Plot();
  Plot(const Plot&) = delete;
  Plot& operator=(const Plot&) = delete;

  ImVec2 to_screen(double x, double y) const;
  bool hovered() const { return hovered_; }
  // Mouse position in data coordinates (valid when hovered()).
  double mouse_x() const { return mouse_x_; }
  double mouse_y() const { return mouse_y_; }

  void line(std::span<const double> xs, std::span<const double> ys, ImU32 color, float thickness = 2.0f,
            const char* legend = nullptr);
  void scatter(std::span<const double> xs, std::span<const double> ys, ImU32 color, float radius = 3.0f,
               const char* legend = nullptr);
  // Vertical error bars from y - err to y + err at each x.
  void error_bars(std::span<const double> xs, std::span<const double> ys, std::span<const double> err, ImU32 color);
  void vline(double x, ImU32 color, const char* label = nullptr);
  void hline(double y, ImU32 color, const char* label = nullptr);
  // A filled polygon under a curve down to y = base (e.g. the area under a ROC curve).
  void fill_under(std::span<const double> xs, std::span<const double> ys, double base, ImU32 color);
  // Data drawn straight on draw_list() (bars, say) that the legend should not cover: the
  // rectangle between two corners in data coordinates.
  void avoid(double x0, double y0, double x1, double y1);
  ImDrawList* draw_list() const { return dl_; }

  // Draws the legend in the corner of the data area where it covers the least data (lines,
  // dots, rectangles to avoid, marker labels), and ends clipping. Called by the destructor if
  // not called before.
  void end();

 private:
  ImDrawList* dl_ = nullptr;
  ImVec2 min_, max_;  // the data area in screen coordinates
  Range x_, y_;
  bool hovered_ = false, ended_ = false;
  double mouse_x_ = 0, mouse_y_ = 0;
  struct LegendEntry {
    std::string label;
    ImU32 color;
  };
  std::vector<LegendEntry> legend_;
  // What the legend should not cover, in screen coordinates: points along lines and dots, and
  // rectangles (avoided areas; marker labels, which must never be covered, weigh much more).
  struct Obstacle {
    ImVec2 min, max;
    float weight;  // per px² of overlap
  };
  std::vector<ImVec2> marks_;
  std::vector<Obstacle> obstacles_;
  void mark_segment(ImVec2 a, ImVec2 b);
  float legend_overlap(ImVec2 min, ImVec2 max) const;
};

// "Nice" tick positions (1, 2, 5 × 10^n steps) covering the range, about `target` of them.
std::vector<double> nice_ticks(Range range, int target);

}  // namespace implay::app
