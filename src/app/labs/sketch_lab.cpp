// sketch_lab.cpp — the Sketch model lab. [SECTION] URL · model · sketch canvas · analysis ·
// completion · lab. The counting, conditionals, likelihood and sampling are core/pixel_model's.
#include "app/labs/sketch_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app.hpp"
#include "app/url_params.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/item_rect.hpp"
#include "core/error.hpp"

namespace implay::app {

// [SECTION] URL ---------------------------------------------------------------------------

void apply_sketch_url(SketchLabState& s, UrlParams& params) {
  int model = 0;
  params.take_choice("model", model, {"counts"});
  params.take_int("template", s.neighbours, 1, 12);
  params.take_float("temperature", s.temperature, 0.0f, 3.0f);
  params.take_int("row", s.from_row, 0, 27);
}

namespace {

constexpr int kSide = 28, kDim = 784;

// [SECTION] model ---------------------------------------------------------------------------

void retrain(SketchLabState& s, const DataState& data) {
  const auto t0 = Clock::now();
  const BinaryImages train = binarize(data.train);
  s.model = std::make_unique<ContextModel>(train, ContextOptions{s.neighbours, s.alpha, false});
  s.train_ms = ms_since(t0);
  const BinaryImages test = binarize(data.test);
  s.test_nll = mean_nll(*s.model, test);
  s.baseline_nll = mean_nll(IndependentModel(train, s.alpha), test);
  s.analysed_version = s.completed_key = -1;
}

// [SECTION] sketch canvas -------------------------------------------------------------------

void draw_sketch_canvas(SketchLabState& s, Host& host) {
  const float cell = 11.0f, size = cell * kSide;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  s.canvas_rect[0] = o.x, s.canvas_rect[1] = o.y, s.canvas_rect[2] = s.canvas_rect[3] = size;
  ImGui::InvisibleButton("sketch_canvas", ImVec2(size, size));
  if (ImGui::IsItemActivated()) {
    s.undo.push_back(s.sketch);
    if (s.undo.size() > 64) s.undo.erase(s.undo.begin());
    s.stroke_value = -1;
  }
  if (ImGui::IsItemActive()) {
    // Paint every cell on the segment from the previous mouse position, so a fast stroke has
    // no gaps.
    const ImVec2 m = ImGui::GetIO().MousePos, d = ImGui::GetIO().MouseDelta;
    const ImVec2 from = s.stroke_value < 0 ? m : ImVec2(m.x - d.x, m.y - d.y);
    if (s.stroke_value < 0) s.stroke_value = s.erase ? 0 : 1;
    const int steps = 1 + int(std::max(std::fabs(m.x - from.x), std::fabs(m.y - from.y)) / (cell * 0.5f));
    for (int k = 0; k <= steps; ++k) {
      const float t = float(k) / float(steps);
      const int x = int((from.x + (m.x - from.x) * t - o.x) / cell), y = int((from.y + (m.y - from.y) * t - o.y) / cell);
      if (x < 0 || x >= kSide || y < 0 || y >= kSide) continue;
      uint8_t& px = s.sketch[size_t(y * kSide + x)];
      if (px != s.stroke_value) px = uint8_t(s.stroke_value), ++s.sketch_version;
    }
  }
  if (s.sketch_texture_version != s.sketch_version || !s.sketch_texture.id) {  // upload on change only
    std::vector<uint32_t> rgba(kDim);
    for (int i = 0; i < kDim; ++i) rgba[size_t(i)] = ink_rgba(s.sketch[size_t(i)] ? 255 : 0);
    host.update_texture(s.sketch_texture, rgba.data(), kSide, kSide);
    s.sketch_texture_version = s.sketch_version;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddImage(s.sketch_texture.id, o, ImVec2(o.x + size, o.y + size));
  for (int i = 1; i < kSide; ++i) {
    dl->AddLine(ImVec2(o.x + i * cell, o.y), ImVec2(o.x + i * cell, o.y + size), IM_COL32(0, 0, 0, 18));
    dl->AddLine(ImVec2(o.x, o.y + i * cell), ImVec2(o.x + size, o.y + i * cell), IM_COL32(0, 0, 0, 18));
  }
  // The completion row: everything above it is kept, the model draws the rest.
  const float ry = o.y + s.from_row * cell;
  dl->AddLine(ImVec2(o.x - 6, ry), ImVec2(o.x + size + 6, ry), IM_COL32(213, 94, 0, 255), 2.0f);
  dl->AddRect(o, ImVec2(o.x + size, o.y + size), IM_COL32(0, 0, 0, 90));
}

// A (28, 28) map of values in [0, 1] as a texture: white → strong blue.
void upload_map(Host& host, Texture& texture, const std::vector<double>& values, double scale) {
  std::vector<uint32_t> rgba(kDim);
  for (int i = 0; i < kDim; ++i) rgba[size_t(i)] = sequential_color(float(values[size_t(i)] / scale));
  host.update_texture(texture, rgba.data(), kSide, kSide);
}

// [SECTION] analysis -------------------------------------------------------------------------

void analyse(SketchLabState& s, Host& host) {
  s.conditional = conditional_map(*s.model, s.sketch);
  s.surprise = surprise_map(*s.model, s.sketch);
  s.likelihood = log_likelihood(*s.model, s.sketch);
  upload_map(host, s.conditional_texture, s.conditional, 1.0);
  upload_map(host, s.surprise_texture, s.surprise, 6.0);  // 6 nats ≈ a 1-in-400 surprise
  s.analysed_version = s.sketch_version;
}

// [SECTION] completion ------------------------------------------------------------------------

void complete(SketchLabState& s, Host& host) {
  SampleOptions o;
  o.temperature = s.temperature;
  o.count = s.samples;
  o.seed = s.seed;
  s.completions = sample_completions(*s.model, s.sketch, s.from_row * kSide, o);
  // pack_digit_atlas draws 0..255 ink: stretch the 0/1 pixels first.
  std::vector<uint8_t> ink(s.completions.size());
  for (size_t i = 0; i < ink.size(); ++i) ink[i] = s.completions[i] ? 255 : 0;
  const Atlas atlas = pack_digit_atlas(s.samples, kSide, kSide, s.samples, [&](int k) {
    return std::span<const uint8_t>(ink.data() + size_t(k) * kDim, kDim);
  });
  host.update_texture(s.completion_texture, atlas.rgba.data(), atlas.width, atlas.height);
}

}  // namespace

// [SECTION] lab ------------------------------------------------------------------------------

void draw_sketch_lab(AppState& app) {
  SketchLabState& s = app.sketch;
  LabHeading(app.fonts.heading, "Sketch model",
             "p(x) = Π p(xᵢ | x₍<ᵢ₎): each pixel, in reading order, gets a probability given the pixels before it, "
             "counted from binarized MNIST (pixel ≥ 128 → 1).");
  if (!draw_data_needed(app)) return;
  const int key = s.neighbours * 1000 + int(s.alpha * 100) + app.data.generation * 100000;
  try {
    if (!s.model || s.model_key != key) {
      retrain(s, app.data);
      s.model_key = key;
    }
  } catch (const Error& e) {
    s.error = e.what();
    return;
  }
  ImGui::BeginGroup();
  ImGui::SetNextItemWidth(220);
  ImGui::SliderInt("context neighbours K", &s.neighbours, 1, 12);
  ImGui::SameLine();
  HelpMarker("p(xᵢ = 1 | the K nearest earlier pixels) = (n₁ + α) / (n + 2α), counted over the training images: "
             "W, N, NW, NE, WW, NN, … in raster order; pixels outside the image count as 0.");
  ImGui::SetNextItemWidth(220);
  ImGui::SliderFloat("smoothing α", &s.alpha, 0.01f, 5.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  ImGui::Text("counted %d training images in %.0f ms", app.data.train.count, s.train_ms);
  ImGui::Text("test NLL %.2f nats/image  ·  independent pixels %.2f", s.test_nll, s.baseline_nll);
  draw_sketch_canvas(s, app.host);
  if (ImGui::Button("Clear")) s.undo.push_back(s.sketch), std::fill(s.sketch.begin(), s.sketch.end(), 0), ++s.sketch_version;
  ImGui::SameLine();
  ImGui::BeginDisabled(s.undo.empty());
  if (ImGui::Button("Undo")) s.sketch = s.undo.back(), s.undo.pop_back(), ++s.sketch_version;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox("eraser", &s.erase);
  ImGui::EndGroup();
  if (s.analysed_version != s.sketch_version) analyse(s, app.host);

  ImGui::SameLine(0, 24);
  ImGui::BeginGroup();
  ImGui::Text("log p(sketch) = %.1f nats  (%.4f bits/pixel)", s.likelihood.nats, s.likelihood.bits_per_pixel);
  ImGui::TextUnformatted("p(xᵢ = 1 | x₍<ᵢ₎) for every pixel");
  ImGui::Image(s.conditional_texture.id, ImVec2(150, 150), ImVec2(0, 0), ImVec2(1, 1), ImVec4(1, 1, 1, 1), ImVec4(0.8f, 0.8f, 0.8f, 1));
  ImGui::TextUnformatted("surprise −log p(xᵢ | x₍<ᵢ₎)");
  ImGui::Image(s.surprise_texture.id, ImVec2(150, 150), ImVec2(0, 0), ImVec2(1, 1), ImVec4(1, 1, 1, 1), ImVec4(0.8f, 0.8f, 0.8f, 1));
  // The next pixel after the completion row's start, and how sure the model is.
  const int next = s.from_row * kSide;
  if (next < kDim)
    ImGui::Text("row %d starts with p(x = 1) = %.3f:\nmost likely next pixel %d", s.from_row, s.conditional[size_t(next)],
                s.conditional[size_t(next)] > 0.5 ? 1 : 0);
  ImGui::EndGroup();

  ImGui::SameLine(0, 24);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("What would the model draw next?");
  bool resample = false;
  ImGui::SetNextItemWidth(130);
  resample |= ImGui::SliderInt("from row", &s.from_row, 0, 27);
  ImGui::SetNextItemWidth(130);
  resample |= ImGui::SliderFloat("temperature", &s.temperature, 0.0f, 2.0f, "%.2f");
  ImGui::SameLine();
  HelpMarker("Each pixel is drawn from σ(logit(p) / T). T = 0 always takes the more likely value; T > 1 flattens "
             "the probabilities towards coin flips.");
  ImGui::SetNextItemWidth(130);
  resample |= ImGui::SliderInt("samples", &s.samples, 1, 12);
  if (ImGui::Button("Re-sample")) ++s.seed, resample = true;
  const int ckey = s.sketch_version * 7919 + s.from_row * 131 + int(s.temperature * 1000) * 17 + s.samples + int(s.seed) * 1000003 + key;
  if (resample || s.completed_key != ckey) {
    complete(s, app.host);
    s.completed_key = ckey;
  }
  const int per_row = 3;
  for (int k = 0; k < s.samples; ++k) {
    if (k % per_row) ImGui::SameLine();
    const float u0 = float(k) / float(s.samples);
    ImGui::Image(s.completion_texture.id, ImVec2(66, 66), ImVec2(u0, 0), ImVec2(u0 + 1.0f / float(s.samples), 1),
                 ImVec4(1, 1, 1, 1), ImVec4(0.8f, 0.8f, 0.8f, 1));
  }
  ImGui::EndGroup();
}

std::string sketch_state_json(const SketchLabState& s) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "{\"neighbours\":%d,\"test_nll\":%.4f,\"baseline_nll\":%.4f,\"log_p\":%.4f,\"bits_per_pixel\":%.5f,"
                "\"ink\":%d,\"canvas\":{\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f}}",
                s.neighbours, s.test_nll, s.baseline_nll, s.likelihood.nats, s.likelihood.bits_per_pixel,
                int(std::count(s.sketch.begin(), s.sketch.end(), 1)), double(s.canvas_rect[0]), double(s.canvas_rect[1]),
                double(s.canvas_rect[2]), double(s.canvas_rect[3]));
  return buf;
}

}  // namespace implay::app
