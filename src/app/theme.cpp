// theme.cpp — see theme.hpp.
#include "app/theme.hpp"

namespace implay::app {

const ImWchar* ui_glyph_ranges() {
  static const ImWchar ranges[] = {
      0x0020, 0x00FF,  // Basic Latin + Latin-1 (×, ±, ·, ², °)
      0x0100, 0x017F,  // Latin extended-A: ŷ
      0x0370, 0x03FF,  // Greek: λ, σ, Σ, Δ, β, α
      0x1D00, 0x1D7F,  // Phonetic extensions: subscripts ᵢ ᵧ
      0x2000, 0x206F,  // General punctuation: – — … ‖
      0x2070, 0x209F,  // Superscripts and subscripts
      0x2190, 0x21FF,  // Arrows
      0x2200, 0x22FF,  // Mathematical operators: ≤ ≥ ∞ ∑ √ ∘ ≈
      0x25A0, 0x25FF,  // Geometric shapes: ● ▲ ■
      0x2C60, 0x2C7F,  // Latin extended-C: subscript ⱼ
      0,
  };
  return ranges;
}

void apply_theme(ImGuiStyle& style) {
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(10, 8);
  style.ItemInnerSpacing = ImVec2(6, 4);
  style.ScrollbarSize = 14;
  style.GrabMinSize = 8;
  style.WindowRounding = 0;
  style.ChildRounding = 6;
  style.FrameRounding = 5;
  style.GrabRounding = 5;
  style.PopupRounding = 6;
  style.TabRounding = 5;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.85f, 0.86f, 0.88f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.12f, 0.13f, 0.16f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.91f, 0.92f, 0.94f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.86f, 0.90f, 0.96f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.88f, 0.91f, 0.96f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.76f, 0.85f, 0.96f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.62f, 0.76f, 0.94f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.80f, 0.88f, 0.98f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.86f, 0.91f, 0.98f, 1.0f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.72f, 0.83f, 0.97f, 1.0f);
  // The slider's value is drawn over its grab: a narrow, translucent grab keeps the dark digits
  // readable wherever the handle is (ImGui's solid 12 px grab hid them).
  c[ImGuiCol_SliderGrab] = ImVec4(0.0f, 0.45f, 0.70f, 0.45f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.0f, 0.36f, 0.58f, 0.60f);
  // Keyboard focus: a strong vermillion frame, distinct from the blues of hover and selection.
  c[ImGuiCol_NavHighlight] = ImVec4(0.84f, 0.37f, 0.0f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.0f, 0.45f, 0.70f, 1.0f);
  c[ImGuiCol_PlotHistogram] = ImVec4(0.0f, 0.45f, 0.70f, 1.0f);
}

ImVec4 class_color_vec(int c, float alpha) {
  // Okabe–Ito: orange, sky blue, bluish green, vermillion, reddish purple, blue, yellow, grey.
  static const ImVec4 palette[] = {
      {0.90f, 0.62f, 0.00f, 1}, {0.34f, 0.71f, 0.91f, 1}, {0.00f, 0.62f, 0.45f, 1}, {0.84f, 0.37f, 0.00f, 1},
      {0.80f, 0.47f, 0.65f, 1}, {0.00f, 0.45f, 0.70f, 1}, {0.94f, 0.89f, 0.26f, 1}, {0.50f, 0.50f, 0.50f, 1},
      {0.35f, 0.25f, 0.60f, 1}, {0.55f, 0.35f, 0.20f, 1},
  };
  const int n = int(sizeof(palette) / sizeof(palette[0]));
  ImVec4 v = palette[((c % n) + n) % n];
  v.w = alpha;
  return v;
}

ImU32 class_color(int c, float alpha) { return ImGui::ColorConvertFloat4ToU32(class_color_vec(c, alpha)); }

}  // namespace implay::app
