// host.cpp — the app's Host on each platform. In the browser: a bridge to the page's script
// (web/shell.js), which fetches and gunzips the MNIST files and calls the exported functions
// below; natively: files read from disk through data_files.hpp.
#include <cstdio>
#include <exception>

#include "platform/platform.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <cstdlib>
#else
#include "platform/data_files.hpp"
#endif


#ifdef __EMSCRIPTEN__
namespace implay::platform {
namespace {

app::AppState* g_app = nullptr;  // the page calls back into this one app

EM_JS(void, js_console_warn, (const char* message), { console.warn("[implay] " + UTF8ToString(message)); });
EM_JS(void, js_request_dataset, (const char* set), {
  if (window.implayData) window.implayData.load(UTF8ToString(set));
});
EM_JS(void, js_open_url, (const char* url), { window.open(UTF8ToString(url), "_blank", "noopener"); });
EM_JS(char*, js_location_search, (), {
  const s = window.location.search || "";
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_first_frame, (), {
  if (window.implayShell) window.implayShell.firstFrame();
});

}  // namespace

void install_host(app::AppState& app) {
  g_app = &app;
  app.host.update_texture = update_texture;
  app.host.warn = [](const std::string& m) { js_console_warn(m.c_str()); };
  app.host.request_dataset = [](const std::string& set) { js_request_dataset(set.c_str()); };
  app.host.open_url = [](const std::string& url) { js_open_url(url.c_str()); };
  app.host.platform_name = "browser (WebAssembly)";
}

std::string initial_query(int, char**) {
  char* s = js_location_search();
  std::string out(s);
  std::free(s);
  return out;
}

void load_initial_data(app::AppState& app) {
  // shell.js started fetching the default subset before the runtime was ready; it calls
  // implay_data_* as bytes arrive (or implay_data_failed).
  if (app.data.status == app::DataStatus::NotLoaded) app.data.status = app::DataStatus::Loading;
}

void first_frame_shown() { js_first_frame(); }

}  // namespace implay::platform

// Called by web/shell.js. Bytes are copied by the app; the page frees its buffer afterwards.
extern "C" {
EMSCRIPTEN_KEEPALIVE void implay_data_progress(const char* set, double received, double total) {
  if (implay::platform::g_app) implay::app::on_data_progress(implay::platform::g_app->data, set, received, total);
}
EMSCRIPTEN_KEEPALIVE void implay_data_file(const char* set, const char* file, const uint8_t* bytes, int size) {
  if (implay::platform::g_app)
    implay::app::on_data_file(implay::platform::g_app->data, set, file, {bytes, size_t(size)});
}
EMSCRIPTEN_KEEPALIVE void implay_data_failed(const char* set, const char* message) {
  if (implay::platform::g_app) implay::app::on_data_failed(implay::platform::g_app->data, set, message);
}
EMSCRIPTEN_KEEPALIVE const char* implay_state_json() {
  static std::string json;
  json = implay::platform::g_app ? implay::app::state_json(*implay::platform::g_app) : "{}";
  return json.c_str();
}
}

#else  // native

namespace implay::platform {
namespace {

void load_native(app::AppState& app, const std::string& set) {
  try {
    LabeledImages train = load_named_dataset("mnist");
    LabeledImages test = load_named_dataset("mnist-test");
    if (set == "subset") {
      train = train.first(10000);
      test = test.first(2000);
    }
    app::set_data(app.data, std::move(train), std::move(test), set);
  } catch (const std::exception& e) {
    app::on_data_failed(app.data, set, e.what());
    std::fprintf(stderr, "implay-gui: %s\n", e.what());
  }
}

}  // namespace

void install_host(app::AppState& app) {
  app.host.update_texture = update_texture;
  app.host.warn = [](const std::string& m) { std::fprintf(stderr, "implay-gui: warning: %s\n", m.c_str()); };
  app.host.request_dataset = [&app](const std::string& set) { load_native(app, set); };
  app.host.open_url = [](const std::string& url) { std::printf("%s\n", url.c_str()); };
  app.host.platform_name = "native";
}

std::string initial_query(int argc, char** argv) { return argc > 1 ? argv[1] : ""; }

void load_initial_data(app::AppState& app) { load_native(app, "subset"); }

void first_frame_shown() {}

}  // namespace implay::platform

#endif
