// shortcut_button.hpp — buttons with a keyboard shortcut (Space plays and pauses, Ctrl+Z undoes,
// …) that say it in their tooltip. The shortcuts are the same in every lab; they do not fire
// while a text field takes the keys, nor Space while keyboard navigation owns it.
#pragma once
#include "imgui.h"

namespace implay::app {

struct Shortcut {
  const char* name;    // as the tooltip shows it: "Space", "Ctrl+Z"
  ImGuiKey key = -1;   // a named key (ImGuiKey_Space, ImGuiKey_Delete, ImGuiKey_Z), or
  char character = 0;  // a typed character ('s'), for keys ImGui 1.86 does not name
  bool ctrl = false;   // with Ctrl (or Cmd)
};

inline constexpr Shortcut kPlayPauseKey{"Space", ImGuiKey_Space};
inline constexpr Shortcut kStepKey{"S", -1, 's'};
inline constexpr Shortcut kResetKey{"R", -1, 'r'};
inline constexpr Shortcut kClearKey{"Delete", ImGuiKey_Delete};
inline constexpr Shortcut kUndoKey{"Ctrl+Z", ImGuiKey_Z, 0, true};

// True in the frame the shortcut is pressed (and no text field or keyboard navigation has it).
bool ShortcutPressed(const Shortcut& shortcut);

// ImGui::Button that is also pressed by `shortcut`; its tooltip names the shortcut.
bool ShortcutButton(const char* label, const Shortcut& shortcut, const ImVec2& size = ImVec2(0, 0));

// The one button of a job that prepares its data, then trains in slices (the MNIST trainers):
// Cancel while preparing, Train before it starts, Pause / Resume (Space) while it trains, a
// disabled Done after. Returns what was pressed; the lab acts on it.
enum class TrainPress { None, Cancel, Train, PlayPause };
enum class TrainStage { Idle, Preparing, Training, Done };
TrainPress TrainButton(const char* id, TrainStage stage, bool playing);

}  // namespace implay::app
