// main.cpp — window, GL context and the main loop of the playground. Natively an SDL2 window
// with OpenGL 3.3; in the browser SDL2 on the page's canvas with WebGL2, the canvas following
// the page size and devicePixelRatio. Every frame calls app::Frame once.
#include <SDL.h>

#include <cmath>
#include <cstdio>

#include "app/app.hpp"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
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

struct Platform {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  implay::app::AppState app;
  float font_scale = 0;  // the devicePixelRatio the font atlas was rasterized for
  int css_width = 0, css_height = 0;
  bool quit = false;
  bool first_frame_reported = false;
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
void follow_canvas_size(Platform& p) {
  double w = 0, h = 0;
  emscripten_get_element_css_size("#canvas", &w, &h);
  const int iw = int(std::lround(w)), ih = int(std::lround(h));
  if (iw > 0 && ih > 0 && (iw != p.css_width || ih != p.css_height)) {
    p.css_width = iw;
    p.css_height = ih;
    SDL_SetWindowSize(p.window, iw, ih);
  }
}
#endif

void frame(void* arg) {
  Platform& p = *static_cast<Platform*>(arg);
#ifdef __EMSCRIPTEN__
  follow_canvas_size(p);
#endif
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
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
  const float scale = framebuffer_scale(p.window);
  if (std::fabs(scale - p.font_scale) > 0.01f && scale > 0.25f) {
    build_fonts(p, scale);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  implay::app::Frame(p.app);
  ImGui::Render();

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
  io.IniFilename = nullptr;  // no imgui.ini: the layout is fixed, state comes from the URL
  implay::app::apply_theme(ImGui::GetStyle());
  ImGui_ImplSDL2_InitForOpenGL(p->window, p->gl);
  ImGui_ImplOpenGL3_Init(glsl_version);
  build_fonts(*p, framebuffer_scale(p->window));

  implay::platform::install_host(p->app);
  implay::app::init_app(p->app, implay::platform::initial_query(argc, argv));
  implay::platform::load_initial_data(p->app);

#ifdef __EMSCRIPTEN__
  emscripten_set_main_loop_arg(frame, p, 0, false);
#else
  while (!p->quit) frame(p);
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
