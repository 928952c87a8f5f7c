// loss_curves.cpp — LossCurves: two Plots (plot.hpp) fed from the samples a lab recorded.
#include "app/widgets/loss_curves.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/theme.hpp"
#include "app/widgets/plot.hpp"

namespace implay::app {
namespace {

constexpr ImU32 kTrainAccuracyColor = IM_COL32(120, 120, 130, 255);

// One curve as the plots take it: (S) values per sample, losses on the scale shown.
struct Series {
  std::vector<double> epoch, cross_entropy, hinge, accuracy;
  Series(std::span<const LossSample> samples, bool log_scale) {
    auto shown = [&](double v) { return log_scale ? std::log10(std::max(v, 1e-4)) : v; };
    for (const LossSample& p : samples) {
      epoch.push_back(p.epoch);
      cross_entropy.push_back(shown(p.cross_entropy));
      hinge.push_back(shown(p.hinge));
      accuracy.push_back(p.accuracy);
    }
  }
};

// The sample nearest `epoch`, or null for an empty curve.
const LossSample* nearest_sample(std::span<const LossSample> curve, double epoch) {
  const LossSample* best = nullptr;
  for (const LossSample& p : curve)
    if (!best || std::fabs(p.epoch - epoch) < std::fabs(best->epoch - epoch)) best = &p;
  return best;
}

void sample_tooltip(std::span<const LossSample> train, std::span<const LossSample> held, double epoch,
                    const LossCurvesOptions& o) {
  std::string text;
  char line[160];
  for (const auto& [curve, label] : {std::pair{train, o.train_label}, std::pair{held, o.held_label}}) {
    const LossSample* p = nearest_sample(curve, epoch);
    if (!p) continue;
    std::snprintf(line, sizeof line, "%sepoch %.2f, %s: cross-entropy %.4f, hinge %.4f, accuracy %.3f",
                  text.empty() ? "" : "\n", p->epoch, label, p->cross_entropy, p->hinge, p->accuracy);
    text += line;
  }
  ImGui::SetTooltip("%s", text.c_str());
}

}  // namespace

void LossCurves(const char* id, std::span<const LossSample> train, std::span<const LossSample> held,
                const LossCurvesOptions& o) {
  if (train.empty()) return;
  ImGui::PushID(id);
  const Series t(train, o.log_scale), h(held, o.log_scale);
  double hi = 0, lo = 1e30, acc_lo = 1, max_epoch = o.max_epoch;
  for (const Series* s : {&t, &h}) {
    for (const auto* losses : {&s->cross_entropy, &s->hinge})
      for (double v : *losses) hi = std::max(hi, v), lo = std::min(lo, v);
    for (double a : s->accuracy) acc_lo = std::min(acc_lo, a);
    if (!s->epoch.empty()) max_epoch = std::max(max_epoch, s->epoch.back());
  }
  // Side by side, or one under the other when half the width would squeeze a plot.
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool side_by_side = avail >= 2 * o.min_width + 12;
  const float w = side_by_side ? (avail - 12) * 0.5f : avail;
  char y_label[96];
  std::snprintf(y_label, sizeof y_label, o.log_scale ? "log₁₀ loss (%s%s)" : "loss (%s%s)", o.train_label,
                held.empty() ? "" : "; faint: held out");
  {
    Plot plot("loss_plot", ImVec2(w, o.height), {0, max_epoch}, {o.log_scale ? lo - 0.1 : 0, hi * 1.05 + 0.05}, "epoch",
              y_label);
    plot.line(t.epoch, t.cross_entropy, class_color(5), 2.0f, "softmax cross-entropy");
    plot.line(t.epoch, t.hinge, class_color(3), 2.0f, "multiclass hinge (Δ = 1)");
    plot.line(h.epoch, h.cross_entropy, class_color(5, 0.45f), 1.5f);
    plot.line(h.epoch, h.hinge, class_color(3, 0.45f), 1.5f);
    if (plot.hovered()) sample_tooltip(train, held, plot.mouse_x(), o);
  }
  if (side_by_side) ImGui::SameLine(0, 12);
  // The legend sits above the plot: inside, it covered the held-out curve near accuracy 1.
  ImGui::BeginGroup();
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kTrainAccuracyColor), "— %s", o.train_label);
  if (!held.empty()) {
    ImGui::SameLine(0, 16);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(class_color(2)), "—• %s", o.held_label);
  }
  {
    Plot plot("acc_plot", ImVec2(w, o.height - ImGui::GetTextLineHeightWithSpacing()), {0, max_epoch},
              {std::max(0.0, std::floor(acc_lo * 20) / 20), 1.0}, "epoch", "accuracy");
    plot.line(t.epoch, t.accuracy, kTrainAccuracyColor, 1.5f);
    plot.line(h.epoch, h.accuracy, class_color(2), 2.5f);
    if (h.epoch.size() <= 40) plot.scatter(h.epoch, h.accuracy, class_color(2), 4.0f);
    if (plot.hovered()) sample_tooltip(train, held, plot.mouse_x(), o);
  }
  ImGui::EndGroup();
  ImGui::PopID();
}

}  // namespace implay::app
