// data_lab.cpp — see data_lab.hpp.
#include "app/labs/data_lab.hpp"

#include <algorithm>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"

namespace implay::app {
namespace {

void rebuild_atlas(DataLabState& s, const DataState& data, Host& host) {
  s.tile_index.assign(100, -1);
  int filled[10] = {};
  for (int i = 0; i < data.train.count; ++i) {
    const int label = data.train.labels[size_t(i)];
    if (label < 10 && filled[label] < 10) s.tile_index[size_t(label * 10 + filled[label]++)] = i;
  }
  s.atlas = pack_digit_atlas(100, data.train.rows, data.train.cols, 10, [&](int t) {
    const int i = s.tile_index[size_t(t)];
    return i >= 0 ? data.train.image(i) : data.train.image(0);
  });
  host.update_texture(s.texture, s.atlas.rgba.data(), s.atlas.width, s.atlas.height);
  s.generation = data.generation;
}

void draw_class_balance(const DataState& data) {
  const auto train = count_labels(data.train.labels, 10);
  const auto test = count_labels(data.test.labels, 10);
  if (ImGui::BeginTable("balance", 3,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
    ImGui::TableSetupColumn("digit");
    ImGui::TableSetupColumn("train", ImGuiTableColumnFlags_WidthFixed, 150);
    ImGui::TableSetupColumn("test");
    ImGui::TableHeadersRow();
    const int max_train = *std::max_element(train.begin(), train.end());
    for (int d = 0; d < 10; ++d) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", d);
      ImGui::TableNextColumn();
      // A bar in the cell, so the class balance is seen, not read.
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float w = 80.0f * float(train[size_t(d)]) / float(std::max(1, max_train));
      ImGui::GetWindowDrawList()->AddRectFilled(
          ImVec2(p.x, p.y + 3), ImVec2(p.x + w, p.y + ImGui::GetTextLineHeight() - 2), IM_COL32(0, 114, 178, 70), 2.0f);
      ImGui::Text("%s", thousands(train[size_t(d)]).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s", thousands(test[size_t(d)]).c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
  }
}

}  // namespace

void update_data_lab(DataLabState& s, LabContext& ctx) {
  if (ctx.data.ready() && s.generation != ctx.data.generation) rebuild_atlas(s, ctx.data, ctx.host);
}

void draw_data_lab(DataLabState& s, LabContext& ctx) {
  DataState& data = ctx.data;
  LabHeading(ctx.fonts.heading, "MNIST data",
             "70,000 handwritten digits, 28×28 pixels of 0–255 ink, labelled 0–9: the images every lab learns from.");

  if (!draw_data_needed(ctx)) return;

  ImGui::Text("Loaded: %s training and %s test images%s", thousands(data.train.count).c_str(),
              thousands(data.test.count).c_str(), data.full() ? " (the full sets)" : " (the default subset)");
  ImGui::SameLine();
  HelpMarker(
      "The page starts with the first 10,000 training and 2,000 test images so it is ready in a moment. "
      "Load the full sets for the real figures (e.g. kNN test accuracy on all 10,000 test images).");
  if (!data.full()) {
    const bool loading = data.loading_set == "full";
    ImGui::BeginDisabled(loading);
    if (ImGui::Button("Load the full 60,000 / 10,000 sets (11 MB)")) ctx.host.request_dataset("full");
    ctx.probes.item("load_full");
    ImGui::EndDisabled();
    if (loading) {
      ImGui::SameLine();
      ImGui::ProgressBar(data.progress(), ImVec2(FitWidth(240), 0));
    }
  }
  if (!data.error.empty()) ErrorText(data.error);
  ImGui::Separator();

  ImGui::BeginGroup();
  ImGui::TextUnformatted("The first ten training examples of each digit");
  // Ten tiles of up to 46 px after the row's label, smaller when the region is narrow.
  const float label_w = ImGui::CalcTextSize("0").x + 12.0f, gaps = 9 * 3.0f;
  const float tile = std::clamp((ImGui::GetContentRegionAvail().x - label_w - gaps) / 10.0f, 20.0f, 46.0f);
  int hovered = -1;
  for (int r = 0; r < 10; ++r) {
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%d", r);
    for (int c = 0; c < 10; ++c) {
      ImGui::SameLine(0, c == 0 ? 12.0f : 3.0f);
      if (DigitTile(s.texture, s.atlas, r * 10 + c, tile)) hovered = r * 10 + c;
    }
  }
  ImGui::EndGroup();
  if (hovered >= 0 && s.tile_index[size_t(hovered)] >= 0) {
    ImGui::BeginTooltip();
    ImGui::Text("training image #%d, label %d", s.tile_index[size_t(hovered)], hovered / 10);
    DigitTile(s.texture, s.atlas, hovered, 168.0f);
    ImGui::EndTooltip();
  }
  SameLineIfFits(260, 32.0f);  // beside the tiles, or under them
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Images per digit");
  draw_class_balance(data);
  ImGui::EndGroup();
}

}  // namespace implay::app
