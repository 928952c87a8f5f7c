// theme.hpp — the look of the playground: fonts, the ImGui style, and the class colours every
// lab shares (Okabe–Ito, distinguishable with the common colour-vision deficiencies).
#pragma once
#include "imgui.h"

namespace implay::app {

struct Fonts {
  ImFont* body = nullptr;     // 15 px text
  ImFont* heading = nullptr;  // 22 px lab titles
  ImFont* small = nullptr;    // 13 px axis labels and captions
};

// The size in CSS pixels a font draws at (fonts are rasterized at devicePixelRatio x size).
inline float font_px(const ImFont* font) {
  return font ? font->FontSize * ImGui::GetIO().FontGlobalScale : ImGui::GetFontSize();
}

// Glyph ranges the labs use: Latin, Greek (λ, σ, Σ), punctuation (–, ·, …), arrows, maths (≤, ∞, ∘).
const ImWchar* ui_glyph_ranges();

// A light theme with comfortable spacing.
void apply_theme(ImGuiStyle& style);

// Colour of class c (0-based), cycling through the palette; alpha in [0, 1].
ImU32 class_color(int c, float alpha = 1.0f);
ImVec4 class_color_vec(int c, float alpha = 1.0f);

inline constexpr ImU32 kInkColor = IM_COL32(30, 34, 40, 255);
inline constexpr ImU32 kMutedTextColor = IM_COL32(100, 106, 116, 255);
inline constexpr ImU32 kAccentColor = IM_COL32(0, 114, 178, 255);
inline constexpr ImU32 kErrorColor = IM_COL32(191, 26, 26, 255);  // error messages (ErrorText)

}  // namespace implay::app
