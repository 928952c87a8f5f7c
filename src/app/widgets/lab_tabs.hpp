// lab_tabs.hpp — the widgets every lab frame shares: the tab bar whose tab the URL can select,
// a combo over an enum's values, and the one style of error text. They draw; they compute
// nothing (see app/lab.hpp for what a lab is).
#pragma once
#include <span>
#include <string>
#include <vector>

#include "imgui.h"

namespace implay::app {

// Draws a lab's tab bar (`names` in tab order) and updates `tab` from the student's clicks.
// While `select` is set (a URL named the tab) that tab is selected and `select` is cleared.
// Draw the content of `tab` after the call. Returns false when the bar is not visible.
bool LabTabs(const char* id, std::span<const char* const> names, int& tab, bool& select);

// The headers of the tab bar LabTabs drew last, (x, y, w, h) in CSS pixels per tab, for browser
// tests that click or tap a tab like a person (state_json's "tabs").
const std::vector<ImVec4>& lab_tab_rects();

template <class Tab>
bool LabTabs(const char* id, std::span<const char* const> names, Tab& tab, bool& select) {
  int t = int(tab);
  const bool visible = LabTabs(id, names, t, select);
  tab = Tab(t);
  return visible;
}

// One entry of an EnumCombo: the value and what the student reads.
template <class E>
struct EnumChoice {
  E value;
  const char* label;
};

// A combo whose entries are enum values; true when the student picked another one. A value
// missing from `choices` shows as the first entry until one is picked.
template <class E>
bool EnumCombo(const char* label, E& value, std::span<const EnumChoice<E>> choices) {
  int index = 0;
  for (size_t i = 0; i < choices.size(); ++i)
    if (choices[i].value == value) index = int(i);
  auto getter = [](void* data, int i, const char** out) {
    *out = static_cast<const EnumChoice<E>*>(data)[i].label;
    return true;
  };
  if (!ImGui::Combo(label, &index, getter, const_cast<EnumChoice<E>*>(choices.data()), int(choices.size())))
    return false;
  const bool changed = choices[size_t(index)].value != value;
  value = choices[size_t(index)].value;
  return changed;
}

// An error message in the error colour, wrapped to the space it has (a file name can be long).
void ErrorText(const std::string& message);

}  // namespace implay::app
