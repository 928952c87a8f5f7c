// app.cpp — the frame: navigation on the left, the current lab in the middle, a status bar at
// the bottom. [SECTION] URL parameters · navigation · status bar · frame · state.
#include "app/app.hpp"

#include "app/format.hpp"
#include "app/url_params.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "core/target.hpp"

namespace implay::app {

// [SECTION] URL parameters --------------------------------------------------------------------

namespace {

LabContext context_of(AppState& app, LiveLab& live) {
  return LabContext{app.host, app.fonts, app.data, app.clock, live.probes, &app.keep_awake};
}

}  // namespace

void init_app(AppState& app, std::string_view query) {
  app.labs.clear();
  for (const LabRow& row : lab_registry()) app.labs.push_back({&row, row.make ? row.make() : nullptr, {}});
  UrlParams params(query);
  std::string lab_key;
  if (params.take_string("lab", lab_key)) {
    bool found = false;
    for (size_t i = 0; i < app.labs.size(); ++i)
      if (lab_key == app.labs[i].row->key) app.current = i, found = true;
    if (!found) {
      std::string keys;
      for (const LabRow& row : lab_registry()) {
        if (!keys.empty()) keys += ", ";
        keys += row.key;
      }
      app.host.warn("URL parameter lab=" + lab_key + " ignored: expected one of " + keys);
    }
  }
  params.take_bool("embed", app.embed);
  // Only the current lab takes its settings; for another lab they are unknown parameters.
  if (Lab* lab = app.labs[app.current].lab.get()) lab->apply_url(params);
  for (const auto& w : params.finish()) app.host.warn(w);
  for (LiveLab& live : app.labs) {
    if (!live.lab) continue;
    LabContext ctx = context_of(app, live);
    live.lab->start(ctx);
  }
}

void on_file_opened(AppState& app, const std::string& purpose, const std::string& name,
                    std::span<const uint8_t> bytes) {
  const OpenedFile file{purpose, name, bytes};
  for (LiveLab& live : app.labs) {
    if (!live.lab) continue;
    LabContext ctx = context_of(app, live);
    if (live.lab->on_file(ctx, file)) return;
  }
  app.host.warn("a file for an unknown purpose \"" + purpose + "\" was ignored");
}

// [SECTION] navigation ------------------------------------------------------------------------

namespace {

constexpr float kNavWidth = 210.0f;

void draw_navigation(AppState& app, float height) {
  app.nav_rects.clear();
  ImGui::BeginChild("nav", ImVec2(kNavWidth, height), true, ImGuiWindowFlags_NavFlattened);
  if (app.fonts.heading) ImGui::PushFont(app.fonts.heading);
  ImGui::TextUnformatted("Image Model");
  ImGui::TextUnformatted("Playground");
  if (app.fonts.heading) ImGui::PopFont();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  MutedText("LABS");
  for (size_t i = 0; i < app.labs.size(); ++i) {
    const LabRow& lab = *app.labs[i].row;
    const bool built = app.labs[i].lab != nullptr;
    if (i > 0 && lab.group != app.labs[i - 1].row->group) {
      ImGui::Spacing();
      MutedText("DATA");
    }
    ImGui::PushID(lab.key);
    const bool selected = app.current == i;
    if (ImGui::Selectable("##nav", selected, 0, ImVec2(0, ImGui::GetTextLineHeight() * 1.9f))) app.current = i;
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
    dl->AddText(ImVec2(min.x + 8, y), built ? kInkColor : kMutedTextColor, lab.title);
    if (!built) {
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
void draw_not_built(const AppState& app, const LabRow& lab) {
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
  // The kernels that really run: natively CPUID picks AVX-512, AVX2 or the SSE2 baseline.
  static const std::string kernels = active_kernels();
  ImGui::Text("SIMD kernels: %s", kernels.c_str());
  ImGui::SameLine(0, 24);
  ImGui::TextDisabled("%s · v%s", app.host.platform_name.c_str(), IMPLAY_VERSION);
}

// Update, then draw: the current lab advances its jobs and refreshes what it shows before any
// of its ImGui calls; the others only keep their background jobs running.
void update_and_draw_labs(AppState& app) {
  for (size_t i = 0; i < app.labs.size(); ++i) {
    LiveLab& live = app.labs[i];
    if (!live.lab) continue;
    LabContext ctx = context_of(app, live);
    if (i == app.current)
      live.lab->update(ctx);
    else
      live.lab->background(ctx);
  }
  LiveLab& current = app.labs[app.current];
  if (!current.lab) return draw_not_built(app, *current.row);
  LabContext ctx = context_of(app, current);
  current.lab->draw(ctx);
}

}  // namespace

// [SECTION] frame -----------------------------------------------------------------------------

void Frame(AppState& app) {
  const ImGuiIO& io = ImGui::GetIO();
  ++app.clock.frame;
  app.clock.seconds = ImGui::GetTime();
  app.clock.delta = io.DeltaTime;
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
  // NavFlattened: Tab and the arrows reach the lab's controls without entering the child first.
  ImGui::BeginChild("lab", ImVec2(0, -status_height), true,
                    ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NavFlattened);
  update_and_draw_labs(app);
  ImGui::EndChild();
  draw_status_bar(app);
  ImGui::End();
}

// [SECTION] state for tests -------------------------------------------------------------------

std::string state_json(const AppState& app) {
  using nlohmann::json;
  json nav = json::array();
  for (const NavRect& r : app.nav_rects)
    nav.push_back({{"key", r.key}, {"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}});
  json j = {{"lab", app.labs[app.current].row->key},
            {"embed", app.embed},
            {"nav_visible", !app.nav_rects.empty()},
            {"frames", app.clock.frame},
            {"idle", app.idle},
            {"simd", kWasmSimd},
            {"kernels", active_kernels()},
            {"data",
             {{"set", app.data.loaded_set},
              {"train", app.data.train.count},
              {"test", app.data.test.count},
              {"loading", app.data.loading_set},
              {"error", app.data.error}}},
            {"nav", nav}};
  for (const ImVec4& r : lab_tab_rects()) j["tabs"].push_back({{"x", r.x}, {"y", r.y}, {"w", r.z}, {"h", r.w}});
  // Each lab under its key; the data lab's own fields join the data summary.
  for (const LiveLab& live : app.labs) {
    if (!live.lab) continue;
    json lab = live.lab->state_json();
    live.probes.write_to(lab);
    j[live.row->key].update(lab);
  }
  // Invalid UTF-8 in a message (a file name) must not make the tests' state unreadable.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace implay::app
