// app.cpp — the frame: navigation on the left, the current lab in the middle, a status bar at
// the bottom. [SECTION] URL parameters · address, share & embed · navigation · status bar ·
// frame · state.
#include "app/app.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "imgui_internal.h"

#include "app/format.hpp"
#include "app/url_params.hpp"
#include "app/url_table.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/try_this.hpp"
#include "core/target.hpp"

namespace implay::app {

// [SECTION] URL parameters --------------------------------------------------------------------

namespace {

LabContext context_of(AppState& app, LiveLab& live) {
  return LabContext{app.host,      app.fonts,           app.data,           app.clock,      live.probes,
                    live.activity, &app.address.hidden, app.address.locked, &app.keep_awake};
}

// Panels of the frame itself that hide= may name besides the lab's ("try": the Try this panel).
constexpr UrlPanel kFramePanels[] = {{"try", "the Try this panel above the lab"}};

std::vector<std::string> hideable_panels(const AppState& app) {
  std::vector<std::string> names;
  if (const Lab* lab = app.labs[app.current].lab.get()) names = lab->panel_names();
  for (const UrlPanel& p : kFramePanels) names.push_back(p.name);
  return names;
}

// Host storage key of a lab's "Try this" panel state: "1" open, "0" closed.
std::string try_open_key(const LabRow& row) { return std::string("implay.try_open.") + row.key; }

// Open on a first visit; closed in an embed, where the lab has little room (one header line
// until the student opens it), and in a short window (draw_try_this). A stored click wins.
void load_try_open(AppState& app, LiveLab& live) {
  live.try_open = !app.embed;
  if (!app.host.load_stored) return;
  const std::vector<uint8_t> bytes = app.host.load_stored(try_open_key(*live.row));
  live.try_stored = bytes.size() == 1;
  if (live.try_stored) live.try_open = bytes[0] != '0';
}

// Below this many CSS pixels of window height (a laptop at 200 % zoom: 400) the open panel
// would push the whole lab below the fold, so it starts closed.
constexpr float kTryOpenMinHeight = 560;

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
  app.show_try = std::find(app.address.hidden.begin(), app.address.hidden.end(), "try") == app.address.hidden.end();
  // Only the current lab takes its settings; for another lab they are unknown parameters.
  if (Lab* lab = app.labs[app.current].lab.get()) lab->apply_url(params);
  for (const auto& w : params.finish()) app.host.warn(w);
  for (LiveLab& live : app.labs) {
    if (!live.lab) continue;
    load_try_open(app, live);
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
// `width` 0: the full width of the column.
bool CopyButton(AppState& app, const char* label, const char* copied_label, const char* id, float width = 0) {
  const bool just_copied = app.address.copied_by == id && app.clock.seconds - app.address.copied_at < 2.0;
  ImGui::PushID(id);
  const bool pressed = ImGui::Button(just_copied ? copied_label : label, ImVec2(width > 0 ? width : -FLT_MIN, 0));
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

// Under kNarrowWidth (a phone, a split screen, 200 % zoom of a laptop) the 210 px column would
// leave the lab too little room: the navigation becomes one row over the lab, a lab picker and
// the two copy buttons.
constexpr float kNarrowWidth = 800.0f;

void draw_compact_navigation(AppState& app) {
  app.nav_rects.clear();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Lab");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(FitWidth(220));
  if (ImGui::BeginCombo("##lab_picker", app.labs[app.current].row->title)) {
    for (size_t i = 0; i < app.labs.size(); ++i) {
      const LabRow& lab = *app.labs[i].row;
      const std::string label = std::string(lab.title) + (app.labs[i].lab ? "" : "  (soon)");
      if (ImGui::Selectable(label.c_str(), app.current == i)) app.current = i;
    }
    ImGui::EndCombo();
  }
  app.frame_probes.item("lab_picker");
  const float copy_w = ButtonWidth("Copied <iframe>");
  SameLineIfFits(2 * copy_w + ImGui::GetStyle().ItemSpacing.x, 16);
  ImGui::PushItemWidth(copy_w);
  ImGui::BeginGroup();
  if (CopyButton(app, "Share link", "Copied link", "share", copy_w)) copy_to_clipboard(app, page_link(app), "share");
  ImGui::SameLine();
  if (CopyButton(app, "Embed", "Copied <iframe>", "embed", copy_w)) copy_to_clipboard(app, embed_snippet(app), "embed");
  ImGui::EndGroup();
  ImGui::PopItemWidth();
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
  draw_share_buttons(app);
  ImGui::EndChild();
}

// A lab that is not built yet says so plainly, in a student's words: what it will teach (its
// summary) and what to open meanwhile. No mock-ups, no fake numbers.
void draw_not_built(const AppState& app, const LabRow& lab) {
  LabHeading(app.fonts.heading, lab.title, nullptr);
  ImGui::Separator();
  ImGui::Spacing();
  ImGui::TextUnformatted("This lab is coming soon. What it will teach:");
  ImGui::Indent();
  ImGui::TextWrapped("%s", lab.summary);
  ImGui::Unindent();
  ImGui::Spacing();
  MutedText(
      "Meanwhile, the Linear classifier lab shows the model such a lab builds on (scores s = Wx + b, "
      "trained live), and MNIST data (under DATA) shows the handwritten digits every lab learns from.");
}

// The "Try this" panel above the lab, for every lab whose row lists tasks; a click on its header
// is remembered for the next visit.
void draw_try_this(AppState& app, LiveLab& live) {
  if (!app.show_try || live.row->try_this.empty()) return;
  if (!live.try_sized) {
    live.try_sized = true;
    if (!live.try_stored && ImGui::GetIO().DisplaySize.y < kTryOpenMinHeight) live.try_open = false;
  }
  if (!TryThis(live.row->try_this, live.try_open, live.probes) || !app.host.store) return;
  const uint8_t byte = live.try_open ? '1' : '0';
  std::string error;
  if (!app.host.store(try_open_key(*live.row), std::span(&byte, 1), error))
    app.host.warn("the Try this panel state was not stored: " + error);
}

// [SECTION] status bar ------------------------------------------------------------------------

// The status bar speaks to students: what data is loaded and what is loading, in one line of
// small text. What developers want to see (FPS, kernels, version) is in the About window.
void draw_status_bar(AppState& app) {
  if (app.fonts.small) ImGui::PushFont(app.fonts.small);
  std::string line = data_summary(app.data);
  for (const LiveLab& live : app.labs)
    if (!live.activity.empty()) line += "  ·  " + live.activity;
  ImGui::TextUnformatted(line.c_str());
  if (!app.data.loading_set.empty() && app.data.bytes_total > 0) {
    ImGui::SameLine();
    ImGui::ProgressBar(app.data.progress(),
                       ImVec2(std::min(120.0f, ImGui::GetContentRegionAvail().x * 0.3f), ImGui::GetTextLineHeight()),
                       "");
  }
  if (app.data.status == DataStatus::Failed) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "(%s)", app.data.error.c_str());
  }
  // "About" at the right end of the line (or after the text, when the line is full).
  const char* about = "About";
  const float about_w = ImGui::CalcTextSize(about).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - about_w));
  if (ImGui::SmallButton(about)) app.show_about = !app.show_about;
  if (app.fonts.small) ImGui::PopFont();
}

// Version, the SIMD kernels that really run (natively CPUID picks AVX-512, AVX2 or the SSE2
// baseline), frame rate, platform, licence and where the source lives.
void draw_about(AppState& app) {
  if (!app.show_about) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->WorkSize.x - 16, vp->WorkSize.y - 16));
  const ImGuiWindowFlags flags =
      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse;
  if (!ImGui::Begin("About Image Model Playground", &app.show_about, flags)) return ImGui::End();
  static const std::string kernels = active_kernels();
  ImGui::PushTextWrapPos(std::min(ImGui::GetFontSize() * 26.0f, vp->WorkSize.x - 48));
  ImGui::Text("Image Model Playground v%s", IMPLAY_VERSION);
  ImGui::Text("Running on %s", app.host.platform_name.c_str());
  ImGui::Text("SIMD kernels: %s", kernels.c_str());
  ImGui::Text("%.0f frames per second", double(ImGui::GetIO().Framerate));
  ImGui::Spacing();
  MutedText(
      "Free software under the MIT licence. The source code, its tests and the lecture notes "
      "each lab follows come with the playground; the README says how to build it.");
  ImGui::PopTextWrapPos();
  ImGui::End();
}

// [SECTION] layout report ---------------------------------------------------------------------

// Scrolling lists, where a scrollbar of their own is the point: (short) child window names.
constexpr std::string_view kScrollingLists[] = {"examples"};

// "Image Model Playground/lab_1234ABCD/controls_5678EF01" → "controls".
std::string short_window_name(const ImGuiWindow& w) {
  std::string_view name = w.Name;
  if (const size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (const size_t id = name.rfind('_'); id != std::string_view::npos) name = name.substr(0, id);
  return std::string(name);
}

void measure_children(const ImGuiWindow& parent, LayoutReport& report) {
  for (const ImGuiWindow* child : parent.DC.ChildWindows) {
    // A child scrolled out of sight skips its items this frame (ImGui hides a fully clipped
    // child), so its sizes are stale: the fit test scrolls to it and measures it there.
    if (!child->Active || child->SkipItems) continue;
    const std::string name = short_window_name(*child);
    if (child->ScrollMax.x > report.overflow_x) report.overflow_x = child->ScrollMax.x, report.widest = name;
    const bool list =
        std::find(std::begin(kScrollingLists), std::end(kScrollingLists), name) != std::end(kScrollingLists);
    if ((child->ScrollbarX || child->ScrollbarY) && !list) report.nested_scrollbars.push_back(name);
    if (child->ScrollMax.y > 0.5f && !child->ScrollbarY) report.clipped.push_back(name);
    measure_children(*child, report);
  }
}

// Call inside the lab child, after the lab drew. ImGui sized every window at its Begin from
// the content of the frame before, so the report lags one frame (tests wait for frames).
LayoutReport measure_lab_region() {
  const ImGuiWindow& lab = *ImGui::GetCurrentWindow();
  LayoutReport report;
  report.region_w = lab.InnerRect.GetWidth() - 2 * lab.WindowPadding.x;
  report.region_h = lab.InnerRect.GetHeight() - 2 * lab.WindowPadding.y;
  report.overflow_x = lab.ScrollMax.x;
  if (report.overflow_x > 0) report.widest = "lab";
  report.scroll_y = lab.Scroll.y;
  report.scroll_max_y = lab.ScrollMax.y;
  measure_children(lab, report);
  return report;
}

// Update, then draw: the current lab advances its jobs and refreshes what it shows before any
// of its ImGui calls; the others only keep their background jobs running.
void update_and_draw_labs(AppState& app) {
  const auto t0 = Clock::now();
  for (size_t i = 0; i < app.labs.size(); ++i) {
    LiveLab& live = app.labs[i];
    if (!live.lab) continue;
    live.activity.clear();
    LabContext ctx = context_of(app, live);
    if (i == app.current)
      live.lab->update(ctx);
    else
      live.lab->background(ctx);
  }
  app.frame_times.update_ms[app.frame_times.count % kFrameTimeSamples] = float(ms_since(t0));
  LiveLab& current = app.labs[app.current];
  if (!current.lab) return draw_not_built(app, *current.row);
  draw_try_this(app, current);
  if (app.address.locked) MutedText("Settings locked by the course page.");
  LabContext ctx = context_of(app, current);
  current.lab->draw(ctx);
}

}  // namespace

// [SECTION] frame -----------------------------------------------------------------------------

void Frame(AppState& app) {
  const auto t0 = Clock::now();
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
  // One row of small text (a small button's height) and the spacing above it.
  const float status_height = font_px(app.fonts.small) + ImGui::GetStyle().ItemSpacing.y;
  if (app.embed) {
    app.nav_rects.clear();
  } else if (vp->WorkSize.x < kNarrowWidth) {
    draw_compact_navigation(app);
  } else {
    draw_navigation(app, -status_height);
    ImGui::SameLine();
  }
  // No horizontal scrollbar: a lab fits the width it gets (layout report, tests/browser/fit).
  // NavFlattened: Tab and the arrows reach the lab's controls without entering the child first.
  ImGui::BeginChild("lab", ImVec2(0, -status_height), true, ImGuiWindowFlags_NavFlattened);
  ImGui::PushTextWrapPos(0.0f);  // text wraps at the region's edge rather than running off it
  update_and_draw_labs(app);
  if (app.embed) draw_open_full_page(app);
  ImGui::PopTextWrapPos();
  app.layout = measure_lab_region();
  ImGui::EndChild();
  draw_status_bar(app);
  ImGui::End();
  draw_about(app);
  sync_address(app);
  app.frame_times.frame_ms[app.frame_times.count++ % kFrameTimeSamples] = float(ms_since(t0));
}

// [SECTION] state for tests -------------------------------------------------------------------

namespace {

// The current lab's "Try this" panel: whether it is drawn and open, how many tasks it lists,
// (its rectangles are the lab's probes "try" and "try_header").
nlohmann::json try_json(const AppState& app) {
  const LiveLab& live = app.labs[app.current];
  return {{"shown", app.show_try && live.lab && !live.row->try_this.empty()},
          {"open", live.try_open},
          {"tasks", live.row->try_this.size()}};
}

// The control keyboard navigation is on (ImGui's nav id), as a rectangle like the probes', or
// null when none is: what a keyboard-only test walks to.
nlohmann::json focus_json() {
  const ImGuiContext& g = *GImGui;
  if (!g.NavWindow || g.NavId == 0) return nullptr;
  const ImRect r = ImGui::WindowRectRelToAbs(g.NavWindow, g.NavWindow->NavRectRel[g.NavLayer]);
  return {{"x", r.Min.x}, {"y", r.Min.y}, {"w", r.GetWidth()}, {"h", r.GetHeight()}};
}

// The median, the 90th percentile and the largest of the newest frames' times (ms), and how many
// frames they cover.
nlohmann::json frame_times_json(const FrameTimes& t) {
  const int n = int(std::min<long long>(t.count, kFrameTimeSamples));
  auto summary = [n](const float* ms) -> nlohmann::json {
    if (n == 0) return {{"median", 0}, {"p90", 0}, {"max", 0}};
    std::vector<float> v(ms, ms + n);
    std::sort(v.begin(), v.end());
    return {{"median", v[size_t(n / 2)]}, {"p90", v[size_t(n * 9 / 10)]}, {"max", v.back()}};
  };
  return {{"frames", n}, {"update_ms", summary(t.update_ms)}, {"frame_ms", summary(t.frame_ms)}};
}

}  // namespace

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
            {"compute", frame_times_json(app.frame_times)},
            {"focus", focus_json()},
            {"typing", ImGui::GetIO().WantTextInput},  // a text field has the keyboard
            {"simd", kWasmSimd},
            {"kernels", active_kernels()},
            {"data",
             {{"set", app.data.loaded_set},
              {"train", app.data.train.count},
              {"test", app.data.test.count},
              {"loading", app.data.loading_set},
              {"error", app.data.error}}},
            {"nav", nav},
            {"layout",
             {{"region", {{"w", app.layout.region_w}, {"h", app.layout.region_h}}},
              {"overflow_x", app.layout.overflow_x},
              {"widest", app.layout.widest},
              {"nested_scrollbars", app.layout.nested_scrollbars},
              {"clipped", app.layout.clipped},
              {"scroll_y", app.layout.scroll_y},
              {"scroll_max_y", app.layout.scroll_max_y}}},
            {"about_open", app.show_about},
            {"try", try_json(app)},
            {"url", app.address.query},
            {"copied", app.address.copied},
            {"locked", app.address.locked},
            {"hidden", app.address.hidden}};
  json frame;
  app.frame_probes.write_to(frame);
  j["frame"] = frame.is_null() ? json::object() : frame;
  for (const ImVec4& r : lab_tab_rects()) j["tabs"].push_back({{"x", r.x}, {"y", r.y}, {"w", r.z}, {"h", r.w}});
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
