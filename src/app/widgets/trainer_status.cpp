// trainer_status.cpp — see trainer_status.hpp.
#include "app/widgets/trainer_status.hpp"

#include <algorithm>

#include <imgui.h>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/widgets/lab_tabs.hpp"

namespace implay::app {

void MnistTrainData(LabContext& ctx, const std::string& error, int converted, int to_convert) {
  const DataState& data = ctx.data;
  if (!data.full()) {
    ImGui::TextWrapped("%s training and %s test images are loaded.", thousands(data.train.count).c_str(),
                       thousands(data.test.count).c_str());
    if (data.loading_set == "full")
      ImGui::ProgressBar(data.progress(), ImVec2(250, 0), "loading the full set…");
    else if (ImGui::Button("Load all 60,000 / 10,000"))
      ctx.host.request_dataset("full");
  }
  if (!error.empty()) ErrorText(error);
  if (converted >= 0) {
    const std::string label = "Preparing the images… " + thousands(converted) + " / " + thousands(to_convert);
    ImGui::ProgressBar(float(converted) / float(std::max(1, to_convert)), ImVec2(250, 0), label.c_str());
  }
}

void TrainerProgress(LabContext& ctx, const MinibatchTrainer& t, double train_seconds, const char* probe) {
  ImGui::ProgressBar(t.progress(), ImVec2(250, 0));
  ctx.probes.item(probe);
  const double examples = double(t.steps()) * t.options().batch_size;
  ImGui::Text("epoch %d of %d · batch %d of %d", std::min(t.epoch() + 1, t.options().epochs), t.options().epochs,
              t.batch(), t.batches_per_epoch());
  ImGui::Text("%s examples/s · %.1f s of compute",
              train_seconds > 0 ? thousands((long long)(examples / train_seconds)).c_str() : "–", train_seconds);
  if (!t.history().empty() && t.history().back().validation.count > 0) {
    const NetEpochStats& h = t.history().back();
    ImGui::Text("after epoch %d: test accuracy %.2f %%", h.epoch, 100 * h.validation.accuracy);
  }
}

void take_curve_points(const MinibatchTrainer& trainer, size_t& taken, std::vector<LossSample>& train,
                       std::vector<LossSample>& held) {
  const auto& curve = trainer.curve();
  for (; taken < curve.size(); ++taken) {
    const NetCurvePoint& p = curve[taken];
    train.push_back({p.epoch, p.train.cross_entropy, p.train.hinge, p.train.accuracy});
    if (p.validation.count > 0)
      held.push_back({p.epoch, p.validation.cross_entropy, p.validation.hinge, p.validation.accuracy});
  }
}

}  // namespace implay::app
