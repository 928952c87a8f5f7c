// main.cpp — window, GL context and the main loop of the playground. Natively an SDL2 window
// with OpenGL 3.3; in the browser SDL2 on the page's canvas with WebGL2, the canvas following
// the page size and devicePixelRatio. Every frame calls app::Frame once.
#include <SDL.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <deque>
#include <vector>

#include "app/app.hpp"
#include "app/widgets/typing_hint.hpp"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "imgui_internal.h"  // the hovered window and its scroll range, for the wheel
#include "platform/platform.hpp"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#else
#include <SDL_opengl.h>
#endif

extern const unsigned char implay_ui_font[];
extern const unsigned int implay_ui_font_size;

namespace {

// [SECTION] idling ---------------------------------------------------------------------------
// Nothing changes on screen unless input arrives, the canvas changes size, the page hands the
// app data, or a lab's job runs (LabContext::keep_awake). Otherwise the loop skips the frame:
// no NewFrame, no Render, no swap. After every reason to draw it keeps drawing for a grace
// period, so hover effects, tooltips and ImGui's own settle frames (a popup sizes itself over
// two frames) complete, and a job's last refresh after it ends is drawn.

constexpr Uint32 kGraceMs = 750;
constexpr int kGraceFrames = 10;  // on a slow machine 750 ms may be only a few frames

struct Idling {
  Uint32 awake_until = 0;  // SDL_GetTicks() until which frames are drawn
  int frames_left = 0;     // and at least this many more frames
};

void wake(Idling& idle) {
  idle.awake_until = SDL_GetTicks() + kGraceMs;
  idle.frames_left = kGraceFrames;
}

bool should_draw(Idling& idle) {
  if (idle.frames_left > 0) {
    --idle.frames_left;
    return true;
  }
  return !SDL_TICKS_PASSED(SDL_GetTicks(), idle.awake_until);  // until the grace period is over
}

// Called by SDL as each event is queued, from the browser's event handler: the state the tests
// read says "not idle" at once, before the next frame takes the event.
// SDL_POLLSENTINEL is SDL's own marker, queued by every SDL_PollEvent loop: not input.
int on_event_queued(void* userdata, SDL_Event* event) {
  if (event->type != SDL_POLLSENTINEL) static_cast<implay::app::AppState*>(userdata)->idle = false;
  return 0;
}

// [SECTION] pointer -------------------------------------------------------------------------
// ImGui 1.86 decides what is hovered from the pointer position at the start of a frame, and a
// press only acts on what was hovered. A tap, or a click without a hover first, brings the
// move, the press and often the release within one frame: the press then lands on whatever the
// pointer was over before. So presses are fed one frame after the position they happen at,
// and a release one frame after its press; the mouse and SDL's touch-emulated mouse alike.

struct PointerEvent {
  enum Kind { Move, Down, Up, Leave } kind;
  int button = 0;  // 0 left, 1 right, 2 middle (ImGui's order)
  ImVec2 pos;
};

struct Pointer {
  std::deque<PointerEvent> queue;           // not yet fed to ImGui, oldest first
  ImVec2 pos = ImVec2(-FLT_MAX, -FLT_MAX);  // what ImGui sees
  bool down[3] = {false, false, false};
};

int imgui_button(Uint8 sdl_button) {
  switch (sdl_button) {
    case SDL_BUTTON_LEFT: return 0;
    case SDL_BUTTON_RIGHT: return 1;
    case SDL_BUTTON_MIDDLE: return 2;
    default: return -1;
  }
}

void queue_pointer_event(Pointer& pointer, const SDL_Event& e) {
  if (e.type == SDL_MOUSEMOTION) {
    pointer.queue.push_back({PointerEvent::Move, 0, ImVec2(float(e.motion.x), float(e.motion.y))});
  } else if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP) {
    const int b = imgui_button(e.button.button);
    if (b < 0) return;
    const auto kind = e.type == SDL_MOUSEBUTTONDOWN ? PointerEvent::Down : PointerEvent::Up;
    pointer.queue.push_back({kind, b, ImVec2(float(e.button.x), float(e.button.y))});
  } else if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_LEAVE) {
    pointer.queue.push_back({PointerEvent::Leave, 0, ImVec2(-FLT_MAX, -FLT_MAX)});
  }
}

// Takes queued events up to the first one that must wait for the next frame, and sets ImGui's
// pointer from them (after the SDL backend's NewFrame, which would read SDL's latest state).
// Per frame: a press only where ImGui already saw the pointer, one change per button (so a
// quick click or a double click is seen as presses and releases), no move after a press (the
// press is seen where it happened).
void feed_pointer(Pointer& pointer, ImGuiIO& io) {
  const ImVec2 seen = pointer.pos;  // what ImGui saw last frame
  bool changed[3] = {false, false, false};
  bool pressed = false;
  while (!pointer.queue.empty()) {
    const PointerEvent& e = pointer.queue.front();
    if (e.kind == PointerEvent::Move) {
      if (pressed) break;
      pointer.pos = e.pos;
    } else if (e.kind == PointerEvent::Leave) {
      if (!pointer.down[0] && !pointer.down[1] && !pointer.down[2]) pointer.pos = e.pos;
    } else {
      if (changed[e.button]) break;
      if (e.kind == PointerEvent::Down && (e.pos.x != seen.x || e.pos.y != seen.y)) {
        pointer.pos = e.pos;  // hover there first; press in the next frame
        break;
      }
      pointer.down[e.button] = e.kind == PointerEvent::Down;
      changed[e.button] = true;
      pressed |= e.kind == PointerEvent::Down;
    }
    pointer.queue.pop_front();
  }
  io.MousePos = pointer.pos;
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = pointer.down[b];
}

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  implay::app::AppState app;
  float font_scale = 0;  // the devicePixelRatio the font atlas was rasterized for
  int css_width = 0, css_height = 0;
  bool quit = false;
  bool first_frame_reported = false;
  Idling idling;
  Pointer pointer;
  std::deque<SDL_Event> deferred_events;  // for the next frame (take_events)
};

// Fonts are rasterized at devicePixelRatio times their size and drawn at 1/ratio, so text is
// crisp on high-density screens instead of a blurry upscale.
void build_fonts(Platform& p, float pixel_ratio) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // the bytes are static, embedded at build time
  config.OversampleH = 2;
  config.OversampleV = 1;
  auto add = [&](float size) {
    return io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(implay_ui_font), int(implay_ui_font_size),
                                          std::round(size * pixel_ratio), &config, implay::app::ui_glyph_ranges());
  };
  p.app.fonts.body = add(15.0f);
  p.app.fonts.heading = add(22.0f);
  p.app.fonts.small = add(12.5f);
  io.FontGlobalScale = 1.0f / pixel_ratio;
  io.Fonts->Build();
  p.font_scale = pixel_ratio;
}

float framebuffer_scale(SDL_Window* window) {
  int w = 0, h = 0, fw = 0, fh = 0;
  SDL_GetWindowSize(window, &w, &h);
  SDL_GL_GetDrawableSize(window, &fw, &fh);
  return w > 0 ? float(fw) / float(w) : 1.0f;
}

#ifdef __EMSCRIPTEN__
// The canvas fills its container (CSS); keep SDL's window, and so the drawing buffer, in step
// with its CSS size. SDL multiplies by devicePixelRatio (SDL_WINDOW_ALLOW_HIGHDPI).
// Returns true when the size changed.
bool follow_canvas_size(Platform& p) {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  const int iw = int(std::lround(w)), ih = int(std::lround(h));
  if (iw > 0 && ih > 0 && (iw != p.css_width || ih != p.css_height)) {
    p.css_width = iw;
    p.css_height = ih;
    SDL_SetWindowSize(p.window, iw, ih);
    return true;
  }
  return false;
}
#endif

// [SECTION] wheel -----------------------------------------------------------------------------
// In a course page's iframe the wheel should scroll the page unless the pointer is over
// something that scrolls itself. SDL takes (and preventDefault()s) every wheel event on the
// canvas, so the page asks first (web/shell.js) and keeps the events the app does not want.
// The answer comes from the last frame drawn: the window under the pointer, or a parent that
// ImGui would pass the wheel to (its UpdateMouseWheel walks up the same way), can scroll.

bool g_wants_wheel = false;

bool imgui_wants_wheel() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  ImGuiWindow* window = g.WheelingWindow ? g.WheelingWindow : g.HoveredWindow;
  if (!window) return false;
  auto passes_on = [](const ImGuiWindow* w) {
    return (w->Flags & ImGuiWindowFlags_ChildWindow) &&
           (w->ScrollMax.y == 0.0f || (w->Flags & ImGuiWindowFlags_NoScrollWithMouse));
  };
  while (passes_on(window) && window->ParentWindow) window = window->ParentWindow;
  return window->ScrollMax.y > 0.0f && !(window->Flags & ImGuiWindowFlags_NoScrollWithMouse);
}

// [SECTION] frame ---------------------------------------------------------------------------

// ImGui 1.86 sees a key as down or up once a frame: a key pressed and released between two
// frames (a quick tap, or any press when frames are slow) would never be seen down. Such a
// release, and every event after it, waits for the next frame.
bool released_too_soon(const SDL_Event& event, std::vector<SDL_Scancode>& pressed) {
  if (event.type == SDL_KEYDOWN) pressed.push_back(event.key.keysym.scancode);
  return event.type == SDL_KEYUP &&
         std::find(pressed.begin(), pressed.end(), event.key.keysym.scancode) != pressed.end();
}

// The backend reads Ctrl, Shift, Alt from SDL's latest state, which is already past a deferred
// release: take them from the event, as they were when the key went down or up.
void modifiers_of_event(const SDL_Event& event, ImGuiIO& io) {
  const Uint16 mod = event.key.keysym.mod;
  io.KeyShift = (mod & KMOD_SHIFT) != 0;
  io.KeyCtrl = (mod & KMOD_CTRL) != 0;
  io.KeyAlt = (mod & KMOD_ALT) != 0;
  io.KeySuper = (mod & KMOD_GUI) != 0;
}

// Events go to ImGui's SDL backend (keys, text, wheel) and to our pointer queue; true if any came.
bool take_events(Platform& p) {
  bool any = false;
  std::deque<SDL_Event> events;
  events.swap(p.deferred_events);
  SDL_Event polled;
  while (SDL_PollEvent(&polled))
    if (polled.type != SDL_POLLSENTINEL) events.push_back(polled);
  std::vector<SDL_Scancode> pressed;
  for (const SDL_Event& event : events) {
    if (!p.deferred_events.empty() || released_too_soon(event, pressed)) {
      p.deferred_events.push_back(event);
      continue;
    }
    any = true;
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) modifiers_of_event(event, ImGui::GetIO());
    queue_pointer_event(p.pointer, event);
    if (event.type == SDL_QUIT) p.quit = true;
#ifndef __EMSCRIPTEN__
    if (event.type == SDL_DROPFILE && event.drop.file) {  // the browser picks files through the page
      implay::platform::on_dropped_file(p.app, event.drop.file);
      SDL_free(event.drop.file);
    }
#endif
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(p.window))
      p.quit = true;
  }
  return any;
}

void frame(void* arg) {
  Platform& p = *static_cast<Platform*>(arg);
  bool changed = false;
#ifdef __EMSCRIPTEN__
  changed |= follow_canvas_size(p);
#endif
  changed |= take_events(p);
  const float scale = framebuffer_scale(p.window);
  if (std::fabs(scale - p.font_scale) > 0.01f && scale > 0.25f) {
    build_fonts(p, scale);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    changed = true;
  }
  // keep_awake: a lab's job in the last frame, or the page's data callbacks since.
  if (changed || p.app.keep_awake || !p.pointer.queue.empty() || !p.deferred_events.empty() || !p.first_frame_reported)
    wake(p.idling);
  p.app.keep_awake = false;
  if (!should_draw(p.idling)) {
    p.app.idle = true;
    return;
  }
  p.app.idle = false;

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  feed_pointer(p.pointer, io);
  io.DeltaTime = std::min(io.DeltaTime, 0.1f);  // after an idle pause: no jump in ImGui's timers
  ImGui::NewFrame();
  implay::app::Frame(p.app);
  implay::app::ShowTypingHint();
  ImGui::Render();
  g_wants_wheel = imgui_wants_wheel();

  int fw = 0, fh = 0;
  SDL_GL_GetDrawableSize(p.window, &fw, &fh);
  glViewport(0, 0, fw, fh);
  glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(p.window);
  if (!p.first_frame_reported) {
    p.first_frame_reported = true;
    implay::platform::first_frame_shown();
  }
}

}  // namespace

#ifdef __EMSCRIPTEN__
// For web/shell.js: 1 when a wheel event over the canvas is the app's (something under the
// pointer scrolls), 0 when it should scroll the page.
extern "C" EMSCRIPTEN_KEEPALIVE int implay_wants_wheel() { return g_wants_wheel ? 1 : 0; }
#endif

int main(int argc, char** argv) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "implay: SDL_Init failed: %s\n", SDL_GetError());
    return 1;
  }
#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
  const char* glsl_version = "#version 330 core";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
#endif
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  auto* p = new Platform();  // lives for the whole program (the web main loop outlives main)
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  p->window =
      SDL_CreateWindow("Image Model Playground", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800, flags);
  p->gl = p->window ? SDL_GL_CreateContext(p->window) : nullptr;
  if (!p->gl) {
    std::fprintf(stderr, "implay: cannot create an OpenGL/WebGL2 context: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(p->window, p->gl);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;                              // no imgui.ini: the layout is fixed, state comes from the URL
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab, Shift+Tab, arrows, Space, Enter, Escape
  implay::app::EnableTypingHint();
  implay::app::apply_theme(ImGui::GetStyle());
  ImGui_ImplSDL2_InitForOpenGL(p->window, p->gl);
  ImGui_ImplOpenGL3_Init(glsl_version);
  build_fonts(*p, framebuffer_scale(p->window));

  implay::platform::install_host(p->app);
  implay::app::init_app(p->app, implay::platform::initial_query(argc, argv));
  implay::platform::load_initial_data(p->app);

  SDL_AddEventWatch(on_event_queued, &p->app);
#ifdef __EMSCRIPTEN__
  emscripten_set_main_loop_arg(frame, p, 0, false);
#else
  while (!p->quit) {
    frame(p);
    if (p->app.idle) SDL_WaitEventTimeout(nullptr, 100);  // sleep until input, or look again soon
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(p->gl);
  SDL_DestroyWindow(p->window);
  SDL_Quit();
  delete p;
#endif
  return 0;
}
