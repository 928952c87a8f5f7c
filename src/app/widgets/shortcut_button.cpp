// shortcut_button.cpp — see shortcut_button.hpp.
#include "app/widgets/shortcut_button.hpp"

#include <cctype>

#include "imgui_internal.h"

namespace implay::app {

bool ShortcutPressed(const Shortcut& shortcut) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return false;  // the keys are being typed into a field
  const bool ctrl = io.KeyCtrl || io.KeySuper;
  if (ctrl != shortcut.ctrl) return false;
  if (shortcut.character) {
    for (ImWchar c : io.InputQueueCharacters)
      if (std::tolower(int(c)) == shortcut.character) return true;
    return false;
  }
  // Space also activates the control keyboard navigation is on: then it is that control's.
  if (shortcut.key == ImGuiKey_Space && io.NavVisible) return false;
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(shortcut.key), false);
}

bool ShortcutButton(const char* label, const Shortcut& shortcut, const ImVec2& size) {
  bool pressed = ImGui::Button(label, size);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", shortcut.name);
  // A disabled button (BeginDisabled) does not take its shortcut either.
  const bool enabled = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) == 0;
  if (!pressed && enabled && ShortcutPressed(shortcut)) pressed = true;
  return pressed;
}

TrainPress TrainButton(const char* id, TrainStage stage, bool playing) {
  ImGui::PushID(id);
  TrainPress pressed = TrainPress::None;
  switch (stage) {
    case TrainStage::Preparing:
      if (ImGui::Button("Cancel")) pressed = TrainPress::Cancel;
      break;
    case TrainStage::Idle:
      if (ImGui::Button("Train")) pressed = TrainPress::Train;
      break;
    case TrainStage::Training:
      if (ShortcutButton(playing ? "Pause" : "Resume", kPlayPauseKey)) pressed = TrainPress::PlayPause;
      break;
    case TrainStage::Done:
      ImGui::BeginDisabled();
      ImGui::Button("Done");
      ImGui::EndDisabled();
      break;
  }
  ImGui::PopID();
  return pressed;
}

}  // namespace implay::app
