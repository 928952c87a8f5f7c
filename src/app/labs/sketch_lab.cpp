// sketch_lab.cpp — the Sketch model lab. [SECTION] URL · models · sketch set · sketch canvas ·
// analysis & completion · draw tab · chain-rule tab · models tab · sketches tab · lab.
// Counting, training, likelihoods, sampling and count tables are the core's; this file keeps
// the lab's state in step with the data and draws it.
#include "app/labs/sketch_lab.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/aggregation_tree.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/error.hpp"
#include "core/pixel/chain_tables.hpp"
#include "core/pixel/pixel_model_nade.hpp"
#include "core/pixel/sketch_set.hpp"

namespace implay::app {

namespace {

constexpr int kSide = 28, kDim = 784;
constexpr double kFrameBudgetMs = 12.0;  // training time per frame, so the page stays ≥ 30 fps
constexpr const char* kStorageKey = "implay.sketches.v1";
constexpr const char* kModelKeys[] = {"counts", "fvsbn", "nade"};
constexpr const char* kModelNames[] = {"context counts", "FVSBN", "NADE"};

}  // namespace

// [SECTION] URL ---------------------------------------------------------------------------

namespace {

constexpr UrlWord<SketchTab> kTabWords[] = {{SketchTab::Draw, "draw"},
                                            {SketchTab::ChainRule, "chain"},
                                            {SketchTab::Models, "models"},
                                            {SketchTab::MySketches, "sketches"}};
constexpr UrlWord<SketchModel> kModelWords[] = {
    {SketchModel::Counts, "counts"}, {SketchModel::Fvsbn, "fvsbn"}, {SketchModel::Nade, "nade"}};
constexpr UrlWord<CountSource> kSourceWords[] = {
    {CountSource::Mnist, "mnist"}, {CountSource::Sketches, "sketches"}, {CountSource::Mixed, "both"}};
constexpr UrlWord<bool> kChainWords[] = {{false, "patch"}, {true, "template"}};

}  // namespace

const UrlTable<SketchLabState>& sketch_url_table() {
  using S = SketchLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: draw & complete, the chain rule, models, your sketches", [](auto& s) -> auto& { return s.tab; }),
       url_enum<S, kModelWords>(
           "model", "the model every view uses (FVSBN and NADE train when the page opens)",
           [](auto& s) -> auto& { return s.models.picked; }),
       url_int<S>(
           "template", 1, 12, "the count model's neighbours K", [](auto& s) -> auto& { return s.models.neighbours; }),
       url_float<S>(
           "alpha", 0.01, 5, "the count model's smoothing α", [](auto& s) -> auto& { return s.models.alpha; }),
       url_bool<S>(
           "per_position", "a count table per pixel position",
           [](auto& s) -> auto& { return s.models.position_dependent; }),
       url_enum<S, kSourceWords>(
           "counts", "what the count model counts", [](auto& s) -> auto& { return s.models.count_source; }),
       url_float<S>(
           "temperature", 0, 3, "the completions' temperature", [](auto& s) -> auto& { return s.drawing.temperature; }),
       url_int<S>(
           "row", 0, 27, "the row completions start from", [](auto& s) -> auto& { return s.drawing.from_row; }),
       url_int<S>(
           "samples", 1, 12, "completions drawn", [](auto& s) -> auto& { return s.drawing.samples; }),
       url_int<S>(
           "seed", 0, 1000000, "the completions (Re-sample counts up)",
           [](auto& s) -> auto& { return s.drawing.seed; }),
       // epochs= has always set both models' epochs; nade_epochs=, after it, sets NADE's alone.
       {{"epochs", "FVSBN's training epochs (and NADE's, unless nade_epochs says)", UrlKind::Int, 1, 10, {}},
        [](const S& s) { return double(s.models.fvsbn_epochs); },
        [](S& s, double v) { s.models.fvsbn_epochs = s.models.nade_epochs = int(v); }},
       url_int<S>(
           "nade_epochs", 1, 10, "NADE's training epochs", [](auto& s) -> auto& { return s.models.nade_epochs; }),
       url_int<S>(
           "hidden", 10, 500, "NADE's hidden units H", [](auto& s) -> auto& { return s.models.nade_hidden; }),
       url_enum<S, kChainWords>(
           "chain", "the chain-rule view: a 2×2 patch or the count model's template",
           [](auto& s) -> auto& { return s.chain.use_template; })},
      {{"settings", "the model settings column of the models tab"},
       {"completions", "the completions of the draw tab"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

namespace {

ModelResult& result_of(SketchLabState& s, SketchModel m) {
  return m == SketchModel::Counts ? s.models.counts : m == SketchModel::Fvsbn ? s.models.fvsbn : s.models.nade;
}
const ModelResult& result_of(const SketchLabState& s, SketchModel m) {
  return result_of(const_cast<SketchLabState&>(s), m);
}

// The model the views use: the picked one once trained, the count model until then.
SketchModel active_kind(const SketchLabState& s) {
  return result_of(s, s.models.picked).model ? s.models.picked : SketchModel::Counts;
}
const PixelModel* active_model(const SketchLabState& s) { return result_of(s, active_kind(s)).model.get(); }

// [SECTION] models --------------------------------------------------------------------------

void ensure_binarized(SketchLabState& s, const DataState& data) {
  if (s.models.binarized_generation == data.generation) return;
  s.models.train_bin = binarize(data.train);
  s.models.test_bin = binarize(data.test);
  s.models.binarized_generation = data.generation;
}

std::string images_text(int n, const char* what) { return thousands(n) + " " + what; }

// Counts the context model on MNIST, your sketches, or both (a sketch weighing w images).
void recount(SketchLabState& s) {
  const auto t0 = Clock::now();
  const ContextOptions options{s.models.neighbours, s.models.alpha, s.models.position_dependent};
  std::unique_ptr<ContextModel> m;
  std::string on;
  switch (s.models.count_source) {
    case CountSource::Mnist:
      m = std::make_unique<ContextModel>(s.models.train_bin, options);
      on = images_text(s.models.train_bin.count, "MNIST");
      break;
    case CountSource::Sketches:
      if (s.set.sketches.count == 0)
        throw Error("your sketch set is empty: keep a few sketches first (Your sketches tab)");
      m = std::make_unique<ContextModel>(s.set.sketches, options);
      on = images_text(s.set.sketches.count, "of your sketches");
      break;
    case CountSource::Mixed:
      m = std::make_unique<ContextModel>(s.models.train_bin, options);
      m->add_counts(s.set.sketches, uint32_t(s.models.sketch_weight));
      on = images_text(s.models.train_bin.count, "MNIST") + " + " +
           counted(s.set.sketches.count, "sketch", "sketches") + " ×" + std::to_string(s.models.sketch_weight);
      break;
  }
  s.models.counts.seconds = ms_since(t0) / 1000.0;
  s.models.counts.test_nll = mean_nll(*m, s.models.test_bin);
  s.models.counts.trained_on = on;
  s.models.counts.parameters = (long long)m->num_tables() * m->num_contexts();
  s.models.counts.model = std::move(m);
  if (!s.models.independent.model || s.models.independent.data_generation != s.models.binarized_generation) {
    const auto t1 = Clock::now();
    s.models.independent.model = std::make_unique<IndependentModel>(s.models.train_bin, 1.0f);
    s.models.independent.seconds = ms_since(t1) / 1000.0;
    s.models.independent.test_nll = mean_nll(*s.models.independent.model, s.models.test_bin);
    s.models.independent.trained_on = images_text(s.models.train_bin.count, "MNIST");
    s.models.independent.parameters = s.models.train_bin.dim();
    s.models.independent.data_generation = s.models.binarized_generation;
  }
  ++s.models.model_version;
}

CountsKey counts_key(const SketchLabState& s) {
  const bool uses_sketches = s.models.count_source != CountSource::Mnist;
  return {.data_generation = s.models.binarized_generation,
          .neighbours = s.models.neighbours,
          .alpha = s.models.alpha,
          .position_dependent = s.models.position_dependent,
          .source = s.models.count_source,
          .sketch_weight = s.models.count_source == CountSource::Mixed ? s.models.sketch_weight : 0,
          .sketches_version = uses_sketches ? s.set.version : -1};
}

void keep_counts_current(SketchLabState& s) {
  const CountsKey key = counts_key(s);
  if (key == s.models.counts_key) return;
  s.models.counts_key = key;
  try {
    recount(s);
    s.models.counts_error.clear();
  } catch (const Error& e) {
    s.models.counts_error = e.what();  // the last good model stays
    if (s.models.counts.model) return;
    // No model yet (e.g. ?counts=sketches with an empty set): count MNIST so the lab has one.
    s.models.count_source = CountSource::Mnist;
    s.models.counts_key = counts_key(s);
    recount(s);
    s.models.counts_error += "; counting MNIST instead";
  }
}

void start_training(SketchLabState& s, SketchModel kind) {
  s.models.trainer.reset();
  s.models.training_message.clear();
  try {
    if (kind == SketchModel::Fvsbn) {
      FvsbnTrainOptions o;
      o.epochs = s.models.fvsbn_epochs;
      s.models.trainer = std::make_unique<FvsbnTrainer>(s.models.train_bin, o, &s.models.test_bin);
    } else {
      NadeTrainOptions o;
      o.hidden = s.models.nade_hidden;
      o.epochs = s.models.nade_epochs;
      s.models.trainer = std::make_unique<NadeTrainer>(s.models.train_bin, o, &s.models.test_bin);
    }
    s.models.training = kind;
    s.models.training_ms = 0;
    s.models.trainer_generation = s.models.binarized_generation;
  } catch (const Error& e) {
    s.models.training_message = e.what();
  }
}

void cancel_training(SketchLabState& s, const std::string& why) {
  s.models.trainer.reset();
  s.models.training_message = why;
}

std::unique_ptr<PixelModel> copy_model(const PixelModel& m) {
  if (m.kind() == PixelModelKind::Fvsbn) return std::make_unique<FvsbnModel>(static_cast<const FvsbnModel&>(m));
  return std::make_unique<NadeModel>(static_cast<const NadeModel&>(m));
}

// A few minibatches per frame; the finished model replaces the previous one of its kind.
void advance_training(SketchLabState& s) {
  if (!s.models.trainer) return;
  const auto t0 = Clock::now();
  bool done = s.models.trainer->done();
  while (!done && ms_since(t0) < kFrameBudgetMs) done = s.models.trainer->step(1);
  s.models.training_ms += ms_since(t0);
  if (!done) return;
  if (!s.models.trainer->failure().empty()) {  // diverged: say so and keep the model this kind had
    s.models.training_message = s.models.trainer->failure();
    s.models.trainer.reset();
    return;
  }
  ModelResult& r = result_of(s, s.models.training);
  r.model = copy_model(s.models.trainer->model());
  r.parameters = r.model->kind() == PixelModelKind::Fvsbn
                     ? (long long)static_cast<const FvsbnModel&>(*r.model).num_params()
                     : (long long)static_cast<const NadeModel&>(*r.model).num_params();
  r.test_nll = s.models.trainer->history().empty() ? -1 : s.models.trainer->history().back().validation_nll;
  r.seconds = s.models.training_ms / 1000.0;
  r.trained_on = images_text(s.models.train_bin.count, "MNIST") + " · " + std::to_string(s.models.trainer->epoch()) +
                 (s.models.trainer->epoch() == 1 ? " epoch" : " epochs");
  r.data_generation = s.models.binarized_generation;
  s.models.trainer.reset();
  ++s.models.model_version;
}

// [SECTION] sketch set ------------------------------------------------------------------------

void set_message(SketchLabState& s, std::string text, bool is_error) {
  s.set.message = std::move(text);
  s.set.message_is_error = is_error;
}

// Writes the set to the browser's storage after every change, so no sketch is lost on reload.
void persist_sketches(SketchLabState& s, Host& host) {
  ++s.set.version;
  std::string error;
  if (!host.store || !host.store(kStorageKey, sketch_set_to_idx(s.set.sketches), error))
    set_message(s, "Could not keep your sketches in this browser (" + error + "): export them to a file.", true);
}

void keep_current_sketch(SketchLabState& s, Host& host) {
  try {
    // The same sketch twice would only weigh it double in the counts, unseen: say so instead.
    if (const int kept = find_sketch(s.set.sketches, s.drawing.sketch); kept >= 0) {
      s.set.selected = kept;
      set_message(s, "Already kept: this is sketch " + std::to_string(kept + 1) + " of your set.", false);
      return;
    }
    append_sketch(s.set.sketches, s.drawing.sketch);
    s.set.selected = s.set.sketches.count - 1;
    set_message(s, "Kept sketch " + std::to_string(s.set.sketches.count) + ".", false);
    persist_sketches(s, host);
  } catch (const Error& e) {
    set_message(s, e.what(), true);
  }
}

void export_sketches(SketchLabState& s, Host& host) {
  const std::string where = host.save_file("my-sketches.idx", sketch_set_to_idx(s.set.sketches));
  set_message(s,
              "Exported " + counted(s.set.sketches.count, "sketch", "sketches") + " to " + where +
                  " (an IDX images file: implay ar train --data my-sketches.idx).",
              false);
}

}  // namespace

void load_stored_sketches(SketchLabState& s, Host& host) {
  s.set.sketches = empty_sketch_set();
  if (!host.load_stored) return;
  const std::vector<uint8_t> bytes = host.load_stored(kStorageKey);
  if (bytes.empty()) return;
  try {
    s.set.sketches = sketch_set_from_idx(bytes, "the sketches stored in this browser");
    ++s.set.version;
  } catch (const Error& e) {
    set_message(s, std::string(e.what()) + ". They stay stored untouched until you keep or import a sketch.", true);
  }
}

void import_sketches(SketchLabState& s, Host& host, const std::string& name, std::span<const uint8_t> bytes) {
  try {
    BinaryImages incoming = sketch_set_from_idx(bytes, name);
    const int room = kMaxSketches - s.set.sketches.count;
    if (incoming.count > room)
      throw Error(name + ": " + counted(incoming.count, "sketch", "sketches") + " do not fit (room for " +
                  std::to_string(room) + ")");
    for (int i = 0; i < incoming.count; ++i) append_sketch(s.set.sketches, incoming.image(i));
    set_message(s, "Imported " + counted(incoming.count, "sketch", "sketches") + " from " + name + ".", false);
    persist_sketches(s, host);
  } catch (const Error& e) {
    set_message(s,
                "Import refused: " + std::string(e.what()) + ". Your " +
                    counted(s.set.sketches.count, "sketch is", "sketches are") + " unchanged.",
                true);
  }
}

namespace {

// [SECTION] sketch canvas -------------------------------------------------------------------

// The raster cursor: the pixel after the last ink pixel (0 for an empty sketch).
int raster_cursor(const std::vector<uint8_t>& sketch) {
  for (int i = kDim - 1; i >= 0; --i)
    if (sketch[size_t(i)]) return std::min(i + 1, kDim - 1);
  return 0;
}
int completion_start(const SketchLabState& s) {
  return s.drawing.from_cursor ? raster_cursor(s.drawing.sketch) : s.drawing.from_row * kSide;
}

// Upload on change only; the canvas shows it from the frame after a stroke.
void upload_sketch_texture(SketchDrawState& d, Host& host) {
  if (d.sketch_texture_version == d.sketch_version && d.sketch_texture.id) return;
  std::vector<uint32_t> rgba(kDim);
  for (int i = 0; i < kDim; ++i) rgba[size_t(i)] = ink_rgba(d.sketch[size_t(i)] ? 255 : 0);
  host.update_texture(d.sketch_texture, rgba.data(), kSide, kSide);
  d.sketch_texture_version = d.sketch_version;
}

void draw_sketch_canvas(SketchLabState& s, LabContext& ctx, float cell) {
  const float size = cell * kSide;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("sketch_canvas", ImVec2(size, size));
  ctx.probes.item("canvas");
  if (ImGui::IsItemActivated()) {
    s.drawing.undo.push_back(s.drawing.sketch);
    if (s.drawing.undo.size() > 64) s.drawing.undo.erase(s.drawing.undo.begin());
    s.drawing.stroke_value = -1;
  }
  if (ImGui::IsItemActive()) {
    // Paint every cell on the segment from the previous pointer position, so a fast stroke
    // (or a touch move, which arrives in larger steps) has no gaps.
    const ImVec2 m = ImGui::GetIO().MousePos, d = ImGui::GetIO().MouseDelta;
    const ImVec2 from = s.drawing.stroke_value < 0 ? m : ImVec2(m.x - d.x, m.y - d.y);
    if (s.drawing.stroke_value < 0) s.drawing.stroke_value = s.drawing.erase ? 0 : 1;
    const int steps = 1 + int(std::max(std::fabs(m.x - from.x), std::fabs(m.y - from.y)) / (cell * 0.5f));
    for (int k = 0; k <= steps; ++k) {
      const float t = float(k) / float(steps);
      const int x = int((from.x + (m.x - from.x) * t - o.x) / cell),
                y = int((from.y + (m.y - from.y) * t - o.y) / cell);
      if (x < 0 || x >= kSide || y < 0 || y >= kSide) continue;
      uint8_t& px = s.drawing.sketch[size_t(y * kSide + x)];
      if (px != s.drawing.stroke_value) px = uint8_t(s.drawing.stroke_value), ++s.drawing.sketch_version;
    }
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddImage(s.drawing.sketch_texture.id, o, ImVec2(o.x + size, o.y + size));
  for (int i = 1; i < kSide; ++i) {
    dl->AddLine(ImVec2(o.x + i * cell, o.y), ImVec2(o.x + i * cell, o.y + size), IM_COL32(0, 0, 0, 18));
    dl->AddLine(ImVec2(o.x, o.y + i * cell), ImVec2(o.x + size, o.y + i * cell), IM_COL32(0, 0, 0, 18));
  }
  // The raster cursor: everything before it is kept, the model draws the rest.
  const int start = completion_start(s), r = start / kSide, c = start % kSide;
  const ImU32 orange = IM_COL32(213, 94, 0, 255);
  dl->AddLine(ImVec2(o.x + c * cell, o.y + r * cell), ImVec2(o.x + size + 6, o.y + r * cell), orange, 2.0f);
  if (c > 0)
    dl->AddLine(ImVec2(o.x - 6, o.y + (r + 1) * cell), ImVec2(o.x + c * cell, o.y + (r + 1) * cell), orange, 2.0f);
  dl->AddLine(ImVec2(o.x + c * cell, o.y + r * cell), ImVec2(o.x + c * cell, o.y + (r + 1) * cell), orange, 2.0f);
  dl->AddRect(ImVec2(o.x + c * cell, o.y + r * cell), ImVec2(o.x + (c + 1) * cell, o.y + (r + 1) * cell), orange, 0, 0,
              2.0f);
  dl->AddRect(o, ImVec2(o.x + size, o.y + size), IM_COL32(0, 0, 0, 90));
}

// A (28, 28) map of values in [0, 1] as a texture: white → strong blue.
void upload_map(Host& host, Texture& texture, const std::vector<double>& values, double scale) {
  std::vector<uint32_t> rgba(kDim);
  for (int i = 0; i < kDim; ++i) rgba[size_t(i)] = sequential_color(float(values[size_t(i)] / scale));
  host.update_texture(texture, rgba.data(), kSide, kSide);
}

// [SECTION] analysis & completion --------------------------------------------------------------

void analyse(SketchLabState& s, const PixelModel& model, Host& host) {
  s.drawing.conditional = conditional_map(model, s.drawing.sketch);
  s.drawing.surprise = surprise_map(model, s.drawing.sketch);
  s.drawing.likelihood = log_likelihood(model, s.drawing.sketch);
  s.drawing.running_log_p.resize(kDim);
  double sum = 0;
  for (int i = 0; i < kDim; ++i) s.drawing.running_log_p[size_t(i)] = sum -= s.drawing.surprise[size_t(i)];
  upload_map(host, s.drawing.conditional_texture, s.drawing.conditional, 1.0);
  upload_map(host, s.drawing.surprise_texture, s.drawing.surprise, 6.0);  // 6 nats ≈ a 1-in-400 surprise
}

void complete(SketchLabState& s, const PixelModel& model, Host& host) {
  SampleOptions o;
  o.temperature = s.drawing.temperature;
  o.count = s.drawing.samples;
  o.seed = s.drawing.seed;
  const auto t0 = Clock::now();
  s.drawing.completions = sample_completions(model, s.drawing.sketch, completion_start(s), o);
  s.drawing.completion_ms = ms_since(t0) / s.drawing.samples;
  // pack_digit_atlas draws 0..255 ink: stretch the 0/1 pixels first.
  std::vector<uint8_t> ink(s.drawing.completions.size());
  for (size_t i = 0; i < ink.size(); ++i) ink[i] = s.drawing.completions[i] ? 255 : 0;
  const Atlas atlas = pack_digit_atlas(s.drawing.samples, kSide, kSide, s.drawing.samples, [&](int k) {
    return std::span<const uint8_t>(ink.data() + size_t(k) * kDim, kDim);
  });
  host.update_texture(s.drawing.completion_texture, atlas.rgba.data(), atlas.width, atlas.height);
}

// Samples again when the analysis, the starting pixel or a sampling setting changed.
void keep_completions_current(SketchLabState& s, const PixelModel& model, Host& host) {
  SketchDrawState& d = s.drawing;
  const CompletionKey key{d.analysed_key, completion_start(s), d.temperature, d.samples, d.seed};
  if (key == d.completed_key) return;
  complete(s, model, host);
  d.completed_key = key;
}

void bordered_image(const Texture& t, float size, ImVec2 uv0 = ImVec2(0, 0), ImVec2 uv1 = ImVec2(1, 1)) {
  ImGui::Image(t.id, ImVec2(size, size), uv0, uv1, ImVec4(1, 1, 1, 1), ImVec4(0.8f, 0.8f, 0.8f, 1));
}

// [SECTION] draw tab ------------------------------------------------------------------------

// The chain rule as a curve: log p of the first i pixels, pixel by pixel; steps down where a
// pixel surprised the model. Hover for one pixel's factor.
void draw_running_log_p(const SketchLabState& s) {
  ImGui::Spacing();
  ImGui::TextUnformatted("The chain rule, pixel by pixel: log p(x₀ … xᵢ) = Σⱼ≤ᵢ log p(xⱼ | x₍<ⱼ₎)");
  const double low = std::min(-1.0, s.drawing.running_log_p.back() * 1.1);
  static const std::vector<double> xs = [] {  // pixel indices 0..783, the same every frame
    std::vector<double> v(kDim);
    for (int i = 0; i < kDim; ++i) v[size_t(i)] = i;
    return v;
  }();
  Plot plot("running_log_p", ImVec2(-1, std::max(120.0f, ImGui::GetContentRegionAvail().y - 8)), Range{0, kDim - 1},
            Range{low, 0}, "pixel i in reading order", "nats");
  for (int r = 1; r < kSide; ++r) plot.vline(r * kSide, IM_COL32(0, 0, 0, 14));
  plot.vline(completion_start(s), IM_COL32(213, 94, 0, 255), "cursor");
  plot.line(xs, s.drawing.running_log_p, kAccentColor, 2.0f);
  if (plot.hovered()) {
    const int i = std::clamp(int(std::lround(plot.mouse_x())), 0, kDim - 1);
    ImGui::SetTooltip(
        "pixel %d (row %d, col %d) = %d\np(xᵢ = 1 | x₍<ᵢ₎) = %.4f\nlog p(xᵢ | x₍<ᵢ₎) = %.3f nats\n"
        "log p(x₀ … xᵢ) = %.2f nats",
        i, i / kSide, i % kSide, int(s.drawing.sketch[size_t(i)]), s.drawing.conditional[size_t(i)],
        -s.drawing.surprise[size_t(i)], s.drawing.running_log_p[size_t(i)]);
  }
}

// Beside the sketch: completions from a row or the cursor, at a temperature.
void draw_completions(SketchLabState& s, const LabContext& ctx) {
  SameLineIfFits(4 * 68 + 3 * ImGui::GetStyle().ItemSpacing.x, 24);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("What would the model draw next?");
  ImGui::BeginDisabled(ctx.locked);
  if (ImGui::RadioButton("from a row", !s.drawing.from_cursor)) s.drawing.from_cursor = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("from the cursor", s.drawing.from_cursor)) s.drawing.from_cursor = true;
  ImGui::SameLine();
  HelpMarker(
      "The cursor is the pixel after your last ink pixel in reading order: the model keeps everything before "
      "it and draws the rest, one pixel at a time, each from p(xᵢ | all pixels before it).");
  ImGui::BeginDisabled(s.drawing.from_cursor);
  ImGui::SetNextItemWidth(FitWidth(160, "row"));
  ImGui::SliderInt("row", &s.drawing.from_row, 0, 27);
  ImGui::EndDisabled();
  ImGui::SetNextItemWidth(FitWidth(160, "temperature"));
  ImGui::SliderFloat("temperature", &s.drawing.temperature, 0.0f, 2.0f, "%.2f");
  ImGui::SameLine();
  HelpMarker(
      "Each pixel is drawn from σ(logit(p) / T). T = 0 always takes the more likely value; T > 1 flattens "
      "the probabilities towards coin flips.");
  ImGui::SetNextItemWidth(FitWidth(160, "samples"));
  ImGui::SliderInt("samples", &s.drawing.samples, 1, 12);
  ImGui::EndDisabled();
  if (ImGui::Button("Re-sample")) ++s.drawing.seed;  // a new seed: update samples again
  ImGui::SameLine();
  ImGui::TextDisabled("%.2f ms per sample", s.drawing.completion_ms);
  // The completions update drew (for the settings of the previous frame until the next).
  const int per_row = 4, shown = s.drawing.completed_key.samples;
  for (int k = 0; k < shown; ++k) {
    if (k % per_row) ImGui::SameLine();
    const float u0 = float(k) / float(shown);
    bordered_image(s.drawing.completion_texture, 68, ImVec2(u0, 0), ImVec2(u0 + 1.0f / float(shown), 1));
  }
  ImGui::EndGroup();
}

void draw_tab_draw(SketchLabState& s, LabContext& ctx) {
  ImGui::BeginGroup();
  draw_sketch_canvas(s, ctx, 11.0f);
  if (ShortcutButton("Clear", kClearKey))
    s.drawing.undo.push_back(s.drawing.sketch), std::fill(s.drawing.sketch.begin(), s.drawing.sketch.end(), 0),
        ++s.drawing.sketch_version;
  ImGui::SameLine();
  ImGui::BeginDisabled(s.drawing.undo.empty());
  if (ShortcutButton("Undo", kUndoKey))
    s.drawing.sketch = s.drawing.undo.back(), s.drawing.undo.pop_back(), ++s.drawing.sketch_version;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox("eraser", &s.drawing.erase);
  ImGui::SameLine();
  if (ImGui::Button("Keep")) keep_current_sketch(s, ctx.host);
  ctx.probes.item("keep");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Add this sketch to your own set (the Your sketches tab)");
  if (!s.set.message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 11.0f * kSide);
    MutedText(s.set.message.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();

  const float map = 136.0f;
  SameLineIfFits(2 * map + 12, 24);
  // A blank canvas has nothing to explain or complete: say what to do instead of showing two
  // empty maps and blob completions.
  if (std::find(s.drawing.sketch.begin(), s.drawing.sketch.end(), 1) == s.drawing.sketch.end()) {
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 2 * map + 12);
    ImGui::TextWrapped("Draw a digit on the left (or just its top half).");
    MutedText(
        "Then this side shows where the model expects ink next, where your strokes surprise it, the log "
        "likelihood of your sketch, and the model's own completions of it.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    return;
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 2 * map + 12);
  ImGui::Text("log p(sketch) = %.1f nats", s.drawing.likelihood.nats);
  char bits[96];
  std::snprintf(bits, sizeof bits, "%.4f bits/pixel; the sum of log p(xᵢ | x₍<ᵢ₎)",
                s.drawing.likelihood.bits_per_pixel);
  MutedText(bits);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("p(xᵢ = 1 | x₍<ᵢ₎)");
  bordered_image(s.drawing.conditional_texture, map);
  ImGui::EndGroup();
  ImGui::SameLine(0, 12);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("surprise, nats");
  bordered_image(s.drawing.surprise_texture, map);
  ImGui::EndGroup();
  MutedText(
      "Left: blue where the model expects ink. Right: −log p(xᵢ | x₍<ᵢ₎), blue where your sketch surprised "
      "it (6 nats and more = a 1-in-400 event).");
  // The next pixel at the cursor, and how sure the model is.
  const int next = completion_start(s);
  const double p1 = s.drawing.conditional[size_t(next)];
  ImGui::Spacing();
  ImGui::Text("next pixel (row %d, col %d): p(x = 1) = %.3f", next / kSide, next % kSide, p1);
  ImGui::Text("most likely value: %s, with p = %.3f", p1 > 0.5 ? "ink (1)" : "paper (0)", std::max(p1, 1 - p1));
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  if (ctx.shown("completions")) draw_completions(s, ctx);
  draw_running_log_p(s);
}

// [SECTION] chain-rule tab ----------------------------------------------------------------------

// The count table of the chain-rule tab, rebuilt when what it counts changed.
void keep_chain_table_current(SketchLabState& s) {
  SketchChainState& c = s.chain;
  const ChainKey key{c.use_template, c.patch_row, c.patch_col, c.k,
                     c.use_template ? s.models.model_version : s.models.binarized_generation};
  if (key == c.key) return;
  c.key = key;
  try {
    const ContextModel* counts = dynamic_cast<const ContextModel*>(s.models.counts.model.get());
    if (c.use_template && !counts) throw Error("the count model is not ready");
    c.table = c.use_template ? template_count_table(*counts, std::min(c.k, counts->options.neighbours))
                             : patch_count_table(s.models.train_bin, c.patch_row, c.patch_col);
    c.leaf = std::min(c.leaf, int(c.table.counts.size()) - 1);
    c.error.clear();
  } catch (const Error& e) {
    c.error = e.what();
  }
}

void upload_thumbnails(SketchSetState& set, Host& host) {
  if (set.thumbs_version == set.version) return;
  set.thumbs_version = set.version;
  set.thumbs_count = set.sketches.count;
  if (set.sketches.count == 0) return;
  std::vector<uint8_t> ink(set.sketches.pixels.size());
  for (size_t i = 0; i < ink.size(); ++i) ink[i] = set.sketches.pixels[i] ? 255 : 0;
  const Atlas atlas = pack_digit_atlas(set.sketches.count, kSide, kSide, 32, [&](int k) {
    return std::span<const uint8_t>(ink.data() + size_t(k) * kDim, kDim);
  });
  host.update_texture(set.thumbs_texture, atlas.rgba.data(), atlas.width, atlas.height);
}

void upload_mean_image(SketchLabState& s, Host& host) {
  std::vector<double> mean(kDim, 0.0);
  for (int n = 0; n < s.models.train_bin.count; ++n)
    for (int i = 0; i < kDim; ++i) mean[size_t(i)] += s.models.train_bin.image(n)[size_t(i)];
  std::vector<uint32_t> rgba(kDim);
  for (int i = 0; i < kDim; ++i)
    rgba[size_t(i)] = ink_rgba(uint8_t(std::lround(255.0 * mean[size_t(i)] / std::max(1, s.models.train_bin.count))));
  host.update_texture(s.chain.mean_texture, rgba.data(), kSide, kSide);
  s.chain.mean_generation = s.models.binarized_generation;
}

// The training images' mean with the 2×2 patch; a click moves the patch.
void draw_patch_picker(SketchLabState& s, LabContext& ctx) {
  const float cell = 7.0f, size = cell * kSide;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("patch_picker", ImVec2(size, size));
  ctx.probes.item("patch_picker");
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    s.chain.patch_row = std::clamp(int((m.y - o.y) / cell), 0, kSide - 2);
    s.chain.patch_col = std::clamp(int((m.x - o.x) / cell), 0, kSide - 2);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddImage(s.chain.mean_texture.id, o, ImVec2(o.x + size, o.y + size));
  dl->AddRect(o, ImVec2(o.x + size, o.y + size), IM_COL32(0, 0, 0, 90));
  const ImVec2 a(o.x + s.chain.patch_col * cell, o.y + s.chain.patch_row * cell);
  dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(a.x + 2 * cell + 1, a.y + 2 * cell + 1), IM_COL32(213, 94, 0, 255), 0, 0,
              2.0f);
}

// The selected leaf as a tiny picture: the 2×2 patch, or the template cells around the pixel x.
void draw_leaf_picture(const SketchLabState& s, const Assignment& a) {
  const float cell = 28.0f;
  struct Square {
    int r, c, value;
    std::string label;
  };
  std::vector<Square> squares;
  if (!s.chain.key.use_template) {  // what the table counts (a click may have switched the mode)
    for (int v = 0; v < 4; ++v) squares.push_back({v / 2, v % 2, a[size_t(v)], std::string{'x', char('1' + v)}});
  } else {
    const int k = int(a.size()) - 1;
    for (int b = 0; b < k; ++b)
      squares.push_back(
          {kContextTemplate[size_t(b)][0], kContextTemplate[size_t(b)][1], a[size_t(b)], context_neighbour_name(b)});
    squares.push_back({0, 0, a[size_t(k)], "x"});
  }
  int r0 = 99, c0 = 99, r1 = -99, c1 = -99;
  for (const Square& q : squares)
    r0 = std::min(r0, q.r), c0 = std::min(c0, q.c), r1 = std::max(r1, q.r), c1 = std::max(c1, q.c);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const Square& q : squares) {
    const ImVec2 p(o.x + float(q.c - c0) * cell, o.y + float(q.r - r0) * cell), e(p.x + cell, p.y + cell);
    dl->AddRectFilled(p, e, q.value ? IM_COL32(30, 34, 40, 255) : IM_COL32(255, 255, 255, 255));
    dl->AddRect(p, e, IM_COL32(0, 0, 0, 120));
    const ImVec2 size = ImGui::CalcTextSize(q.label.c_str());
    dl->AddText(ImVec2(p.x + (cell - size.x) * 0.5f, p.y + (cell - size.y) * 0.5f),
                q.value ? IM_COL32(255, 255, 255, 255) : kInkColor, q.label.c_str());
  }
  ImGui::Dummy(ImVec2(cell * float(c1 - c0 + 1), cell * float(r1 - r0 + 1)));
}

void draw_tab_chain(SketchLabState& s, LabContext& ctx) {
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 215);
  if (ImGui::RadioButton("a 2×2 patch of the images", !s.chain.use_template)) s.chain.use_template = false;
  if (ImGui::RadioButton("the count model's template", s.chain.use_template)) s.chain.use_template = true;
  ImGui::Spacing();
  if (!s.chain.use_template) {
    MutedText(
        "x1 x2 / x3 x4 at the orange square, counted over every training image. Click the mean image to "
        "move it.");
    draw_patch_picker(s, ctx);
    ImGui::Text("patch at row %d, column %d", s.chain.patch_row, s.chain.patch_col);
  } else {
    ImGui::SetNextItemWidth(FitWidth(120, "neighbours k"));
    ImGui::SliderInt("neighbours k", &s.chain.k, 1, 3);
    MutedText(
        "The first k template neighbours (W, N, NW) and the pixel x they predict, counted at every position "
        "of every image the count model counted. The last edges are its p(x | context) before smoothing.");
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  SameLineIfFits(aggregation_tree_size(s.chain.table).x, 20);  // beside only at its one-line size
  ImGui::BeginGroup();
  if (!s.chain.error.empty() || s.chain.table.counts.empty()) {
    ErrorText(s.chain.error);
    ImGui::EndGroup();
    return;
  }
  MutedText("Counts split one pixel at a time; p(value | the values before) on each edge; click a leaf.");
  AggregationTree(s.chain.table, s.chain.leaf, &s.chain.leaf_centres);
  const CountTable& t = s.chain.table;
  const Assignment leaf = assignment_of(t, s.chain.leaf);
  ImGui::Spacing();
  draw_leaf_picture(s, leaf);
  SameLineIfFits(260, 16);
  ImGui::BeginGroup();
  const ChainRule chain = chain_rule(t, leaf);
  std::string product;
  for (const auto& f : chain.factors) {
    ImGui::Text("%s = %s = %.4f", f.text.c_str(), f.p.text().c_str(), f.p.value());
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.4f", product.empty() ? "" : " × ", f.p.value());
    product += buf;
  }
  ImGui::Text("joint p = %s = %.5f  (= %s, the leaf's share of all)", product.c_str(), chain.product,
              chain.joint.text().c_str());
  ImGui::EndGroup();
  ImGui::EndGroup();
}

// [SECTION] models tab --------------------------------------------------------------------------

void draw_training_controls(SketchLabState& s, SketchModel kind, Probes& probes) {
  const bool busy = s.models.trainer && s.models.training == kind;
  ImGui::PushID(int(kind));
  if (busy) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "epoch %d/%d · %.0f%%",
                  std::min(s.models.trainer->epoch() + 1,
                           kind == SketchModel::Fvsbn ? s.models.fvsbn_epochs : s.models.nade_epochs),
                  kind == SketchModel::Fvsbn ? s.models.fvsbn_epochs : s.models.nade_epochs,
                  100.0 * s.models.trainer->progress());
    ImGui::ProgressBar(s.models.trainer->progress(), ImVec2(220, 0), buf);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) cancel_training(s, std::string(kModelNames[int(kind)]) + " training cancelled.");
  } else {
    ImGui::BeginDisabled(s.models.trainer != nullptr);
    if (ImGui::Button(result_of(s, kind).model ? "Train again" : "Train")) start_training(s, kind);
    probes.item(kind == SketchModel::Fvsbn ? "train_fvsbn" : "train_nade");
    ImGui::EndDisabled();
  }
  ImGui::PopID();
}

// Test NLL of every trained model next to the independent-pixel baseline, as a table and bars.
void draw_nll_comparison(const SketchLabState& s) {
  struct Row {
    const char* name;
    const ModelResult* r;
  };
  const Row rows[] = {{"independent pixels", &s.models.independent},
                      {"context counts", &s.models.counts},
                      {"FVSBN", &s.models.fvsbn},
                      {"NADE", &s.models.nade}};
  ImGui::Text("Mean test NLL on the %s loaded test images (lower is better)",
              thousands(s.models.test_bin.count).c_str());
  if (ImGui::BeginTable("nll", 6,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::PushTextWrapPos(-1.0f);  // columns fit their text: the lab's wrapping would squeeze them
    ImGui::TableSetupColumn("model");
    ImGui::TableSetupColumn("nats / image");
    ImGui::TableSetupColumn("bits / pixel");
    ImGui::TableSetupColumn("parameters");
    ImGui::TableSetupColumn("trained in");
    ImGui::TableSetupColumn("trained on");
    ImGui::TableHeadersRow();
    for (const Row& row : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (row.r == &s.models.nade && s.models.nade.model)
        ImGui::Text("NADE, H = %d", static_cast<const NadeModel&>(*s.models.nade.model).hidden());
      else
        ImGui::TextUnformatted(row.name);
      ImGui::TableNextColumn();
      if (!row.r->model) {
        ImGui::TextDisabled("not trained");
        continue;
      }
      ImGui::Text("%.2f", row.r->test_nll);
      ImGui::TableNextColumn();
      ImGui::Text("%.4f", row.r->test_nll / (kDim * std::log(2.0)));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(thousands(row.r->parameters).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.2f s", row.r->seconds);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.r->trained_on.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
  }
  // Bars scaled to the baseline.
  const double scale = std::max(1.0, s.models.independent.test_nll);
  const float label_w = 130.0f, bar_h = 20.0f,
              width = std::max(120.0f, ImGui::GetContentRegionAvail().x - label_w - 60.0f);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Spacing();
  ImGui::Dummy(ImVec2(label_w + width + 50, (bar_h + 6) * 4));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 colours[] = {IM_COL32(150, 150, 150, 255), IM_COL32(0, 114, 178, 255), IM_COL32(0, 158, 115, 255),
                           IM_COL32(204, 121, 167, 255)};
  for (int k = 0; k < 4; ++k) {
    const float y = o.y + float(k) * (bar_h + 6);
    dl->AddText(ImVec2(o.x, y + 2), kInkColor, rows[k].name);
    if (!rows[k].r->model) continue;
    const float w = float(rows[k].r->test_nll / scale) * width;
    dl->AddRectFilled(ImVec2(o.x + label_w, y), ImVec2(o.x + label_w + w, y + bar_h), colours[k], 2.0f);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", rows[k].r->test_nll);
    dl->AddText(ImVec2(o.x + label_w + w + 6, y + 2), kInkColor, buf);
  }
}

// FVSBN and NADE have far more parameters than the subset has images: say so, offer the full set.
void draw_data_hint(LabContext& ctx) {
  if (ctx.data.train.count >= 60000) return;
  ImGui::Spacing();
  MutedText(
      "With 10,000 training images FVSBN overfits: it learns 307,720 weights. On all 60,000 it reaches about "
      "81 nats after one epoch and 77 after three, below the count model; NADE goes lower still.");
  const bool loading = ctx.data.status == DataStatus::Loading;
  ImGui::BeginDisabled(loading);
  if (ImGui::Button(loading ? "Loading all 60,000 images…" : "Load all 60,000 training images"))
    ctx.host.request_dataset("full");
  ctx.probes.item("load_full");
  ImGui::EndDisabled();
}

void draw_count_source(SketchLabState& s) {
  ImGui::TextUnformatted("count on:");
  ImGui::SameLine();
  int source = int(s.models.count_source);
  ImGui::RadioButton("MNIST", &source, 0);
  ImGui::SameLine();
  ImGui::RadioButton("your sketches", &source, 1);
  ImGui::SameLine();
  ImGui::RadioButton("both", &source, 2);
  s.models.count_source = CountSource(source);
  if (s.models.count_source == CountSource::Mixed) {
    ImGui::SetNextItemWidth(FitWidth(200, "weight of a sketch"));
    ImGui::SliderInt("weight of a sketch", &s.models.sketch_weight, 1, 1000, "×%d", ImGuiSliderFlags_Logarithmic);
    ImGui::SameLine();
    HelpMarker("Each of your sketches is counted this many times, as if it were that many MNIST images.");
  }
}

// The left column of the models tab: each model's settings and its Train button.
void draw_model_settings(SketchLabState& s, LabContext& ctx) {
  ImGui::BeginDisabled(ctx.locked);
  ImGui::PushItemWidth(FitWidth(200, "hidden units H"));
  SectionTitle("Context counts");
  ImGui::SliderInt("neighbours K", &s.models.neighbours, 1, 12);
  ImGui::SameLine();
  HelpMarker(
      "p(xᵢ = 1 | the K nearest earlier pixels) = (n₁ + α) / (n + 2α), counted over the training images: "
      "W, N, NW, NE, WW, NN, … in raster order; pixels outside the image count as 0. One pass of counting.");
  ImGui::SliderFloat("smoothing α", &s.models.alpha, 0.01f, 5.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  ImGui::Checkbox("a table per pixel position", &s.models.position_dependent);
  draw_count_source(s);
  if (!s.models.counts_error.empty()) ErrorText(s.models.counts_error);

  SectionTitle("FVSBN");
  MutedText(
      "p(xᵢ = 1 | x₍<ᵢ₎) = σ(bᵢ + Σⱼ₍<ᵢ₎ Wᵢⱼ xⱼ): logistic regression on every earlier pixel, "
      "trained by minimizing binary cross-entropy (Adam, batches of 100).");
  ImGui::SliderInt("epochs##fvsbn", &s.models.fvsbn_epochs, 1, 10);
  draw_training_controls(s, SketchModel::Fvsbn, ctx.probes);

  SectionTitle("NADE");
  MutedText(
      "One hidden layer shared by all positions: hᵢ = σ(c + W₍:,<ᵢ₎ x₍<ᵢ₎), p(xᵢ = 1 | x₍<ᵢ₎) = σ(bᵢ + Vᵢ · hᵢ).");
  ImGui::SliderInt("hidden units H", &s.models.nade_hidden, 10, 500);
  ImGui::SliderInt("epochs##nade", &s.models.nade_epochs, 1, 10);
  draw_training_controls(s, SketchModel::Nade, ctx.probes);
  if (!s.models.training_message.empty()) MutedText(s.models.training_message.c_str());
  ImGui::PopItemWidth();
  ImGui::EndDisabled();
}

void draw_tab_models(SketchLabState& s, LabContext& ctx) {
  if (!ctx.shown("settings")) {  // hide=settings: the comparison alone
    draw_nll_comparison(s);
    draw_data_hint(ctx);
    return;
  }
  Panes panes("models", 370, 540);  // the comparison table needs about 540 px, or goes under
  draw_model_settings(s, ctx);
  panes.next();
  draw_nll_comparison(s);
  draw_data_hint(ctx);
}

// [SECTION] sketches tab -----------------------------------------------------------------------

void draw_tab_sketches(SketchLabState& s, LabContext& ctx) {
  Panes panes("sketches", 350, 200);  // a pane keeps the separator in its column
  ImGui::Text("%s kept (at most %d)", counted(s.set.sketches.count, "sketch", "sketches").c_str(), kMaxSketches);
  MutedText(
      "Draw in the Draw tab and press Keep. The set stays in this browser across visits; export it to keep "
      "it elsewhere (an IDX images file, like MNIST's).");
  if (ImGui::Button("Keep the current sketch")) keep_current_sketch(s, ctx.host);
  ImGui::BeginDisabled(s.set.sketches.count == 0);
  if (ImGui::Button("Export…")) export_sketches(s, ctx.host);
  ctx.probes.item("export");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Import…")) ctx.host.open_file("sketches", ".idx,.ubyte,application/octet-stream");
  ctx.probes.item("import");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.set.selected < 0 || s.set.selected >= s.set.sketches.count);
  if (ImGui::Button("Remove selected")) {
    remove_sketch(s.set.sketches, s.set.selected);
    s.set.selected = -1;
    persist_sketches(s, ctx.host);
  }
  ImGui::EndDisabled();
  if (!s.set.message.empty()) {
    if (s.set.message_is_error)
      ErrorText(s.set.message);
    else
      MutedText(s.set.message.c_str());
  }
  ImGui::Spacing();
  SectionTitle("Train the count model on them");
  draw_count_source(s);
  if (s.models.counts.model) ImGui::Text("counted: %s", s.models.counts.trained_on.c_str());
  if (!s.models.counts_error.empty()) ErrorText(s.models.counts_error);
  MutedText("Completions in the Draw tab follow the new counts at once.");
  panes.next();
  const int columns = std::max(1, int(ImGui::GetContentRegionAvail().x / 62.0f));
  // The thumbnails update uploaded: a sketch kept or removed this frame shows from the next.
  const int shown = std::min(s.set.thumbs_count, s.set.sketches.count);
  const int atlas_rows = (s.set.thumbs_count + 31) / 32;
  for (int k = 0; k < shown; ++k) {
    if (k % columns) ImGui::SameLine();
    const ImVec2 uv0(float(k % 32) / 32.0f, float(k / 32) / float(atlas_rows));
    const ImVec2 uv1(uv0.x + 1.0f / 32.0f, uv0.y + 1.0f / float(atlas_rows));
    ImGui::PushID(k);
    const bool selected = k == s.set.selected;
    if (ImGui::ImageButton(s.set.thumbs_texture.id, ImVec2(52, 52), uv0, uv1, 2, ImVec4(1, 1, 1, 1))) {
      s.set.selected = k;
      s.drawing.undo.push_back(s.drawing.sketch);
      s.drawing.sketch.assign(s.set.sketches.image(k).begin(), s.set.sketches.image(k).end());
      ++s.drawing.sketch_version;
    }
    if (selected)
      ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), kAccentColor, 0, 0, 2.0f);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("sketch %d: click to load it into the canvas", k + 1);
    ImGui::PopID();
  }
  if (s.set.sketches.count == 0) MutedText("No sketches yet.");
}

// [SECTION] lab ------------------------------------------------------------------------------

// The model picker, shown above every tab: which model the views use, and its training.
void draw_model_bar(SketchLabState& s, Probes& probes) {
  if (!s.models.counts_error.empty()) ErrorText(s.models.counts_error);
  static constexpr EnumChoice<SketchModel> kModelChoices[] = {
      {SketchModel::Counts, kModelNames[0]}, {SketchModel::Fvsbn, kModelNames[1]}, {SketchModel::Nade, kModelNames[2]}};
  ImGui::SetNextItemWidth(FitWidth(170, "model"));
  if (EnumCombo<SketchModel>("model", s.models.picked, kModelChoices)) ++s.models.model_version;
  ImGui::SameLine(0, 16);
  const ModelResult& r = result_of(s, s.models.picked);
  if (r.model) {
    ImGui::Text("test NLL %.2f nats/image · independent pixels %.2f", r.test_nll, s.models.independent.test_nll);
  } else if (s.models.trainer && s.models.training == s.models.picked) {
    ImGui::ProgressBar(s.models.trainer->progress(), ImVec2(200, 0));
    ImGui::SameLine();
    if (ImGui::Button("Cancel"))
      cancel_training(s, std::string(kModelNames[int(s.models.picked)]) + " training cancelled.");
    probes.item("cancel");
    ImGui::SameLine();
    ImGui::TextDisabled("training %s on %s MNIST images; context counts meanwhile", kModelNames[int(s.models.picked)],
                        thousands(s.models.train_bin.count).c_str());
  } else {
    ImGui::TextDisabled("%s is not trained yet (context counts meanwhile)", kModelNames[int(s.models.picked)]);
    ImGui::SameLine();
    ImGui::BeginDisabled(s.models.trainer != nullptr);
    if (ImGui::Button("Train")) start_training(s, s.models.picked);
    ImGui::EndDisabled();
  }
}

}  // namespace

// Keeps the models in step with the data and the settings, advances training by one slice and
// re-analyses the sketch when it or the model changed: everything before the first ImGui call.
void update_sketch_lab(SketchLabState& s, LabContext& ctx) {
  if (s.models.trainer) ctx.keep_awake();  // training steps this frame and needs the next one
  upload_thumbnails(s.set, ctx.host);
  if (!ctx.data.ready()) return;
  try {
    ensure_binarized(s, ctx.data);
    if (s.models.trainer && s.models.training != SketchModel::Counts &&
        s.models.binarized_generation != s.models.trainer_generation)
      cancel_training(s, "The data changed: training stopped.");
    keep_counts_current(s);
    // A model trained on other data than the loaded set is dropped: its NLL would not compare.
    for (SketchModel m : {SketchModel::Fvsbn, SketchModel::Nade})
      if (result_of(s, m).model && result_of(s, m).data_generation != s.models.binarized_generation)
        result_of(s, m) = ModelResult(), ++s.models.model_version;
    // Picking an untrained model (or ?model=fvsbn) starts its training.
    if (s.models.picked != SketchModel::Counts && !result_of(s, s.models.picked).model && !s.models.trainer &&
        !s.models.auto_started[int(s.models.picked)]) {
      s.models.auto_started[int(s.models.picked)] = true;
      start_training(s, s.models.picked);
    }
    advance_training(s);
  } catch (const Error& e) {
    s.error = e.what();
  }
  upload_sketch_texture(s.drawing, ctx.host);
  keep_chain_table_current(s);
  if (s.chain.mean_generation != s.models.binarized_generation) upload_mean_image(s, ctx.host);
  const PixelModel* model = active_model(s);
  if (!model) return;
  const AnalysisKey akey{s.drawing.sketch_version, s.models.model_version, active_kind(s)};
  if (s.drawing.analysed_key != akey) {
    analyse(s, *model, ctx.host);
    s.drawing.analysed_key = akey;
  }
  keep_completions_current(s, *model, ctx.host);
}

void draw_sketch_lab(SketchLabState& s, LabContext& ctx) {
  if (s.models.trainer)  // what runs, for the status bar
    ctx.activity = std::string("sketch: training ") + (s.models.training == SketchModel::Nade ? "NADE " : "FVSBN ") +
                   std::to_string(int(100 * s.models.trainer->progress())) + " %";
  LabHeading(
      ctx.fonts.heading, "Sketch model",
      ctx.shown("summary")
          ? "p(x) = Π p(xᵢ | x₍<ᵢ₎): each pixel, in reading order, gets a probability given the pixels before it, "
            "learned from binarized MNIST (pixel ≥ 128 → 1) or your own sketches."
          : nullptr);
  if (!draw_data_needed(ctx)) return;
  if (!s.error.empty()) ErrorText(s.error);
  const PixelModel* model = active_model(s);
  if (!model) return;
  ImGui::BeginDisabled(ctx.locked);
  draw_model_bar(s, ctx.probes);
  ImGui::EndDisabled();
  static constexpr const char* kTabNames[] = {"Draw & complete", "The chain rule", "Models", "Your sketches"};
  if (!LabTabs("sketch_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case SketchTab::Draw: draw_tab_draw(s, ctx); break;
    case SketchTab::ChainRule: draw_tab_chain(s, ctx); break;
    case SketchTab::Models: draw_tab_models(s, ctx); break;
    case SketchTab::MySketches: draw_tab_sketches(s, ctx); break;
  }
}

void start_sketch_lab(SketchLabState& s, LabContext& ctx) { load_stored_sketches(s, ctx.host); }

bool sketch_on_file(SketchLabState& s, LabContext& ctx, const OpenedFile& file) {
  if (file.purpose != "sketches") return false;
  import_sketches(s, ctx.host, file.name, file.bytes);
  return true;
}

nlohmann::json sketch_state_json(const SketchLabState& s) {
  auto nll = [](const ModelResult& r) { return r.model ? r.test_nll : -1.0; };
  nlohmann::json leaves = nlohmann::json::array();
  for (const ImVec2& p : s.chain.leaf_centres) leaves.push_back({p.x, p.y});
  double chain_product = -1, chain_joint = -1;
  if (s.chain.error.empty() && !s.chain.table.counts.empty()) {
    const ChainRule c = chain_rule(s.chain.table, assignment_of(s.chain.table, s.chain.leaf));
    chain_product = c.product, chain_joint = c.joint.value();
  }
  return {{"tab", std::array{"draw", "chain", "models", "sketches"}[size_t(s.tab)]},
          {"model", kModelKeys[int(s.models.picked)]},
          {"active_model", kModelKeys[int(active_kind(s))]},
          {"analysed_model",
           s.drawing.analysed_key.sketch_version < 0 ? "" : kModelKeys[int(s.drawing.analysed_key.model)]},
          {"neighbours", s.models.neighbours},
          {"test_nll", nll(s.models.counts)},
          {"baseline_nll", nll(s.models.independent)},
          {"fvsbn_nll", nll(s.models.fvsbn)},
          {"nade_nll", nll(s.models.nade)},
          {"training", s.models.trainer != nullptr},
          {"progress", s.models.trainer ? double(s.models.trainer->progress()) : 0.0},
          {"training_message", s.models.training_message},
          {"counts_error", s.models.counts_error},
          {"log_p", s.drawing.likelihood.nats},
          {"bits_per_pixel", s.drawing.likelihood.bits_per_pixel},
          {"ink", std::count(s.drawing.sketch.begin(), s.drawing.sketch.end(), 1)},
          {"completion_start", completion_start(s)},
          {"completion_ms", s.drawing.completion_ms},
          {"completion_ink", std::count(s.drawing.completions.begin(), s.drawing.completions.end(), 1)},
          {"sketches", s.set.sketches.count},
          {"sketches_message", s.set.message},
          {"sketches_error", s.set.message_is_error},
          {"chain_leaf", s.chain.leaf},
          {"chain_total", s.chain.table.counts.empty() ? 0LL : (long long)s.chain.table.total()},
          {"chain_product", chain_product},
          {"chain_joint", chain_joint},
          {"leaves", leaves}};
}

}  // namespace implay::app
