// help.cpp — see help.hpp.
#include "app/widgets/help.hpp"

#include "app/theme.hpp"

namespace implay::app {

void HelpMarker(const char* text) {
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void LabHeading(ImFont* heading_font, const char* title, const char* subtitle) {
  if (heading_font) ImGui::PushFont(heading_font);
  ImGui::TextUnformatted(title);
  if (heading_font) ImGui::PopFont();
  if (subtitle && *subtitle) MutedText(subtitle);
  ImGui::Spacing();
}

void MutedText(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kMutedTextColor));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

}  // namespace implay::app
