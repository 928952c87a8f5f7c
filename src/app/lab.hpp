// lab.hpp — what a lab is to the app: a row of the lab registry (app/labs/registry.cpp) with
// its key, titles and hooks, and the LabContext every hook receives. A lab sees the host, the
// fonts, the shared MNIST data, the frame clock and its own probes — never the AppState, so a
// lab cannot reach into another. docs/ARCHITECTURE.md walks through adding a lab.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/data_state.hpp"
#include "app/host.hpp"
#include "app/probes.hpp"
#include "app/theme.hpp"
#include "app/url_table.hpp"

namespace implay::app {

// Time as the frame sees it; labs use it for animation and for their per-frame compute budget.
struct FrameClock {
  long long frame = 0;  // frames drawn so far, this one included
  double seconds = 0;   // ImGui's time since start
  double delta = 0;     // seconds since the previous frame
};

struct LabContext {
  Host& host;
  const Fonts& fonts;
  DataState& data;  // MNIST, shared by every lab (the data lab loads the full sets)
  const FrameClock& clock;
  Probes& probes;  // this lab's named rectangles for browser tests
  // What the lab is running, in students' words ("training NADE 40 %"), for the status bar:
  // set it in update or background while a job runs; the app clears it every frame.
  std::string& activity;
  // hide= and lock=1 of a course page's link: the panels to leave out, read-only settings.
  const std::vector<std::string>* hidden = nullptr;
  bool locked = false;
  // False for a panel hide= named (the names are the lab's UrlTable panels).
  bool shown(const char* panel) const {
    if (hidden)
      for (const std::string& h : *hidden)
        if (h == panel) return false;
    return true;
  }
  bool* awake = nullptr;  // AppState::keep_awake

  // A job advanced (training, cross-validation, a download) or something moves: draw the next
  // frame even if no input comes. Without it the app stops drawing about a second after the
  // last input (platform/main.cpp's idling).
  void keep_awake() const {
    if (awake) *awake = true;
  }
};

// A file the user picked after host.open_file(purpose, …).
struct OpenedFile {
  const std::string& purpose;  // what the lab asked for, e.g. "sketches"
  const std::string& name;
  std::span<const uint8_t> bytes;
};

// The hooks of a lab with state `State`; every one but draw is optional. The app calls, per
// frame, update (advance jobs, refresh derived results; no ImGui calls) and then draw.
template <class State>
struct LabHooks {
  const UrlTable<State>& (*url_table)() = nullptr;    // the settings the address holds, its panels
  void (*apply_url)(State&, UrlParams&) = nullptr;    // after the table's reader: fix-ups across settings
  void (*start)(State&, LabContext&) = nullptr;       // once, after the URL (e.g. stored sketches)
  void (*update)(State&, LabContext&) = nullptr;      // every frame the lab is shown, before draw
  void (*background)(State&, LabContext&) = nullptr;  // every frame it is not shown (jobs keep running)
  void (*draw)(State&, LabContext&) = nullptr;
  nlohmann::json (*state_json)(const State&) = nullptr;               // what browser tests read
  bool (*on_file)(State&, LabContext&, const OpenedFile&) = nullptr;  // true: the file was this lab's
};

// One live lab: its state behind the hooks. Made by the registry row's `make`.
class Lab {
 public:
  virtual ~Lab() = default;
  virtual void apply_url(UrlParams& params) = 0;
  virtual void write_url(std::string& query) const = 0;  // appends the settings that differ from defaults
  virtual nlohmann::json url_table_json() const = 0;     // {settings: [...], panels: [...]}
  virtual nlohmann::json url_values_json() const = 0;    // {key: value as the address spells it}
  virtual std::vector<std::string> panel_names() const = 0;
  virtual void start(LabContext& ctx) = 0;
  virtual void update(LabContext& ctx) = 0;
  virtual void background(LabContext& ctx) = 0;
  virtual void draw(LabContext& ctx) = 0;
  virtual nlohmann::json state_json() const = 0;
  virtual bool on_file(LabContext& ctx, const OpenedFile& file) = 0;
};

template <class State>
class LabOf final : public Lab {
 public:
  explicit LabOf(LabHooks<State> hooks) : hooks_(hooks) {}
  void apply_url(UrlParams& params) override {
    if (hooks_.url_table) apply_url_table(hooks_.url_table(), state_, params);
    if (hooks_.apply_url) hooks_.apply_url(state_, params);
  }
  void write_url(std::string& query) const override {
    if (hooks_.url_table) write_url_table(hooks_.url_table(), state_, query);
  }
  nlohmann::json url_table_json() const override {
    return hooks_.url_table
               ? app::url_table_json(hooks_.url_table())
               : nlohmann::json{{"settings", nlohmann::json::array()}, {"panels", nlohmann::json::array()}};
  }
  nlohmann::json url_values_json() const override {
    return hooks_.url_table ? app::url_values_json(hooks_.url_table(), state_) : nlohmann::json::object();
  }
  std::vector<std::string> panel_names() const override {
    std::vector<std::string> out;
    if (hooks_.url_table)
      for (const UrlPanel& p : hooks_.url_table().panels) out.push_back(p.name);
    return out;
  }
  void start(LabContext& ctx) override {
    if (hooks_.start) hooks_.start(state_, ctx);
  }
  void update(LabContext& ctx) override {
    if (hooks_.update) hooks_.update(state_, ctx);
  }
  void background(LabContext& ctx) override {
    if (hooks_.background) hooks_.background(state_, ctx);
  }
  void draw(LabContext& ctx) override { hooks_.draw(state_, ctx); }
  nlohmann::json state_json() const override {
    return hooks_.state_json ? hooks_.state_json(state_) : nlohmann::json::object();
  }
  bool on_file(LabContext& ctx, const OpenedFile& file) override {
    return hooks_.on_file && hooks_.on_file(state_, ctx, file);
  }

 private:
  LabHooks<State> hooks_;
  State state_;
};

enum class LabGroup { Labs, Data };  // the navigation's two headings

// A row of the registry. `make` is empty for a lab that is not built yet: the navigation keeps
// its place and the lab says so plainly.
struct LabRow {
  const char* key;      // the URL value: ?lab=knn; also the lab's key in state_json
  const char* title;    // in the navigation
  const char* summary;  // one sentence under the title (the navigation's tooltip)
  int step;             // the roadmap step that builds it
  LabGroup group = LabGroup::Labs;
  std::function<std::unique_ptr<Lab>()> make;
  // The "Try this" panel the lab opens with: 3–5 tasks tied to the lecture, each saying what to
  // look for. The frame draws it before the lab (app.cpp), so a new lab only lists its tasks.
  std::span<const char* const> try_this = {};
};

// A registry row for a lab with state `State` and its hooks.
template <class State>
LabRow lab_row(const char* key, const char* title, const char* summary, int step, LabHooks<State> hooks,
               LabGroup group = LabGroup::Labs) {
  return {key, title, summary, step, group, [hooks] { return std::make_unique<LabOf<State>>(hooks); }};
}

// The labs in navigation order (app/labs/registry.cpp: the one place that names them all).
const std::vector<LabRow>& lab_registry();

}  // namespace implay::app
