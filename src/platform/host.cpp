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
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/data/idx.hpp"
#include "io/data_files.hpp"
#endif

#ifdef __EMSCRIPTEN__
namespace implay::platform {
namespace {

app::AppState* g_app = nullptr;  // the page calls back into this one app

// Larger files are refused before a byte is read: a 2 GB file picked by mistake would otherwise
// fill the tab's memory. The biggest file the labs take, a full sketch set, is about 1.6 MB.
constexpr double kMaxOpenedFileBytes = 64e6;

// Every _malloc below is checked: with memory growth on, a failed one returns 0 rather than
// aborting, and writing there would corrupt the app's memory. A failure is shown on the page
// (web/shell.js's notice) with what was being loaded.
// The EM_JS bodies are JavaScript, which clang-format would rewrite as C++ (`===` as `== =`).
// clang-format off
EM_JS(void, js_console_warn, (const char* message), { console.warn("[implay] " + UTF8ToString(message)); });
EM_JS(void, js_request_dataset, (const char* set), {
  if (window.implayData) window.implayData.load(UTF8ToString(set));
});
EM_JS(void, js_open_url, (const char* url), { window.open(UTF8ToString(url), "_blank", "noopener"); });
EM_JS(char*, js_location_search, (), {
  const s = window.location.search || "";
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  if (!p) {
    window.implayShell.notice("Out of memory: the URL's settings (" + n + " bytes) were ignored.");
    return 0;
  }
  stringToUTF8(s, p, n);
  return p;
});
// The address follows the view, 300 ms after the last change: a dragged slider writes once it
// rests, and the browser's limit on history calls is never reached.
EM_JS(void, js_replace_query, (const char* query), {
  const q = UTF8ToString(query);
  clearTimeout(window.__implayQueryTimer);
  window.__implayQueryTimer = setTimeout(() => {
    try { history.replaceState(history.state, "", q + window.location.hash); }
    catch (e) { console.warn("[implay] the address could not be updated: " + e.message); }
  }, 300);
});
// navigator.clipboard needs a secure context (https, localhost) and the page's focus; a hidden
// textarea and execCommand("copy") is the fallback elsewhere (and inside some iframes).
EM_JS(void, js_copy_text, (const char* text), {
  const t = UTF8ToString(text);
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = t;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    if (!ok) console.warn("[implay] the browser refused to copy; the text was: " + t);
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(fallback);
  else fallback();
});
EM_JS(char*, js_page_url, (), {
  const s = window.location.origin + window.location.pathname;
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  if (p) stringToUTF8(s, p, n);
  return p;
});
EM_JS(void, js_first_frame, (), {
  if (window.implayShell) window.implayShell.firstFrame();
});
// localStorage holds text: bytes are kept as base64. A value that is not base64 comes back as
// its own characters, so the app's parser names it as corrupt instead of it vanishing.
EM_JS(int, js_load_stored, (const char* key, uint8_t** out), {
  let text = null;
  try { text = window.localStorage.getItem(UTF8ToString(key)); } catch (e) { return 0; }
  if (text === null) return 0;
  let bin;
  try { bin = atob(text); } catch (e) { bin = text; }
  const p = _malloc(bin.length + 1);
  if (!p) {
    window.implayShell.notice("Out of memory: the stored " + UTF8ToString(key) + " (" + bin.length + " bytes) could not be loaded.");
    return 0;
  }
  for (let i = 0; i < bin.length; ++i) HEAPU8[p + i] = bin.charCodeAt(i) & 255;
  HEAPU32[out >> 2] = p;
  return bin.length;
});
// Returns 1 when stored; otherwise 0, with the browser's reason in *message (0 when even that
// did not fit in memory).
EM_JS(int, js_store, (const char* key, const uint8_t* bytes, int size, char** message), {
  let bin = "";
  for (let i = 0; i < size; i += 8192)
    bin += String.fromCharCode.apply(null, HEAPU8.subarray(bytes + i, bytes + Math.min(size, i + 8192)));
  let reason = "";
  try { window.localStorage.setItem(UTF8ToString(key), btoa(bin)); } catch (e) { reason = String(e && e.message || e); }
  if (!reason) return 1;
  const n = lengthBytesUTF8(reason) + 1;
  const p = _malloc(n);
  if (p) stringToUTF8(reason, p, n);
  HEAPU32[message >> 2] = p;
  return 0;
});
EM_JS(void, js_save_file, (const char* name, const uint8_t* bytes, int size), {
  const blob = new Blob([HEAPU8.slice(bytes, bytes + size)], { type: "application/octet-stream" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 30000);
});
// A hidden file input, clicked while the user's click still counts as a gesture; the chosen
// file's bytes go to implay_file_opened. A file over max_bytes, one the browser cannot read
// and one that does not fit in memory are refused on the page, naming the file; the app's
// state is left as it was.
EM_JS(void, js_open_file, (const char* purpose, const char* accept, const char* kind, double max_bytes), {
  const what = UTF8ToString(purpose);
  const kindText = UTF8ToString(kind);
  const input = document.createElement("input");
  input.type = "file";
  input.accept = UTF8ToString(accept);
  input.style.display = "none";
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.remove();
    if (!file) return;
    const shell = window.implayShell;
    if (file.size > max_bytes) {
      // Just over the limit, both round alike: then count the bytes.
      const size = shell.formatBytes(file.size) === shell.formatBytes(max_bytes) ? file.size.toLocaleString("en") + " bytes"
                                                                                 : shell.formatBytes(file.size);
      shell.notice(file.name + " was not opened: it is " + size + ", and " + kindText + " may be at most " +
                   shell.formatBytes(max_bytes) + ".");
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      shell.notice("Could not read " + file.name + ": " + shell.describeError(e) + ".");
      return;
    }
    const p = _malloc(bytes.length + 1);
    if (!p) {
      shell.notice("Out of memory: no room for " + file.name + " (" + shell.formatBytes(bytes.length) + ").");
      return;
    }
    HEAPU8.set(bytes, p);
    Module.ccall("implay_file_opened", null, ["string", "string", "number", "number"], [what, file.name, p, bytes.length]);
    _free(p);
  });
  document.body.appendChild(input);
  input.click();
});
// clang-format on

}  // namespace

void install_host(app::AppState& app) {
  g_app = &app;
  app.host.update_texture = update_texture;
  app.host.warn = [](const std::string& m) { js_console_warn(m.c_str()); };
  app.host.request_dataset = [](const std::string& set) { js_request_dataset(set.c_str()); };
  app.host.open_url = [](const std::string& url) { js_open_url(url.c_str()); };
  app.host.replace_query = [](const std::string& query) { js_replace_query(query.c_str()); };
  app.host.copy_text = [](const std::string& text) { js_copy_text(text.c_str()); };
  if (char* url = js_page_url()) {
    app.host.page_url = url;
    std::free(url);
  }
  app.host.load_stored = [](const std::string& key) {
    uint8_t* p = nullptr;
    const int n = js_load_stored(key.c_str(), &p);
    std::vector<uint8_t> out(p, p + (n > 0 ? n : 0));
    std::free(p);
    return out;
  };
  app.host.store = [](const std::string& key, std::span<const uint8_t> bytes, std::string& error) {
    char* message = nullptr;
    if (js_store(key.c_str(), bytes.data(), int(bytes.size()), &message)) return true;
    error = message ? message : "the browser's storage refused (out of memory for its reason)";
    std::free(message);
    return false;
  };
  app.host.save_file = [](const std::string& name, std::span<const uint8_t> bytes) {
    js_save_file(name.c_str(), bytes.data(), int(bytes.size()));
    return name;
  };
  app.host.open_file = [](const std::string& purpose, const std::string& accept) {
    const std::string kind = purpose == "sketches" ? "a sketch set" : "a file for " + purpose;
    js_open_file(purpose.c_str(), accept.c_str(), kind.c_str(), kMaxOpenedFileBytes);
  };
  app.host.platform_name = "browser (WebAssembly)";
}

std::string initial_query(int, char**) {
  char* s = js_location_search();
  if (!s) return "";
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

// What the page hands over changes the screen: draw the next frames (main.cpp's idling).
static app::AppState* woken_app() {
  if (g_app) g_app->keep_awake = true, g_app->idle = false;
  return g_app;
}

}  // namespace implay::platform

// Called by web/shell.js. Bytes are copied by the app; the page frees its buffer afterwards.
extern "C" {
EMSCRIPTEN_KEEPALIVE void implay_data_progress(const char* set, double received, double total) {
  if (auto* app = implay::platform::woken_app()) implay::app::on_data_progress(app->data, set, received, total);
}
EMSCRIPTEN_KEEPALIVE void implay_data_file(const char* set, const char* file, const uint8_t* bytes, int size) {
  if (auto* app = implay::platform::woken_app()) implay::app::on_data_file(app->data, set, file, {bytes, size_t(size)});
}
EMSCRIPTEN_KEEPALIVE void implay_data_failed(const char* set, const char* message) {
  if (auto* app = implay::platform::woken_app()) implay::app::on_data_failed(app->data, set, message);
}
EMSCRIPTEN_KEEPALIVE void implay_file_opened(const char* purpose, const char* name, const uint8_t* bytes, int size) {
  if (auto* app = implay::platform::woken_app())
    implay::app::on_file_opened(*app, purpose, name, {bytes, size_t(size)});
}
// Every lab's URL table (window.implay.urlTable()): what the docs test compares with the README.
EMSCRIPTEN_KEEPALIVE const char* implay_url_table_json() {
  static std::string json;
  json = implay::platform::g_app ? implay::app::url_tables_json(*implay::platform::g_app) : "{}";
  return json.c_str();
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

// ~/.local/share/implay (or $XDG_DATA_HOME/implay): where stored keys live natively.
std::filesystem::path storage_dir() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::filesystem::path(x) / "implay";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".local" / "share" / "implay";
  return std::filesystem::current_path() / ".implay";
}

bool write_bytes(const std::filesystem::path& path, std::span<const uint8_t> bytes, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (out) return true;
  error = path.string() + ": cannot write";
  return false;
}

std::string g_pending_open;  // the purpose of the last open_file, for the next dropped file

}  // namespace

void on_dropped_file(app::AppState& app, const std::string& path) {
  if (g_pending_open.empty()) return;
  try {
    const std::vector<uint8_t> bytes = read_file_bytes(path);
    app::on_file_opened(app, g_pending_open, std::filesystem::path(path).filename().string(), bytes);
  } catch (const std::exception& e) {
    app::on_file_opened(app, g_pending_open, path, {});
    std::fprintf(stderr, "implay-gui: %s\n", e.what());
  }
}

void install_host(app::AppState& app) {
  app.host.update_texture = update_texture;
  app.host.warn = [](const std::string& m) { std::fprintf(stderr, "implay-gui: warning: %s\n", m.c_str()); };
  app.host.load_stored = [](const std::string& key) {
    try {
      return read_file_bytes((storage_dir() / key).string());
    } catch (const std::exception&) {
      return std::vector<uint8_t>();
    }
  };
  app.host.store = [](const std::string& key, std::span<const uint8_t> bytes, std::string& error) {
    return write_bytes(storage_dir() / key, bytes, error);
  };
  app.host.save_file = [](const std::string& name, std::span<const uint8_t> bytes) {
    const std::filesystem::path path = std::filesystem::current_path() / name;
    std::string error;
    if (!write_bytes(path, bytes, error)) return error;
    std::printf("implay-gui: saved %s\n", path.string().c_str());
    return path.string();
  };
  app.host.open_file = [](const std::string& purpose, const std::string& accept) {
    g_pending_open = purpose;
    std::printf("implay-gui: drop a %s file onto the window\n", accept.c_str());
  };
  app.host.request_dataset = [&app](const std::string& set) { load_native(app, set); };
  app.host.open_url = [](const std::string& url) { std::printf("%s\n", url.c_str()); };
  app.host.replace_query = [](const std::string&) {};  // the app keeps it (AppState::address)
  app.host.copy_text = [](const std::string& text) { std::printf("implay-gui: copied %s\n", text.c_str()); };
  app.host.page_url = "implay-gui";
  app.host.platform_name = "native";
}

std::string initial_query(int argc, char** argv) { return argc > 1 ? argv[1] : ""; }

void load_initial_data(app::AppState& app) { load_native(app, "subset"); }

void first_frame_shown() {}

}  // namespace implay::platform

#endif
