// score_table.cpp — see score_table.hpp.
#include "app/widgets/score_table.hpp"

#include <algorithm>

#include "imgui.h"

namespace implay::app {

void ClassScoreTable(const char* id, const Eigen::VectorXf& s) {
  const int C = int(s.size());
  if (C == 0) return;
  int top = 0;
  for (int c = 1; c < C; ++c)
    if (s(c) > s(top)) top = c;
  const Eigen::VectorXf e = (s.array() - s.maxCoeff()).exp().matrix();
  const Eigen::VectorXf prob = e / e.sum();
  // As wide as its columns, each as wide as its header or its widest number: a header is never cut.
  if (!ImGui::BeginTable(id, 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX))
    return;
  ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
  const float bar = 110 + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize("0.000").x;
  const auto column = [](const char* header, float content) {
    ImGui::TableSetupColumn(header, ImGuiTableColumnFlags_WidthFixed,
                            std::max(ImGui::CalcTextSize(header).x, content) + 4.0f);
  };
  column("class", ImGui::CalcTextSize("0 ◀").x);
  column("score sⱼ", ImGui::CalcTextSize("-00.00").x);
  column("softmax p", bar);
  column("hinge term vs top", ImGui::CalcTextSize("00.00").x);
  ImGui::TableHeadersRow();
  for (int c = 0; c < C; ++c) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (c == top)
      ImGui::TextColored(ImVec4(0, 0.35f, 0.6f, 1), "%d ◀", c);
    else
      ImGui::Text("%d", c);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", double(s(c)));
    ImGui::TableNextColumn();
    ImGui::ProgressBar(prob(c), ImVec2(110, 0), nullptr);
    ImGui::SameLine();
    ImGui::Text("%.3f", double(prob(c)));
    ImGui::TableNextColumn();
    // max(0, s_c − s_top + 1): how far class c is from being ruled out with margin 1.
    if (c == top)
      ImGui::TextDisabled("—");
    else
      ImGui::Text("%.2f", double(std::max(0.0f, s(c) - s(top) + 1.0f)));
  }
  ImGui::PopTextWrapPos();
  ImGui::EndTable();
}

}  // namespace implay::app
