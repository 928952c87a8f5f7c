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

// One registry row brought to life: the lab's state and its probes.
struct LiveLab {
  const LabRow* row;
  std::unique_ptr<Lab> lab;  // null for a lab that is not built yet
  Probes probes;
};

struct AppState {
  Host host;
  Fonts fonts;
  DataState data;
  std::vector<LiveLab> labs;       // in registry order, made by init_app
  size_t current = 0;              // index into labs
  bool embed = false;              // ?embed=1: no navigation, for iframes in course pages
  std::vector<NavRect> nav_rects;  // filled every frame the navigation is drawn
  FrameClock clock;
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

// Draws one frame of the whole UI.
void Frame(AppState& app);

// The state the browser tests read: current lab, navigation visibility and rects, data, and
// every lab's state_json and probes under its key.
std::string state_json(const AppState& app);

}  // namespace implay::app
