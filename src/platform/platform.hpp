// platform.hpp — the platform services main.cpp wires into the app: GL textures
// (gl_textures.cpp) and the host glue (host.cpp: browser bridge or native files).
#pragma once
#include <string>

#include "app/app.hpp"

namespace implay::platform {

// Creates or refills an RGBA8 texture (nearest or, if texture.smooth, bilinear sampling).
void update_texture(app::Texture& texture, const uint32_t* rgba, int width, int height);

// Fills app.host for this platform and remembers `app` for callbacks from the page.
void install_host(app::AppState& app);

// The page's query string in the browser; natively the first command-line argument.
std::string initial_query(int argc, char** argv);

// Starts loading the default data: in the browser the page already fetches it (we only wait);
// natively the MNIST files are read from disk now.
void load_initial_data(app::AppState& app);

// Natively: a file dropped onto the window answers the last host.open_file request.
void on_dropped_file(app::AppState& app, const std::string& path);

// Called after the first frame is on screen: the page removes its loading overlay.
void first_frame_shown();

}  // namespace implay::platform
