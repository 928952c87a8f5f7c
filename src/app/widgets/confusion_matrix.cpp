// confusion_matrix.cpp — see confusion_matrix.hpp.
#include "app/widgets/confusion_matrix.hpp"

#include <algorithm>
#include <cstdio>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/help.hpp"
#include "core/eval/metrics.hpp"
#include "imgui.h"

namespace implay::app {

void set_confusion(ConfusionView& v, std::vector<int> predicted, std::span<const uint8_t> labels, int num_classes) {
  v.predicted = std::move(predicted);
  v.counts = confusion_matrix(v.predicted, labels, num_classes);
  v.accuracy = accuracy(v.counts);
  ++v.version;
}

void clear_confusion(ConfusionView& v) {
  v.counts.resize(0, 0);
  v.predicted.clear();
  v.accuracy = -1;
  ++v.version;
}

void update_confusion_cell(ConfusionView& v, const LabeledImages& test, Host& host) {
  v.wanted.version = v.version;  // a retrained model recounts the cell
  if (v.wanted.true_class < 0 || v.wanted == v.shown || v.predicted.empty()) return;
  v.cell_images.clear();
  for (int i = 0; i < test.count && i < int(v.predicted.size()); ++i)
    if (test.labels[size_t(i)] == v.wanted.true_class && v.predicted[size_t(i)] == v.wanted.predicted)
      v.cell_images.push_back(i);
  const int shown = std::min(kConfusionCellImages, int(v.cell_images.size()));
  v.cell_atlas = pack_digit_atlas(std::max(1, shown), test.rows, test.cols, 12, [&](int k) {
    return k < shown ? test.image(v.cell_images[size_t(k)]) : std::span<const uint8_t>();
  });
  host.update_texture(v.cell_texture, v.cell_atlas.rgba.data(), v.cell_atlas.width, v.cell_atlas.height);
  v.shown = v.wanted;
}

namespace {

// The clicked cell's test images beside the matrix: what the model mixed up, in pictures.
void draw_cell_images(const ConfusionView& v, const char* what) {
  const ConfusionCellKey& c = v.shown;
  if (c.true_class < 0) {
    MutedText((std::string("Click a cell to see the ") + what + " it counts.").c_str());
    return;
  }
  const int n = int(v.cell_images.size());
  ImGui::Text("True %d, predicted %d: %s%s", c.true_class, c.predicted, counted(n, "image", "images").c_str(),
              n > kConfusionCellImages ? " (the first 24)" : "");
  for (int k = 0; k < std::min(n, kConfusionCellImages); ++k) {
    if (k % 6) ImGui::SameLine();
    if (DigitTile(v.cell_texture, v.cell_atlas, k, 48)) ImGui::SetTooltip("test image #%d", v.cell_images[size_t(k)]);
  }
}

}  // namespace

void ConfusionMatrix(ConfusionView& v, Probes& probes, const char* probe_name, const char* what, bool images) {
  if (v.empty()) return;
  const int C = int(v.counts.rows());
  ImGui::Text("Confusion matrix on the %d %s: accuracy %.4f", v.counts.sum(), what, v.accuracy);
  ImGui::SameLine();
  HelpMarker(images ? "Row = true class, column = predicted class. The diagonal holds the correct predictions. "
                      "Click a cell to see its images."
                    : "Row = true class, column = predicted class. The diagonal holds the correct predictions.");
  const float cell = 34;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::PushID(probe_name);
  ImGui::InvisibleButton("cells", ImVec2(cell * float(C + 1), cell * float(C + 1)));
  ImGui::PopID();
  probes.item(probe_name);
  if (images && ImGui::IsItemClicked()) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const int p = int((mouse.x - o.x) / cell) - 1, t = int((mouse.y - o.y) / cell) - 1;
    if (p >= 0 && p < C && t >= 0 && t < C) v.wanted = {t, p, v.version};
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int max_off = 1;  // the largest mistake count sets the shading
  for (int t = 0; t < C; ++t)
    for (int p = 0; p < C; ++p)
      if (t != p) max_off = std::max(max_off, v.counts(t, p));
  char buf[16];
  for (int i = 0; i < C; ++i) {
    std::snprintf(buf, sizeof buf, "%d", i);
    dl->AddText(ImVec2(o.x + cell * float(i + 1) + 12, o.y + 8), kMutedTextColor, buf);
    dl->AddText(ImVec2(o.x + 12, o.y + cell * float(i + 1) + 8), kMutedTextColor, buf);
  }
  for (int t = 0; t < C; ++t)
    for (int p = 0; p < C; ++p) {
      const int n = v.counts(t, p);
      const ImVec2 a(o.x + cell * float(p + 1), o.y + cell * float(t + 1));
      const ImU32 bg = t == p ? IM_COL32(210, 235, 215, 255) : sequential_color(float(n) / float(max_off));
      dl->AddRectFilled(a, ImVec2(a.x + cell - 1, a.y + cell - 1), bg);
      std::snprintf(buf, sizeof buf, "%d", n);
      const float tw = ImGui::CalcTextSize(buf).x;
      dl->AddText(ImVec2(a.x + (cell - tw) * 0.5f, a.y + 9), n * 2 > max_off && t != p ? IM_COL32_WHITE : kInkColor,
                  buf);
      if (v.shown.true_class == t && v.shown.predicted == p)
        dl->AddRect(a, ImVec2(a.x + cell - 1, a.y + cell - 1), kAccentColor, 0, 0, 2.5f);
    }
  if (!images) return;
  ImGui::SameLine(0, 16);
  ImGui::BeginGroup();
  draw_cell_images(v, what);
  ImGui::EndGroup();
}

}  // namespace implay::app
