// try_this.cpp — see try_this.hpp.
#include "app/widgets/try_this.hpp"

#include <string>

#include "app/format.hpp"
#include "app/theme.hpp"

namespace implay::app {

bool TryThis(std::span<const char* const> tasks, bool& open, Probes& probes) {
  ImGui::BeginGroup();
  // The stored state decides, not ImGui's own memory of the header (it has none across visits).
  ImGui::SetNextItemOpen(open, ImGuiCond_Always);
  const std::string label = "Try this (" + counted(int(tasks.size()), "task", "tasks") + ")###try_this";
  const bool now_open = ImGui::CollapsingHeader(label.c_str());
  probes.item("try_header");
  if (now_open) {
    ImGui::Indent();
    for (size_t i = 0; i < tasks.size(); ++i) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kAccentColor), "%d.", int(i + 1));
      ImGui::SameLine();
      ImGui::TextWrapped("%s", tasks[i]);
    }
    ImGui::Unindent();
    ImGui::Spacing();
  }
  ImGui::EndGroup();
  probes.item("try");
  const bool flipped = now_open != open;
  open = now_open;
  return flipped;
}

}  // namespace implay::app
