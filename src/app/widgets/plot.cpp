// plot.cpp — see plot.hpp.
#include "app/widgets/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/theme.hpp"

namespace implay::app {

std::vector<double> nice_ticks(Range range, int target) {
  std::vector<double> ticks;
  const double span = range.max - range.min;
  if (!(span > 0) || target < 1) return ticks;
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) {
      step = m * magnitude;
      break;
    }
  for (double t = std::ceil(range.min / step - 1e-9) * step; t <= range.max + step * 1e-9; t += step)
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

Plot::Plot(const char* id, ImVec2 size, Range x, Range y, const char* x_label, const char* y_label) : x_(x), y_(y) {
  if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  hovered_ = ImGui::IsItemHovered();
  dl_ = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  // Room for tick labels on the left and below, the axis labels outside them.
  min_ = ImVec2(origin.x + line * 3.6f, origin.y + line * 1.6f);
  max_ = ImVec2(origin.x + size.x - line * 0.8f, origin.y + size.y - line * 2.6f);
  dl_->AddRectFilled(min_, max_, IM_COL32(255, 255, 255, 255));
  char buf[32];
  for (double t : nice_ticks(x_, 8)) {
    const ImVec2 p = to_screen(t, y_.min);
    dl_->AddLine(ImVec2(p.x, min_.y), ImVec2(p.x, max_.y), IM_COL32(0, 0, 0, 18));
    std::snprintf(buf, sizeof buf, "%g", t);
    const float w = ImGui::CalcTextSize(buf).x;
    dl_->AddText(ImVec2(p.x - w * 0.5f, max_.y + 3), kMutedTextColor, buf);
  }
  for (double t : nice_ticks(y_, 5)) {
    const ImVec2 p = to_screen(x_.min, t);
    dl_->AddLine(ImVec2(min_.x, p.y), ImVec2(max_.x, p.y), IM_COL32(0, 0, 0, 18));
    std::snprintf(buf, sizeof buf, "%g", t);
    const float w = ImGui::CalcTextSize(buf).x;
    dl_->AddText(ImVec2(min_.x - w - 5, p.y - line * 0.5f), kMutedTextColor, buf);
  }
  dl_->AddRect(min_, max_, IM_COL32(0, 0, 0, 70));
  if (x_label) {
    const float w = ImGui::CalcTextSize(x_label).x;
    dl_->AddText(ImVec2((min_.x + max_.x - w) * 0.5f, max_.y + line * 1.3f), kInkColor, x_label);
  }
  if (y_label) dl_->AddText(ImVec2(origin.x, origin.y), kInkColor, y_label);
  if (hovered_) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    mouse_x_ = x_.min + (m.x - min_.x) / (max_.x - min_.x) * (x_.max - x_.min);
    mouse_y_ = y_.min + (max_.y - m.y) / (max_.y - min_.y) * (y_.max - y_.min);
  }
  dl_->PushClipRect(ImVec2(min_.x - 6, min_.y - 6), ImVec2(max_.x + 6, max_.y + 6), true);
}

Plot::~Plot() { end(); }

ImVec2 Plot::to_screen(double x, double y) const {
  const double fx = (x - x_.min) / (x_.max - x_.min), fy = (y - y_.min) / (y_.max - y_.min);
  return ImVec2(float(min_.x + fx * (max_.x - min_.x)), float(max_.y - fy * (max_.y - min_.y)));
}

void Plot::line(std::span<const double> xs, std::span<const double> ys, ImU32 color, float thickness,
                const char* legend) {
  std::vector<ImVec2> points;
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i)
    if (std::isfinite(ys[i])) points.push_back(to_screen(xs[i], ys[i]));
  if (points.size() >= 2) dl_->AddPolyline(points.data(), int(points.size()), color, 0, thickness);
  for (size_t i = 1; i < points.size(); ++i) mark_segment(points[i - 1], points[i]);
  if (legend) legend_.push_back({legend, color});
}

void Plot::scatter(std::span<const double> xs, std::span<const double> ys, ImU32 color, float radius,
                   const char* legend) {
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i)
    if (std::isfinite(ys[i])) {
      const ImVec2 p = to_screen(xs[i], ys[i]);
      dl_->AddCircleFilled(p, radius, color);
      marks_.push_back(p);
    }
  if (legend) legend_.push_back({legend, color});
}

void Plot::error_bars(std::span<const double> xs, std::span<const double> ys, std::span<const double> err,
                      ImU32 color) {
  for (size_t i = 0; i < xs.size() && i < ys.size() && i < err.size(); ++i) {
    if (!std::isfinite(ys[i]) || !std::isfinite(err[i])) continue;
    const ImVec2 a = to_screen(xs[i], ys[i] - err[i]), b = to_screen(xs[i], ys[i] + err[i]);
    dl_->AddLine(a, b, color, 1.5f);
    dl_->AddLine(ImVec2(a.x - 4, a.y), ImVec2(a.x + 4, a.y), color, 1.5f);
    dl_->AddLine(ImVec2(b.x - 4, b.y), ImVec2(b.x + 4, b.y), color, 1.5f);
  }
}

void Plot::vline(double x, ImU32 color, const char* label) {
  const ImVec2 p = to_screen(x, y_.max);
  dl_->AddLine(ImVec2(p.x, min_.y), ImVec2(p.x, max_.y), color, 1.5f);
  mark_segment(ImVec2(p.x, min_.y), ImVec2(p.x, max_.y));
  if (label) {
    const ImVec2 at(p.x + 4, min_.y + 2), size = ImGui::CalcTextSize(label);
    dl_->AddText(at, color, label);
    obstacles_.push_back({at, ImVec2(at.x + size.x, at.y + size.y), 100.0f});
  }
}

void Plot::hline(double y, ImU32 color, const char* label) {
  const ImVec2 p = to_screen(x_.min, y);
  dl_->AddLine(ImVec2(min_.x, p.y), ImVec2(max_.x, p.y), color, 1.5f);
  mark_segment(ImVec2(min_.x, p.y), ImVec2(max_.x, p.y));
  if (label) {
    const ImVec2 at(min_.x + 4, p.y - ImGui::GetTextLineHeight() - 1), size = ImGui::CalcTextSize(label);
    dl_->AddText(at, color, label);
    obstacles_.push_back({at, ImVec2(at.x + size.x, at.y + size.y), 100.0f});
  }
}

void Plot::fill_under(std::span<const double> xs, std::span<const double> ys, double base, ImU32 color) {
  // Without anti-aliasing: adjacent quads would otherwise show seams, and zero-width quads (a
  // vertical step of the curve) would draw as thin lines.
  const ImDrawListFlags saved = dl_->Flags;
  dl_->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  for (size_t i = 1; i < xs.size() && i < ys.size(); ++i) {
    const ImVec2 a = to_screen(xs[i - 1], ys[i - 1]), b = to_screen(xs[i], ys[i]);
    if (b.x - a.x < 0.01f) continue;
    const ImVec2 a0 = to_screen(xs[i - 1], base), b0 = to_screen(xs[i], base);
    dl_->AddQuadFilled(a0, a, b, b0, color);
  }
  dl_->Flags = saved;
}

void Plot::avoid(double x0, double y0, double x1, double y1) {
  const ImVec2 a = to_screen(x0, y0), b = to_screen(x1, y1);
  obstacles_.push_back({ImVec2(std::min(a.x, b.x), std::min(a.y, b.y)), ImVec2(std::max(a.x, b.x), std::max(a.y, b.y)),
                        1.0f / 36.0f});  // a 6×6 px patch of bar weighs as much as a point of a line
}

// Points every few px along a line, so a legend box between two far-apart vertices still sees it.
void Plot::mark_segment(ImVec2 a, ImVec2 b) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  const int steps = std::max(1, int(len / 6.0f));
  for (int k = 0; k < steps; ++k) {
    const float t = float(k) / float(steps);
    marks_.push_back(ImVec2(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)));
  }
  marks_.push_back(b);
}

float Plot::legend_overlap(ImVec2 min, ImVec2 max) const {
  float overlap = 0;
  for (const ImVec2& p : marks_)
    if (p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y) overlap += 1;
  for (const Obstacle& o : obstacles_) {
    const float w = std::min(max.x, o.max.x) - std::max(min.x, o.min.x);
    const float h = std::min(max.y, o.max.y) - std::max(min.y, o.min.y);
    if (w > 0 && h > 0) overlap += w * h * o.weight;
  }
  return overlap;
}

void Plot::end() {
  if (ended_) return;
  ended_ = true;
  dl_->PopClipRect();
  if (legend_.empty()) return;
  const float line = ImGui::GetTextLineHeight();
  float label_w = 0;
  for (const auto& e : legend_) label_w = std::max(label_w, ImGui::CalcTextSize(e.label.c_str()).x);
  const ImVec2 box(label_w + 28, float(legend_.size()) * (line + 4) + 4);
  // The four corners of the data area, top-right first (where readers look for a legend):
  // the one covering the least data wins.
  const float m = 4;
  const ImVec2 corners[] = {{max_.x - m - box.x, min_.y + m},
                            {min_.x + m, min_.y + m},
                            {max_.x - m - box.x, max_.y - m - box.y},
                            {min_.x + m, max_.y - m - box.y}};
  ImVec2 at = corners[0];
  float best = legend_overlap(at, ImVec2(at.x + box.x, at.y + box.y));
  for (const ImVec2& c : corners) {
    const float overlap = legend_overlap(c, ImVec2(c.x + box.x, c.y + box.y));
    if (overlap < best - 0.5f) best = overlap, at = c;
  }
  dl_->AddRectFilled(at, ImVec2(at.x + box.x, at.y + box.y), IM_COL32(255, 255, 255, 220));
  float y = at.y + 4;
  for (const auto& e : legend_) {
    const ImVec2 p(at.x + 4, y);
    dl_->AddLine(ImVec2(p.x, p.y + line * 0.5f), ImVec2(p.x + 16, p.y + line * 0.5f), e.color, 3.0f);
    dl_->AddText(ImVec2(p.x + 20, p.y), kInkColor, e.label.c_str());
    y += line + 4;
  }
}

}  // namespace implay::app
