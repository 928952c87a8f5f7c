// app.cpp — the frame: navigation on the left, the current lab in the middle, a status bar at
// the bottom. [SECTION] URL parameters · address, share & embed · navigation · status bar ·
// frame · state.
#include "app/app.hpp"

#include <algorithm>

#include "app/format.hpp"
#include "app/url_params.hpp"
#include "app/url_table.hpp"
#include "app/widgets/help.hpp"
#include "core/target.hpp"

namespace implay::app {

// [SECTION] URL parameters --------------------------------------------------------------------

namespace {

LabContext context_of(AppState& app, LiveLab& live) {
  return LabContext{app.host, app.fonts, app.data, app.clock, live.probes, &app.address.hidden, app.address.locked};
}

// Panels of the frame itself that hide= may name besides the lab's ("try": the Try this panel).
constexpr UrlPanel kFramePanels[] = {{"try", "the Try this panel above the lab"}};

std::vector<std::string> hideable_panels(const AppState& app) {
  std::vector<std::string> names;
  if (const Lab* lab = app.labs[app.current].lab.get()) names = lab->panel_names();
  for (const UrlPanel& p : kFramePanels) names.push_back(p.name);
  return names;
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
  params.take_bool("lock", app.address.locked);
  params.take_list("hide", app.address.hidden, hideable_panels(app));
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

// [SECTION] address, share & embed --------------------------------------------------------------

std::string current_query(const AppState& app) {
  const LiveLab& live = app.labs[app.current];
  std::string q = "?";
  append_query(q, "lab", live.row->key);
  if (live.lab) live.lab->write_url(q);
  if (app.embed) append_query(q, "embed", "1");
  // Only the names this lab knows: after a switch in the navigation the others mean nothing.
  const std::vector<std::string> known = hideable_panels(app);
  std::string hide;
  for (const std::string& h : app.address.hidden)
    if (std::find(known.begin(), known.end(), h) != known.end()) hide += (hide.empty() ? "" : ",") + h;
  if (!hide.empty()) append_query(q, "hide", hide);
  if (app.address.locked) append_query(q, "lock", "1");
  return q;
}

std::string url_tables_json(const AppState& app) {
  using nlohmann::json;
  json labs = json::object(), frame = json::array();
  for (const LiveLab& live : app.labs) {
    if (!live.lab) continue;
    json table = live.lab->url_table_json();
    table["title"] = live.row->title;
    labs[live.row->key] = table;
  }
  for (const UrlPanel& p : kFramePanels) frame.push_back({{"name", p.name}, {"doc", p.doc}});
  json keys = json::array();
  for (const LabRow& row : lab_registry()) keys.push_back(row.key);
  return json{{"labs", labs}, {"lab_keys", keys}, {"frame_panels", frame}}.dump();
}

namespace {

// The address follows the view: a new query goes to the host as soon as it differs (the page
// debounces history.replaceState, so a dragged slider writes once it rests).
void sync_address(AppState& app) {
  const std::string q = current_query(app);
  if (q == app.address.query) return;
  app.address.query = q;
  if (app.host.replace_query) app.host.replace_query(q);
}

void copy_to_clipboard(AppState& app, const std::string& text, const char* by) {
  if (app.host.copy_text) app.host.copy_text(text);
  app.address.copied = text;
  app.address.copied_by = by;
  app.address.copied_at = app.clock.seconds;
}

std::string without_embed(std::string query) {
  for (const char* part : {"&embed=1", "?embed=1&", "?embed=1"}) {
    const size_t at = query.find(part);
    if (at != std::string::npos) query.replace(at, std::string_view(part).size(), part[0] == '?' ? "?" : "");
  }
  return query;
}

std::string page_link(const AppState& app) { return app.host.page_url + without_embed(current_query(app)); }

std::string embed_snippet(const AppState& app) {
  std::string q = without_embed(current_query(app));
  append_query(q, "embed", "1");
  return "<iframe src=\"" + app.host.page_url + q + "\" width=\"900\" height=\"600\" title=\"" +
         app.labs[app.current].row->title + " · Image Model Playground\" loading=\"lazy\"></iframe>";
}

// A button whose label says "Copied" for two seconds after it copied.
bool CopyButton(AppState& app, const char* label, const char* copied_label, const char* id) {
  const bool just_copied = app.address.copied_by == id && app.clock.seconds - app.address.copied_at < 2.0;
  ImGui::PushID(id);
  const bool pressed = ImGui::Button(just_copied ? copied_label : label, ImVec2(-FLT_MIN, 0));
  ImGui::PopID();
  app.frame_probes.item(id);
  return pressed;
}

// At the bottom of the navigation: the link to this view, and the snippet for a course page.
void draw_share_buttons(AppState& app) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float needed = 2 * ImGui::GetFrameHeightWithSpacing() + style.WindowPadding.y;
  ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY() + style.ItemSpacing.y, ImGui::GetWindowHeight() - needed));
  if (CopyButton(app, "Share link", "Copied link", "share")) copy_to_clipboard(app, page_link(app), "share");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Copies a link to this view: the lab, its tab and settings.");
  if (CopyButton(app, "Embed", "Copied <iframe>", "embed")) copy_to_clipboard(app, embed_snippet(app), "embed");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Copies an <iframe> of this view (900 × 600) to paste into a course page.");
}

// In an embed, the one way out: the same view as a full page, in a new tab.
void draw_open_full_page(AppState& app) {
  const char* label = "Open full page ↗";
  const float w = ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - w + ImGui::GetScrollX(),
                             ImGui::GetStyle().WindowPadding.y + ImGui::GetScrollY()));
  if (ImGui::SmallButton(label)) app.host.open_url(page_link(app));
  app.frame_probes.item("open_full");
  // The cursor stays up there: moving it back would grow the content by a line (SetCursorPos
  // extends it), and the lab would get scrollbars it does not need.
}

}  // namespace

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
  draw_share_buttons(app);
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
  if (app.address.locked) MutedText("Settings locked by the course page.");
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
  ImGui::BeginChild("lab", ImVec2(0, -status_height), true, ImGuiWindowFlags_HorizontalScrollbar);
  update_and_draw_labs(app);
  if (app.embed) draw_open_full_page(app);
  ImGui::EndChild();
  draw_status_bar(app);
  ImGui::End();
  sync_address(app);
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
            {"simd", kWasmSimd},
            {"kernels", active_kernels()},
            {"data",
             {{"set", app.data.loaded_set},
              {"train", app.data.train.count},
              {"test", app.data.test.count},
              {"loading", app.data.loading_set},
              {"error", app.data.error}}},
            {"nav", nav},
            {"url", app.address.query},
            {"copied", app.address.copied},
            {"locked", app.address.locked},
            {"hidden", app.address.hidden}};
  json frame;
  app.frame_probes.write_to(frame);
  j["frame"] = frame.is_null() ? json::object() : frame;
  // Each lab under its key; the data lab's own fields join the data summary.
  for (const LiveLab& live : app.labs) {
    if (!live.lab) continue;
    json lab = live.lab->state_json();
    lab["url"] = live.lab->url_values_json();
    live.probes.write_to(lab);
    j[live.row->key].update(lab);
  }
  // Invalid UTF-8 in a message (a file name) must not make the tests' state unreadable.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace implay::app
