// host.hpp — what the platform layer provides to the app: textures on the GPU, console
// warnings, asynchronous dataset loading. The app never includes SDL, GL or emscripten headers;
// platform/ fills this struct in (natively and in the browser) before the first frame.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "imgui.h"

namespace implay::app {

// An RGBA8 image on the GPU, drawn with ImGui::Image. Nearest-neighbour sampled unless
// `smooth`, so a 28x28 digit shown at 140x140 stays a grid of crisp pixels.
struct Texture {
  ImTextureID id = nullptr;
  int width = 0, height = 0;
  bool smooth = false;  // bilinear instead of nearest sampling (decision regions, not pixels)
};

struct Host {
  // Creates or refills `texture` from rgba: (height, width) packed 0xAABBGGRR (ImU32 order).
  std::function<void(Texture& texture, const uint32_t* rgba, int width, int height)> update_texture;
  // A warning for developers (the browser console); not an error.
  std::function<void(const std::string& message)> warn;
  // Starts loading a dataset ("subset" or "full"); results arrive through app::on_data_* calls.
  std::function<void(const std::string& set)> request_dataset;
  // Opens a URL in a new browser tab (or prints it natively).
  std::function<void(const std::string& url)> open_url;
  // Small data that outlives the page: the browser's localStorage, natively a file per key in
  // ~/.local/share/implay. load_stored gives an empty vector when nothing is stored; store
  // returns false (with a message in `error`) when the storage refuses (quota, private mode).
  std::function<std::vector<uint8_t>(const std::string& key)> load_stored;
  std::function<bool(const std::string& key, std::span<const uint8_t> bytes, std::string& error)> store;
  // Offers bytes as a file to save: a download in the browser, natively a file in the current
  // folder. Returns where it went (the file name, or a path natively).
  std::function<std::string(const std::string& filename, std::span<const uint8_t> bytes)> save_file;
  // Asks the user for a file (`accept`: ".idx,.gz"-style hint). Its bytes arrive later through
  // app::on_file_opened(app, purpose, name, bytes); natively the file is dropped onto the window.
  std::function<void(const std::string& purpose, const std::string& accept)> open_file;
  // The address follows the view: the browser replaces the page's query (history.replaceState,
  // debounced by the page); natively it is kept in `query` only.
  std::function<void(const std::string& query)> replace_query;
  // Puts text on the clipboard (navigator.clipboard, or a fallback); natively it is printed.
  std::function<void(const std::string& text)> copy_text;
  std::string page_url;       // the page without its query: "https://host/playground/index.html"
  std::string platform_name;  // "browser (WebAssembly)" or "native"
};

}  // namespace implay::app
