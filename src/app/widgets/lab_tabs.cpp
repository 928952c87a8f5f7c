// lab_tabs.cpp — see lab_tabs.hpp.
#include "app/widgets/lab_tabs.hpp"

#include "app/theme.hpp"

namespace implay::app {

bool LabTabs(const char* id, std::span<const char* const> names, int& tab, bool& select) {
  if (!ImGui::BeginTabBar(id)) return false;
  for (int t = 0; t < int(names.size()); ++t) {
    const ImGuiTabItemFlags flags = select && tab == t ? ImGuiTabItemFlags_SetSelected : 0;
    if (ImGui::BeginTabItem(names[size_t(t)], nullptr, flags)) {
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
