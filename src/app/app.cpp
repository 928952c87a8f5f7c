// app.cpp — the frame: navigation on the left, the current lab in the middle, a status bar at
// the bottom. [SECTION] lab registry · URL parameters · navigation · status bar · frame · state.
#include "app/app.hpp"

#include <cstdio>

#include "app/format.hpp"
#include "app/url_params.hpp"
#include "app/widgets/help.hpp"
#include "core/simd.hpp"

namespace implay::app {

// [SECTION] lab registry ----------------------------------------------------------------------

const std::vector<LabInfo>& all_labs() {
  static const std::vector<LabInfo> labs = {
      {LabId::Knn, "knn", "kNN", "Nearest neighbours: tune k and the distance metric on 2-D points and on MNIST.", 2, true},
      {LabId::Linear, "linear", "Linear classifier",
       "Scores s = Wx + b trained live with the multiclass SVM (hinge) loss and softmax cross-entropy.", 3, true},
      {LabId::Sketch, "sketch", "Sketch model",
       "The autoregressive pixel model p(x) = Π p(xᵢ | x₍<ᵢ₎): draw, and see what it expects next.", 4, true},
      {LabId::Roc, "roc", "ROC & AUC", "Thresholds trade true positives for false positives: ROC curves and AUC.", 5, true},
      {LabId::Prob, "prob", "Probability & losses",
       "Joint and conditional tables, the chain rule, cross-entropy and BCE by hand.", 5, true},
      {LabId::NeuralNet, "nn", "Neural net", "A small network learns the spiral \"tendril\" problem a linear model cannot.", 6,
       false},
      {LabId::Convolution, "conv", "Convolution", "Filters, feature maps and max-pooling on real digits.", 7, false},
      {LabId::Data, "data", "MNIST data", "The 70,000 handwritten digits every lab learns from.", 1, true},
  };
  return labs;
}

const LabInfo& lab_info(LabId id) {
  for (const auto& l : all_labs())
    if (l.id == id) return l;
  return all_labs().front();
}

// [SECTION] URL parameters --------------------------------------------------------------------

void init_app(AppState& app, std::string_view query) {
  UrlParams params(query);
  std::string lab_key;
  if (params.take_string("lab", lab_key)) {
    bool found = false;
    for (const auto& l : all_labs())
      if (lab_key == l.key) {
        app.lab = l.id;
        found = true;
      }
    if (!found) {
      std::string keys;
      for (const auto& l : all_labs()) keys += (keys.empty() ? "" : ", ") + std::string(l.key);
      app.host.warn("URL parameter lab=" + lab_key + " ignored: expected one of " + keys);
    }
  }
  params.take_bool("embed", app.embed);
  // Each lab takes its own settings; for another lab they are unknown parameters.
  if (app.lab == LabId::Knn) apply_knn_url(app.knn, params);
  if (app.lab == LabId::Linear) apply_linear_url(app.linear, params);
  if (app.lab == LabId::Roc) apply_roc_url(app.roc, params);
  if (app.lab == LabId::Prob) apply_prob_url(app.prob, params);
  if (app.lab == LabId::Sketch) apply_sketch_url(app.sketch, params);
  for (const auto& w : params.finish()) app.host.warn(w);
  load_stored_sketches(app.sketch, app.host);
}

void on_file_opened(AppState& app, const std::string& purpose, const std::string& name, std::span<const uint8_t> bytes) {
  if (purpose == "sketches") import_sketches(app.sketch, app.host, name, bytes);
  else app.host.warn("a file for an unknown purpose \"" + purpose + "\" was ignored");
}

// [SECTION] navigation ------------------------------------------------------------------------

namespace {

constexpr float kNavWidth = 210.0f;

void draw_navigation(AppState& app, float height) {
  app.nav_rects.clear();
  ImGui::BeginChild("nav", ImVec2(kNavWidth, height), true);
  if (app.fonts.heading) ImGui::PushFont(app.fonts.heading);
  ImGui::TextUnformatted("Image Model");
  ImGui::TextUnformatted("Playground");
  if (app.fonts.heading) ImGui::PopFont();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  MutedText("LABS");
  for (const auto& lab : all_labs()) {
    if (lab.id == LabId::Data) {
      ImGui::Spacing();
      MutedText("DATA");
    }
    ImGui::PushID(lab.key);
    const bool selected = app.lab == lab.id;
    if (ImGui::Selectable("##nav", selected, 0, ImVec2(0, ImGui::GetTextLineHeight() * 1.9f))) app.lab = lab.id;
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    app.nav_rects.push_back({lab.key, min.x, min.y, max.x - min.x, max.y - min.y});
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24.0f);
      ImGui::TextUnformatted(lab.summary);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    // Title and, for labs still to come, a muted "soon" tag on the same line.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float y = min.y + (max.y - min.y - ImGui::GetTextLineHeight()) * 0.5f;
    dl->AddText(ImVec2(min.x + 8, y), lab.built ? kInkColor : kMutedTextColor, lab.title);
    if (!lab.built) {
      const char* tag = "soon";
      if (app.fonts.small) ImGui::PushFont(app.fonts.small);
      const float tw = ImGui::CalcTextSize(tag).x;
      if (app.fonts.small) ImGui::PopFont();
      dl->AddText(app.fonts.small, font_px(app.fonts.small), ImVec2(max.x - tw - 6, y + 1), kMutedTextColor, tag);
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
}

// A lab that is not built yet says so plainly: no mock-ups, no fake numbers.
void draw_not_built(const AppState& app, const LabInfo& lab) {
  LabHeading(app.fonts.heading, lab.title, lab.summary);
  ImGui::Separator();
  ImGui::Spacing();
  ImGui::Text("This lab is not built yet.");
  ImGui::Text("It is planned as step %d of the roadmap; the navigation keeps its place so links to it keep working.",
              lab.step);
  ImGui::Spacing();
  MutedText("Meanwhile, the MNIST data view (left, under DATA) shows the real images the labs will use.");
}

// [SECTION] status bar ------------------------------------------------------------------------

void draw_status_bar(AppState& app) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::Separator();
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%.0f FPS", io.Framerate);
  ImGui::SameLine(0, 24);
  ImGui::TextUnformatted(data_summary(app.data).c_str());
  if (!app.data.loading_set.empty() && app.data.bytes_total > 0) {
    ImGui::SameLine();
    ImGui::ProgressBar(app.data.progress(), ImVec2(120, ImGui::GetTextLineHeight()), "");
  }
  if (app.data.status == DataStatus::Failed) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "(%s)", app.data.error.c_str());
  }
  ImGui::SameLine(0, 24);
  ImGui::Text("SIMD: %s", kWasmSimd ? "on (WebAssembly SIMD128)" : "off (portable kernels)");
  ImGui::SameLine(0, 24);
  ImGui::TextDisabled("%s · v%s", app.host.platform_name.c_str(), IMPLAY_VERSION);
}

void draw_lab(AppState& app) {
  const LabInfo& info = lab_info(app.lab);
  switch (app.lab) {
    case LabId::Data: draw_data_lab(app); break;
    case LabId::Knn: draw_knn_lab(app); break;
    case LabId::Linear: draw_linear_lab(app); break;
    case LabId::Roc: draw_roc_lab(app); break;
    case LabId::Prob: draw_prob_lab(app); break;
    case LabId::Sketch: draw_sketch_lab(app); break;
    default: draw_not_built(app, info); break;
  }
}

}  // namespace

// [SECTION] frame -----------------------------------------------------------------------------

void Frame(AppState& app) {
  ++app.frame_count;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("Image Model Playground", nullptr, flags);
  // Separator + one row of frame height, each followed by item spacing.
  const float status_height = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y + 1.0f;
  if (!app.embed) {
    draw_navigation(app, -status_height);
    ImGui::SameLine();
  } else {
    app.nav_rects.clear();
  }
  ImGui::BeginChild("lab", ImVec2(0, -status_height), true, ImGuiWindowFlags_HorizontalScrollbar);
  draw_lab(app);
  ImGui::EndChild();
  draw_status_bar(app);
  ImGui::End();
}

// [SECTION] state for tests -------------------------------------------------------------------

std::string state_json(const AppState& app) {
  std::string s = "{\"lab\":\"" + std::string(lab_info(app.lab).key) + "\",\"embed\":" + (app.embed ? "true" : "false") +
                  ",\"nav_visible\":" + (app.nav_rects.empty() ? "false" : "true") + ",\"frames\":" +
                  std::to_string(app.frame_count) + ",\"simd\":" + (kWasmSimd ? "true" : "false") +
                  ",\"data\":{\"set\":\"" + app.data.loaded_set + "\",\"train\":" + std::to_string(app.data.train.count) +
                  ",\"test\":" + std::to_string(app.data.test.count) + ",\"loading\":\"" + app.data.loading_set +
                  "\",\"error\":" + json_string(app.data.error) + "}" +
                  ",\"knn\":" + knn_state_json(app.knn) + ",\"linear\":" + linear_state_json(app.linear) +
                  ",\"roc\":" + roc_state_json(app.roc) + ",\"prob\":" + prob_state_json(app.prob) +
                  ",\"sketch\":" + sketch_state_json(app.sketch);
  char buf[160];
  const float* r = app.data_lab.load_full_rect;
  std::snprintf(buf, sizeof buf, ",\"load_full\":{\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f},\"nav\":[", double(r[0]),
                double(r[1]), double(r[2]), double(r[3]));
  s += buf;
  for (size_t i = 0; i < app.nav_rects.size(); ++i) {
    const NavRect& r = app.nav_rects[i];
    std::snprintf(buf, sizeof buf, "%s{\"key\":\"%s\",\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f}", i ? "," : "",
                  r.key.c_str(), double(r.x), double(r.y), double(r.w), double(r.h));
    s += buf;
  }
  return s + "]}";
}

}  // namespace implay::app
