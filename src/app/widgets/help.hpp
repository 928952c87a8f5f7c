// help.hpp — small text widgets shared by the labs: "(?)" help markers, headings, notes.
#pragma once
#include "imgui.h"

namespace implay::app {

// A greyed "(?)" that shows `text` in a tooltip when hovered (ImGui's demo HelpMarker) and in
// a popup when clicked or tapped, so it is reachable without hover (touch screens).
void HelpMarker(const char* text);

// A lab title in the heading font with a one-line muted subtitle.
void LabHeading(ImFont* heading_font, const char* title, const char* subtitle);

// Wrapped text in the muted colour.
void MutedText(const char* text);

// A heading with a rule under it, for the sections of a tab (ImGui 1.86 has no SeparatorText).
void SectionTitle(const char* text);

}  // namespace implay::app
