// typing_hint.cpp — see typing_hint.hpp. ImGui calls ImGuiTestEngineHook_ItemInfo at the end
// of every widget; sliders and drags are the items that take typed input (ImGuiItemFlags_
// Inputable) without being a text field (which sets the text cursor when hovered).
#include "app/widgets/typing_hint.hpp"

#include "imgui.h"
#include "imgui_internal.h"

namespace implay::app {
namespace {

ImGuiID g_hovered_slider = 0;  // the slider or drag under the pointer this frame

}  // namespace

void EnableTypingHint() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void ShowTypingHint() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool resting = g_hovered_slider != 0 && g.HoveredId == g_hovered_slider && g.HoveredIdTimer > 0.4f;
  g_hovered_slider = 0;
  if (!resting || g.ActiveId != 0) return;
  ImGui::BeginTooltip();  // appends to a tooltip the lab already opened for this slider
  ImGui::TextDisabled("Ctrl+click to type a value");
  ImGui::EndTooltip();
}

}  // namespace implay::app

// [SECTION] ImGui's item hooks ----------------------------------------------------------------

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect&, ImGuiID) {}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char*, ImGuiItemStatusFlags) {
  const ImGuiItemFlags flags = ctx->LastItemData.InFlags;
  const bool takes_typing = (flags & ImGuiItemFlags_Inputable) && !(flags & ImGuiItemFlags_Disabled);
  if (takes_typing && id == ctx->HoveredId && ctx->MouseCursor != ImGuiMouseCursor_TextInput)
    implay::app::g_hovered_slider = id;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return ""; }
