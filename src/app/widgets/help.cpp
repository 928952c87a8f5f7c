// help.cpp — see help.hpp.
#include "app/widgets/help.hpp"

#include "app/theme.hpp"

namespace implay::app {

namespace {

void HelpText(const char* text) {
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
}

}  // namespace

// Hover shows the text as a tooltip; a click or a tap (a touch screen has no hover) pins it in
// a popup until the next click elsewhere.
void HelpMarker(const char* text) {
  ImGui::TextDisabled("(?)");
  const bool hovered = ImGui::IsItemHovered();
  ImGui::PushID(text);
  if (ImGui::IsItemClicked()) ImGui::OpenPopup("help");
  if (ImGui::BeginPopup("help")) {
    HelpText(text);
    ImGui::EndPopup();
  } else if (hovered) {
    ImGui::BeginTooltip();
    HelpText(text);
    ImGui::EndTooltip();
  }
  ImGui::PopID();
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

void SectionTitle(const char* text) {
  ImGui::Spacing();
  ImGui::TextUnformatted(text);
  ImGui::Separator();
}

}  // namespace implay::app
