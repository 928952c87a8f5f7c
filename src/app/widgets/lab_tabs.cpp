// lab_tabs.cpp — see lab_tabs.hpp.
#include "app/widgets/lab_tabs.hpp"

#include "app/theme.hpp"

namespace implay::app {

namespace {

std::vector<ImVec4> g_tab_rects;

void remember_tab_rect() {
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  g_tab_rects.push_back(ImVec4(min.x, min.y, max.x - min.x, max.y - min.y));
}

}  // namespace

const std::vector<ImVec4>& lab_tab_rects() { return g_tab_rects; }

bool LabTabs(const char* id, std::span<const char* const> names, int& tab, bool& select) {
  g_tab_rects.clear();
  if (!ImGui::BeginTabBar(id)) return false;
  for (int t = 0; t < int(names.size()); ++t) {
    const ImGuiTabItemFlags flags = select && tab == t ? ImGuiTabItemFlags_SetSelected : 0;
    const bool open = ImGui::BeginTabItem(names[size_t(t)], nullptr, flags);
    remember_tab_rect();
    if (open) {
      // On the selecting frame the bar may still report the old tab; the URL's wins.
      if (!select) tab = t;
      ImGui::EndTabItem();
    }
  }
  select = false;
  ImGui::EndTabBar();
  ImGui::Spacing();
  return true;
}

void ErrorText(const std::string& message) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kErrorColor));
  ImGui::TextWrapped("%s", message.c_str());
  ImGui::PopStyleColor();
}

}  // namespace implay::app
