// probes.hpp — what browser tests need to find on screen: a lab names the rectangles of the
// controls a test clicks ("canvas", "train_nade") while drawing them, and the app writes them
// into window.implay.state() next to the lab's state_json. Lab state holds no test fields.
#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace implay::app {

class Probes {
 public:
  // The last ImGui item's rectangle, in CSS pixels, under `name`.
  void item(const std::string& name) { rect(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }
  void rect(const std::string& name, ImVec2 min, ImVec2 max) {
    rects_[name] = {{"x", min.x}, {"y", min.y}, {"w", max.x - min.x}, {"h", max.y - min.y}};
  }
  // Adds every rectangle seen so far to `out` (an object): out[name] = {x, y, w, h}. A rectangle
  // keeps its last position while its control is hidden, as a person's memory would.
  void write_to(nlohmann::json& out) const {
    for (const auto& [name, r] : rects_) out[name] = r;
  }

 private:
  std::map<std::string, nlohmann::json> rects_;
};

}  // namespace implay::app
