// typing_hint.hpp — "Ctrl+click to type a value" under every slider and drag the pointer rests
// on, without a line in any lab: ImGui's per-item hooks (IMGUI_ENABLE_TEST_ENGINE) tell which
// hovered item takes typed values. typing_hint.cpp defines those hooks.
#pragma once

namespace implay::app {

// Turns the per-item hooks on; once, after ImGui::CreateContext.
void EnableTypingHint();

// Adds the hint to the tooltip (or opens one) when a slider has been hovered for a moment;
// once per frame, after the labs drew and before ImGui::Render.
void ShowTypingHint();

}  // namespace implay::app
