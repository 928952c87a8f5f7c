// app.hpp — the whole application state and the one function that draws a frame.
// platform/main.cpp owns the window and calls Frame(AppState&) once per frame, natively and
// in the browser. Each lab keeps its state in its own struct, held here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/data_state.hpp"
#include "app/host.hpp"
#include "app/labs/data_lab.hpp"
#include "app/labs/knn_lab.hpp"
#include "app/labs/linear_lab.hpp"
#include "app/labs/roc_lab.hpp"
#include "app/labs/prob_lab.hpp"
#include "app/labs/sketch_lab.hpp"
#include "app/theme.hpp"

namespace implay::app {

enum class LabId { Knn, Linear, Sketch, Roc, Prob, NeuralNet, Convolution, Data, Count };

struct LabInfo {
  LabId id;
  const char* key;      // the URL value: ?lab=knn
  const char* title;    // in the navigation
  const char* summary;  // one sentence under the title
  int step;             // the roadmap step that builds it
  bool built;           // false: the lab says plainly that it is not built yet
};

// The labs in navigation order.
const std::vector<LabInfo>& all_labs();
const LabInfo& lab_info(LabId id);

// A navigation entry's rectangle in CSS pixels, for browser tests that click like a person.
struct NavRect {
  std::string key;
  float x, y, w, h;
};

struct AppState {
  Host host;
  Fonts fonts;
  LabId lab = LabId::Knn;
  bool embed = false;  // ?embed=1: no navigation, for iframes in course pages
  DataState data;
  DataLabState data_lab;
  KnnLabState knn;
  LinearLabState linear;
  RocLabState roc;
  ProbLabState prob;
  SketchLabState sketch;
  std::vector<NavRect> nav_rects;  // filled every frame the navigation is drawn
  long long frame_count = 0;
};

// Applies URL parameters (lab, embed, each lab's settings); warns through host.warn about
// unknown or invalid ones. Call once after the host is set up.
void init_app(AppState& app, std::string_view query);

// A file the user picked after host.open_file(purpose, …): handed to the lab that asked.
void on_file_opened(AppState& app, const std::string& purpose, const std::string& name, std::span<const uint8_t> bytes);

// Draws one frame of the whole UI.
void Frame(AppState& app);

// The state the browser tests read: current lab, navigation visibility and rects, data.
std::string state_json(const AppState& app);

}  // namespace implay::app
