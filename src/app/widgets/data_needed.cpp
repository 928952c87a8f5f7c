// data_needed.cpp — see data_needed.hpp.
#include "app/widgets/data_needed.hpp"

#include "app/lab.hpp"
#include "app/widgets/lab_tabs.hpp"

namespace implay::app {

bool draw_data_needed(LabContext& ctx) {
  DataState& data = ctx.data;
  if (data.ready()) return true;
  if (data.status == DataStatus::Failed) {
    // Wrapped: a corrupt-file message names the file and the fault and runs wider than an embed.
    ErrorText(data.error);
    if (ImGui::Button("Try again")) {
      data.error.clear();
      data.status = DataStatus::Loading;
      ctx.host.request_dataset("subset");
    }
  } else {
    ImGui::Text("Loading the default MNIST subset…");
    ImGui::ProgressBar(data.progress(), ImVec2(360, 0));
  }
  return false;
}

}  // namespace implay::app
