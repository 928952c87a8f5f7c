// app.hpp — the whole application state and the one function that draws a frame.
// platform/main.cpp owns the window and calls Frame(AppState&) once per frame, natively and
// in the browser. The labs are rows of the registry (app/lab.hpp); this file names none of them.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/data_state.hpp"
#include "app/host.hpp"
#include "app/lab.hpp"
#include "app/probes.hpp"
#include "app/theme.hpp"

namespace implay::app {

// A navigation entry's rectangle in CSS pixels, for browser tests that click like a person.
struct NavRect {
  std::string key;
  float x, y, w, h;
};

// What the lab frame measured after drawing the current lab (CSS px), for the fit test: the
// lab must fit its region's width, and only the region as a whole may scroll (vertically).
struct LayoutReport {
  float region_w = 0, region_h = 0;            // the lab region's visible content size
  float overflow_x = 0;                        // widest content beyond its window, in the lab or a child
  std::string widest;                          // that window's (short) name ("lab" for the region)
  std::vector<std::string> nested_scrollbars;  // child windows showing a scrollbar of their own
  std::vector<std::string> clipped;            // child windows cutting off content without a scrollbar
  float scroll_y = 0, scroll_max_y = 0;        // the lab region's vertical scroll and its end
};

// One registry row brought to life: the lab's state and its probes.
struct LiveLab {
  const LabRow* row;
  std::unique_ptr<Lab> lab;  // null for a lab that is not built yet
  Probes probes;
  std::string activity;     // LabContext::activity of this frame
  bool try_open = true;     // its "Try this" panel; remembered in host storage (app.cpp)
  bool try_stored = false;  // try_open came from a stored click, which the window size never overrides
  bool try_sized = false;   // the first frame that drew the panel fitted try_open to the window
};

// What a link asks of the view besides the lab's settings, and the address kept in step with it.
struct AddressState {
  std::vector<std::string> hidden;  // hide=: panels left out (the lab's UrlTable panels, "try")
  bool locked = false;              // lock=1: the lab's settings are read-only
  std::string query;                // the query last handed to host.replace_query
  std::string copied;               // what Share or Embed put on the clipboard last
  std::string copied_by;            // "share" or "embed"
  double copied_at = -1;            // ImGui time of that copy, for the "Copied" feedback
};

// The CPU time of the last frames' Frame (the labs' updates and the UI they build; the GL
// rendering after it is not counted): what bench/browser/nn_frame_run.mjs reads as the per-frame
// compute budget. A ring of the newest kFrameTimeSamples frames.
inline constexpr int kFrameTimeSamples = 120;
struct FrameTimes {
  float update_ms[kFrameTimeSamples] = {};  // the labs' update and background hooks
  float frame_ms[kFrameTimeSamples] = {};   // the whole of Frame, the updates included
  long long count = 0;                      // frames recorded in all
};

struct AppState {
  Host host;
  Fonts fonts;
  DataState data;
  std::vector<LiveLab> labs;       // in registry order, made by init_app
  size_t current = 0;              // index into labs
  bool embed = false;              // ?embed=1: no navigation, for iframes in course pages
  std::vector<NavRect> nav_rects;  // filled every frame the navigation is drawn
  LayoutReport layout;             // measured every frame (Frame)
  bool show_about = false;         // the About window (version, kernels, FPS, licence)
  bool show_try = true;            // false: no "Try this" panel (an embed's hide=try)
  AddressState address;
  Probes frame_probes;  // the frame's own controls (share, embed, open_full)
  FrameClock clock;
  FrameTimes frame_times;
  // Idling (platform/main.cpp): keep_awake asks for the next frame (set by labs during a frame
  // and by the page's callbacks between frames); idle is true while frames are skipped.
  bool keep_awake = false;
  bool idle = false;
};

// Makes every lab, applies URL parameters (lab, embed, the current lab's settings) and warns
// through host.warn about unknown or invalid ones. Call once after the host is set up.
void init_app(AppState& app, std::string_view query);

// A file the user picked after host.open_file(purpose, …): handed to the lab that asked.
void on_file_opened(AppState& app, const std::string& purpose, const std::string& name, std::span<const uint8_t> bytes);

// The query that reproduces the view: ?lab=…, the lab's settings that differ from its defaults,
// embed, hide, lock. Frame hands it to host.replace_query whenever it changes.
std::string current_query(const AppState& app);

// Every lab's URL table and the frame's panels, as JSON (window.implay.urlTable(), the docs test).
std::string url_tables_json(const AppState& app);

// Draws one frame of the whole UI.
void Frame(AppState& app);

// The state the browser tests read: current lab, navigation visibility and rects, data, and
// every lab's state_json and probes under its key.
std::string state_json(const AppState& app);

}  // namespace implay::app
