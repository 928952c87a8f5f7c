// knn_lab.cpp — the kNN lab. [SECTION] settings & URL · 2-D points · MNIST drawing ·
// cross-validation · perception · lab. Widgets draw; core/knn/knn.hpp does every search and vote.
#include "app/labs/knn_lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/point_plane.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"
#include "core/knn/regions.hpp"

namespace implay::app {
namespace {

constexpr EnumChoice<Metric> kMetricChoices[] = {{Metric::L1, "L1 (Manhattan)"},
                                                 {Metric::L2, "L2 (Euclidean)"},
                                                 {Metric::Linf, "L∞ (Chebyshev)"},
                                                 {Metric::Cosine, "cosine (1 − cos)"}};
constexpr int kTrainSizes[] = {1000, 2000, 5000, 10000, 20000, 30000, 60000};
constexpr UrlWord<int> kTrainSizeWords[] = {{1000, "1000"},   {2000, "2000"},   {5000, "5000"},  {10000, "10000"},
                                            {20000, "20000"}, {30000, "30000"}, {60000, "60000"}};

// [SECTION] settings & URL ----------------------------------------------------------------

bool draw_shared_settings(KnnLabState& s, Probes& probes) {
  bool changed = false;
  ImGui::SetNextItemWidth(FitWidth(200, "k"));
  changed |= ImGui::SliderInt("k", &s.k, 1, 25);
  probes.item("k_slider");
  ImGui::SameLine();
  HelpMarker(
      "How many nearest training examples vote. k = 1 copies the single nearest label (jagged "
      "regions, islands around outliers); larger k smooths the boundary.");
  ImGui::SetNextItemWidth(FitWidth(200, "distance"));
  changed |= EnumCombo<Metric>("distance", s.metric, kMetricChoices);
  ImGui::SameLine();
  HelpMarker(
      "L1 = Σ|aᵢ − bᵢ|,  L2 = √Σ(aᵢ − bᵢ)² (ranked by its square),  L∞ = max|aᵢ − bᵢ|,  "
      "cosine distance = 1 − a·b / (‖a‖‖b‖): only the direction counts.");
  changed |= ImGui::Checkbox("distance-weighted vote", &s.weighted);
  ImGui::SameLine();
  HelpMarker(
      "Each neighbour votes 1/(d + 10⁻⁶) instead of 1, so closer neighbours count more. "
      "Ties between classes go to the smallest label (scikit-learn's rule).");
  return changed;
}

}  // namespace

namespace {

constexpr UrlWord<KnnTab> kTabWords[] = {{KnnTab::Points2d, "2d"},
                                         {KnnTab::Mnist, "mnist"},
                                         {KnnTab::CrossValidation, "cv"},
                                         {KnnTab::Perception, "perception"}};
// The cross-validation tab's training-subset slider stops (KnnCvState::subset).
constexpr UrlWord<int> kSubsetWords[] = {
    {500, "500"}, {1000, "1000"}, {2000, "2000"}, {5000, "5000"}, {10000, "10000"}};
constexpr UrlWord<Metric> kMetricWords[] = {
    {Metric::L1, "l1"}, {Metric::L2, "l2"}, {Metric::Linf, "linf"}, {Metric::Cosine, "cosine"}};

}  // namespace

const UrlTable<KnnLabState>& knn_url_table() {
  using S = KnnLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: 2-D points, MNIST drawing, cross-validation, pixel distance",
           [](auto& s) -> auto& { return s.tab; }),
       url_int<S>(
           "k", 1, 25, "neighbours that vote", [](auto& s) -> auto& { return s.k; }),
       url_enum<S, kMetricWords>(
           "metric", "the distance", [](auto& s) -> auto& { return s.metric; }),
       url_bool<S>(
           "weighted", "votes weighted by 1/distance", [](auto& s) -> auto& { return s.weighted; }),
       url_enum<S, kToyPresetWords>(
           "preset", "the 2-D point set", [](auto& s) -> auto& { return s.points.preset; }),
       url_int<S>(
           "classes", 2, 5, "classes of the 2-D set", [](auto& s) -> auto& { return s.points.num_classes; }),
       url_int<S>(
           "points", 1, 500, "2-D points per class", [](auto& s) -> auto& { return s.points.points_per_class; }),
       url_int<S>(
           "seed", 0, 1000000, "the 2-D sample (New sample counts up)", [](auto& s) -> auto& { return s.points.seed; }),
       url_bool<S>(
           "regions", "shade the decision regions", [](auto& s) -> auto& { return s.points.show_regions; }),
       url_enum<S, kTrainSizeWords>(
           "train", "MNIST training images searched", [](auto& s) -> auto& { return s.mnist.train_size; }),
       url_enum<S, kSubsetWords>(
           "subset", "training images cross-validated", [](auto& s) -> auto& { return s.cv.subset; }),
       url_int<S>(
           "image", 0, 9999, "the test image of the perception tab",
           [](auto& s) -> auto& { return s.perception.image_index; })},
      {{"settings", "the settings column of the 2-D tab"},
       {"plane", "the 2-D plane and its hover vote"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

namespace {

// [SECTION] 2-D points ------------------------------------------------------------------------

void regenerate_points(Knn2dState& p) {
  const ToyData d = make_toy_data(p.preset, p.num_classes, p.points_per_class, p.seed);
  p.points = d.points;
  p.labels = d.labels;
  p.paint_class = std::min(p.paint_class, p.num_classes - 1);
  ++p.points_version;
}

F32Rows point_rows(const Knn2dState& p) { return {p.points.data(), int(p.labels.size()), 2}; }

Knn2dKey plane_key(const KnnLabState& s) {
  return {s.k, s.metric, s.weighted, s.points.num_classes, s.points.points_version};
}

// True when the hover vote answers the mouse position draw recorded, for the current points
// and settings (a setting changed in this frame's controls waits for the next update).
bool hover_answered(const KnnLabState& s) {
  const Knn2dState& p = s.points;
  return p.hover_valid && p.hover_key == KnnHoverKey{plane_key(s), p.hover_x, p.hover_y};
}

// Colour of a cell: the winner's colour, stronger the larger its vote share; ties grey.
uint32_t region_color(const RegionCell& v, int num_classes) {
  if (v.tied) return IM_COL32(205, 205, 210, 255);
  const float floor_share = 1.0f / float(num_classes);
  const float t = std::clamp((v.share - floor_share) / (1.0f - floor_share + 1e-6f), 0.0f, 1.0f);
  const ImVec4 c = class_color_vec(v.label);
  const float a = 0.18f + 0.42f * t;
  auto mix = [a](float x) { return int(255.0f * (1.0f - a + a * x)); };
  return IM_COL32(mix(c.x), mix(c.y), mix(c.z), 255);
}

void compute_regions(KnnLabState& s, const Knn2dKey& key, int res, Host& host) {
  Knn2dState& p = s.points;
  const auto t0 = Clock::now();
  std::vector<uint32_t> rgba(size_t(res) * size_t(res), IM_COL32(255, 255, 255, 255));
  const int n = int(p.labels.size());
  if (n > 0) {
    const KnnParams params{std::min(s.k, n), s.metric, s.weighted};
    const auto cells = knn_regions_2d(p.points, p.labels, p.num_classes, params, PlaneGrid{-1, 1, -1, 1, res, res});
    for (size_t i = 0; i < cells.size(); ++i) rgba[i] = region_color(cells[i], p.num_classes);
  }
  p.regions.smooth = true;
  host.update_texture(p.regions, rgba.data(), res, res);
  p.regions_res = res;
  p.regions_ms = ms_since(t0);
  p.regions_key = key;
}

void compute_hover(KnnLabState& s, const KnnHoverKey& key) {
  Knn2dState& p = s.points;
  const int n = int(p.labels.size());
  const float query[2] = {key.x, key.y};
  const int k = std::min(s.k, n);
  p.hover_neighbors = search_one(point_rows(p), query, k, s.metric);
  std::vector<float> d(static_cast<size_t>(k));
  for (int j = 0; j < k; ++j) d[size_t(j)] = true_distance(s.metric, p.hover_neighbors.distance[size_t(j)]);
  p.hover_vote = vote(p.hover_neighbors.index_of(0), d, p.labels, p.num_classes, s.weighted);
  p.hover_key = key;
}

void update_points(KnnLabState& s, Host& host) {
  Knn2dState& p = s.points;
  if (p.regenerate) {
    regenerate_points(p);
    p.regenerate = false;
  }
  if (p.clear) {
    p.points.clear();
    p.labels.clear();
    ++p.points_version;
    p.clear = false;
  }
  if (s.tab != KnnTab::Points2d) return;
  const Knn2dKey key = plane_key(s);
  if (p.hover_valid && !p.labels.empty()) {
    const KnnHoverKey hover{key, p.hover_x, p.hover_y};
    if (p.hover_key != hover) compute_hover(s, hover);
  }
  // Regions: coarse while something moves (stays above 30 fps), fine once it settles.
  const bool interacting = p.dragging >= 0;
  const bool stale = p.regions_key != key;
  if (p.show_regions && (stale || (!interacting && p.regions_res < 200)))
    compute_regions(s, key, interacting || stale ? 100 : 200, host);
}

void draw_points_controls(KnnLabState& s, Probes& probes) {
  Knn2dState& p = s.points;
  ImGui::TextUnformatted("Data");
  ImGui::SetNextItemWidth(FitWidth(200, "preset"));
  bool regen = EnumCombo<ToyPreset>("preset", p.preset, kToyPresetChoices);
  ImGui::SetNextItemWidth(FitWidth(200, "classes"));
  regen |= ImGui::SliderInt("classes", &p.num_classes, 2, 5);
  ImGui::SetNextItemWidth(FitWidth(200, "points per class"));
  regen |= ImGui::SliderInt("points per class", &p.points_per_class, 1, 200);
  if (ImGui::Button("New sample")) {
    ++p.seed;
    regen = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Clear all points")) p.clear = true;
  if (regen) p.regenerate = true;
  ImGui::Spacing();
  ImGui::TextUnformatted("Click adds a point of class");
  for (int c = 0; c < p.num_classes; ++c) {
    ImGui::PushID(c);
    ImGui::PushStyleColor(ImGuiCol_Button, class_color_vec(c, p.paint_class == c ? 1.0f : 0.35f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, class_color_vec(c, 0.8f));
    char label[16];
    std::snprintf(label, sizeof label, "%d", c);
    if (ImGui::Button(label, ImVec2(34, 0))) p.paint_class = c;
    ImGui::PopStyleColor(2);
    ImGui::PopID();
    if (c + 1 < p.num_classes) ImGui::SameLine();
  }
  MutedText("Drag a point to move it, right-click to delete it. Hover anywhere to see its k nearest points vote.");
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted("Classifier");
  draw_shared_settings(s, probes);
  ImGui::Checkbox("shade decision regions", &p.show_regions);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Text("%s, %s", counted(int(p.labels.size()), "point", "points").c_str(),
              counted(p.num_classes, "class", "classes").c_str());
  ImGui::Text("regions: %d×%d cells in %.1f ms", p.regions_res, p.regions_res, p.regions_ms);
  ImGui::SameLine();
  HelpMarker(
      "Every cell of the plane is classified by the same k-NN search as a test point would be. "
      "Colour = winning class; stronger colour = larger share of the vote; grey = a tied vote.");
}

void draw_points_plane(KnnLabState& s, LabContext& ctx) {
  Knn2dState& p = s.points;
  const float size = FitSquare(220.0f, 1e9f, 4.0f);
  const bool answered = hover_answered(s);  // before this frame's edits change the points
  PointPlane plane("plane", size, ctx.probes, "plane", p.show_regions ? &p.regions : nullptr);

  // Editing: click adds, drag moves, right-click deletes; the next update redoes the regions.
  PlaneEditing how;
  how.add_class = std::min(p.paint_class, p.num_classes - 1);
  const bool edited = plane.edit_points(p.points, p.labels, p.dragging, how).changed();
  if (edited) ++p.points_version;

  // Hover: lines to the k nearest points (found by the last update) and the vote.
  const bool show_hover = answered && !edited && plane.hovered() && p.dragging < 0;
  if (show_hover) {
    ImDrawList* dl = plane.draw_list();
    for (int j = 0; j < p.hover_neighbors.k; ++j) {
      const int i = p.hover_neighbors.index[size_t(j)];
      dl->AddLine(plane.mouse_screen(), plane.to_screen(p.points[size_t(i) * 2], p.points[size_t(i) * 2 + 1]),
                  class_color(p.labels[size_t(i)], 0.9f), 1.5f);
    }
  }
  p.hover_valid = plane.hovered() && p.dragging < 0 && !p.labels.empty();
  p.hover_x = plane.mouse().x;
  p.hover_y = plane.mouse().y;
  plane.draw_points(p.points, p.labels);
  plane.end();
  if (show_hover) {
    ImGui::BeginTooltip();
    ImGui::Text("k = %d nearest (%s)", int(p.hover_neighbors.k), metric_name(s.metric));
    for (int c = 0; c < p.num_classes; ++c) {
      ImGui::TextColored(class_color_vec(c), "●");
      ImGui::SameLine();
      if (s.weighted)
        ImGui::Text("class %d: %.2f", c, double(p.hover_vote.votes[size_t(c)]));
      else
        ImGui::Text("class %d: %d vote%s", c, int(p.hover_vote.votes[size_t(c)]),
                    p.hover_vote.votes[size_t(c)] == 1 ? "" : "s");
    }
    ImGui::Separator();
    if (p.hover_vote.tied)
      ImGui::Text("tie → smallest label wins: class %d", p.hover_vote.label);
    else
      ImGui::Text("prediction: class %d (%.0f%% of the vote)", p.hover_vote.label, 100.0 * double(p.hover_vote.share));
    ImGui::EndTooltip();
  }
}

void draw_points_tab(KnnLabState& s, LabContext& ctx) {
  if (!ctx.shown("settings")) {  // hide=settings: the plane alone, full width
    if (ctx.shown("plane")) draw_points_plane(s, ctx);
    return;
  }
  Panes panes("points", 330, 300);
  ImGui::BeginDisabled(ctx.locked);
  draw_points_controls(s, ctx.probes);
  ImGui::EndDisabled();
  panes.next();
  if (!ctx.shown("plane")) return;
  draw_points_plane(s, ctx);
}

// [SECTION] MNIST drawing ---------------------------------------------------------------------

void classify_drawing(KnnLabState& s, const DataState& data, Host& host) {
  KnnMnistState& m = s.mnist;
  m.error.clear();
  m.has_result = false;
  if (canvas_empty(m.canvas)) return;
  const int n = std::min(m.train_size, data.train.count);
  try {
    m.processed = preprocess_like_mnist(m.canvas.ink, m.canvas.size, m.canvas.size);
    const U8Rows train{data.train.pixels.data(), n, data.train.dim()};
    const auto t0 = Clock::now();
    m.neighbors = search_one(train, m.processed.data(), std::min(s.k, n), s.metric);
    m.query_ms = ms_since(t0);
    std::vector<float> d(static_cast<size_t>(m.neighbors.k));
    for (int j = 0; j < m.neighbors.k; ++j) d[size_t(j)] = true_distance(s.metric, m.neighbors.distance[size_t(j)]);
    m.vote = vote(m.neighbors.index_of(0), d, data.train.labels, 10, s.weighted);
    m.has_result = true;
  } catch (const Error& e) {
    m.error = e.what();
    return;
  }
  m.neighbor_atlas = pack_digit_atlas(m.neighbors.k, 28, 28, m.neighbors.k,
                                      [&](int j) { return data.train.image(m.neighbors.index[size_t(j)]); });
  host.update_texture(m.neighbor_texture, m.neighbor_atlas.rgba.data(), m.neighbor_atlas.width,
                      m.neighbor_atlas.height);
  const Atlas processed = pack_digit_atlas(1, 28, 28, 1, [&](int) { return std::span<const uint8_t>(m.processed); });
  host.update_texture(m.processed_texture, processed.rgba.data(), 28, 28);
}

// Classifies the drawing again when the canvas, the settings or the data changed.
void update_mnist(KnnLabState& s, const DataState& data, Host& host) {
  KnnMnistState& m = s.mnist;
  if (s.tab != KnnTab::Mnist || !data.ready()) return;
  const ClassifyKey key{
      s.k, s.metric, s.weighted, std::min(m.train_size, data.train.count), data.generation, m.canvas.version};
  if (m.classified == key) return;
  classify_drawing(s, data, host);
  m.classified = key;
}

void draw_vote_histogram(const Vote& v, bool weighted) {
  const float width = 300, height = 120;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height + ImGui::GetTextLineHeight() + 4));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float total = 0, top = 0;
  for (float x : v.votes) {
    total += x;
    top = std::max(top, x);
  }
  const float bar = width / 10.0f;
  for (int c = 0; c < 10; ++c) {
    const float h = top > 0 ? v.votes[size_t(c)] / top * (height - 18) : 0;
    const ImVec2 a(o.x + c * bar + 3, o.y + height - h), b(o.x + (c + 1) * bar - 3, o.y + height);
    dl->AddRectFilled(a, b, c == v.label ? IM_COL32(0, 114, 178, 255) : IM_COL32(0, 114, 178, 90), 2);
    char buf[16];
    if (v.votes[size_t(c)] > 0) {
      std::snprintf(buf, sizeof buf, weighted ? "%.2g" : "%.0f", double(v.votes[size_t(c)]));
      dl->AddText(ImVec2(a.x + 2, a.y - 16), kInkColor, buf);
    }
    std::snprintf(buf, sizeof buf, "%d", c);
    dl->AddText(ImVec2(o.x + c * bar + bar * 0.5f - 4, o.y + height + 2), kMutedTextColor, buf);
  }
  dl->AddLine(ImVec2(o.x, o.y + height), ImVec2(o.x + width, o.y + height), IM_COL32(0, 0, 0, 80));
  (void)total;
}

void draw_mnist_tab(KnnLabState& s, LabContext& ctx) {
  KnnMnistState& m = s.mnist;
  DataState& data = ctx.data;
  if (!draw_data_needed(ctx)) return;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Draw a digit");
  ImGui::SameLine();
  HelpMarker(
      "Your drawing is prepared the way MNIST was: the ink's bounding box is scaled to fit 20×20 "
      "pixels (keeping its aspect ratio), anti-aliased, and centred by its centre of mass in a 28×28 "
      "image. Then it is compared with every training image.");
  const ImVec2 canvas_pos = ImGui::GetCursorScreenPos();
  const float display = 336.0f;
  DrawCanvas("digit_canvas", m.canvas, display, m.pen_radius, m.erase, ctx.host);
  ctx.probes.rect("canvas", canvas_pos, ImVec2(canvas_pos.x + display, canvas_pos.y + display));
  if (ShortcutButton("Clear", kClearKey)) canvas_clear(m.canvas);
  ImGui::SameLine();
  ImGui::BeginDisabled(m.canvas.strokes.empty());
  if (ShortcutButton("Undo", kUndoKey)) canvas_undo(m.canvas);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox("eraser", &m.erase);
  ImGui::SetNextItemWidth(FitWidth(180, "pen width"));
  ImGui::SliderFloat("pen width", &m.pen_radius, 5.0f, 22.0f, "%.0f");
  ImGui::EndGroup();

  SameLineIfFits(320, 24);  // the settings and the answer beside the canvas, or under it
  ImGui::BeginGroup();
  ImGui::BeginDisabled(ctx.locked);
  draw_shared_settings(s, ctx.probes);
  ImGui::EndDisabled();
  int size_index = 0;
  for (int i = 0; i < 7; ++i)
    if (kTrainSizes[i] == m.train_size) size_index = i;
  const std::string size_label = thousands(m.train_size);
  ImGui::SetNextItemWidth(FitWidth(200, "training images"));
  if (ImGui::SliderInt("training images", &size_index, 0, 6, size_label.c_str()))
    m.train_size = kTrainSizes[size_index];
  if (m.train_size > data.train.count) {
    if (data.loading_set == "full") {
      ImGui::ProgressBar(data.progress(), ImVec2(200, 0), "loading the full set…");
    } else {
      ImGui::TextWrapped("Only %s training images are loaded.", thousands(data.train.count).c_str());
      if (ImGui::Button("Load all 60,000")) ctx.host.request_dataset("full");
    }
  }
  ImGui::Separator();
  if (!m.error.empty()) ErrorText(m.error);
  if (!m.has_result) {
    MutedText("Draw a digit on the canvas: it is classified while you draw.");
  } else {
    if (ctx.fonts.heading) ImGui::PushFont(ctx.fonts.heading);
    ImGui::Text("Prediction: %d", m.vote.label);
    if (ctx.fonts.heading) ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextDisabled("%s", m.vote.tied ? "(tied vote: smallest label wins)" : "");
    ImGui::Text("searched %s images in %.2f ms", thousands(std::min(m.train_size, data.train.count)).c_str(),
                m.query_ms);
    ImGui::Text("Votes of the %d nearest", m.neighbors.k);
    draw_vote_histogram(m.vote, s.weighted);
    ImGui::Text("What the classifier sees");
    ImGui::Image(m.processed_texture.id, ImVec2(84, 84), ImVec2(0, 0), ImVec2(1, 1), ImVec4(1, 1, 1, 1),
                 ImVec4(0.8f, 0.8f, 0.8f, 1));
  }
  ImGui::EndGroup();
  if (m.has_result) {
    ImGui::Separator();
    ImGui::Text("The %d nearest training images (%s distance)", m.neighbors.k, metric_name(s.metric));
    const float tile = 64;
    const int per_row = std::max(1, int(ImGui::GetContentRegionAvail().x / (tile + 12)));
    for (int j = 0; j < m.neighbors.k; ++j) {
      if (j % per_row) ImGui::SameLine();
      ImGui::BeginGroup();
      DigitTile(m.neighbor_texture, m.neighbor_atlas, j, tile);
      const int label = data.train.labels[size_t(m.neighbors.index[size_t(j)])];
      ImGui::TextColored(label == m.vote.label ? ImVec4(0, 0.45f, 0.7f, 1) : ImVec4(0.6f, 0.3f, 0.1f, 1), "%d", label);
      ImGui::SameLine();
      ImGui::TextDisabled("%s", significant(true_distance(s.metric, m.neighbors.distance[size_t(j)])).c_str());
      ImGui::EndGroup();
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("training image #%d, label %d, distance %.4g", m.neighbors.index[size_t(j)], label,
                          double(true_distance(s.metric, m.neighbors.distance[size_t(j)])));
    }
  }
}

// [SECTION] cross-validation ------------------------------------------------------------------

void start_cv(KnnLabState& s, const DataState& data) {
  KnnCvState& cv = s.cv;
  cv.error.clear();
  cv.test_running = false;
  cv.test_total = 0;
  const int n = std::min(cv.subset, data.train.count);
  CvParams params;
  params.folds = cv.folds;
  params.ks.clear();
  for (int k = 1; k <= cv.k_max; ++k) params.ks.push_back(k);
  params.metric = s.metric;
  params.weighted = s.weighted;
  params.seed = 1;
  try {
    cv.job =
        std::make_unique<CrossValidationJob>(U8Rows{data.train.pixels.data(), n, data.train.dim()},
                                             std::span<const uint8_t>(data.train.labels.data(), size_t(n)), 10, params);
    cv.job_generation = data.generation;
    cv.metric_used = s.metric;
    cv.seconds = 0;
  } catch (const Error& e) {
    cv.error = e.what();
    cv.job.reset();
  }
}

// Runs the job for about `budget_ms` this frame, so the UI keeps its frame rate.
void step_cv(KnnCvState& cv, const DataState& data, double budget_ms) {
  if (!cv.job) return;
  if (cv.job_generation != data.generation) {  // the data it views was replaced
    cv.job.reset();
    cv.error = "the data changed while cross-validating; start again";
    return;
  }
  const auto t0 = Clock::now();
  while (ms_since(t0) < budget_ms)
    if (cv.job->step(16)) break;
  cv.seconds += ms_since(t0) / 1000.0;
  cv.result = cv.job->result();
  cv.has_result = true;
  if (cv.job->done()) {
    cv.chosen_k = cv.result.best_k;
    cv.job.reset();
  }
}

void step_test_eval(KnnLabState& s, const DataState& data, double budget_ms) {
  KnnCvState& cv = s.cv;
  if (!cv.test_running) return;
  const int n = std::min(cv.subset, data.train.count);
  const U8Rows train{data.train.pixels.data(), n, data.train.dim()};
  const auto t0 = Clock::now();
  while (cv.test_next < data.test.count && ms_since(t0) < budget_ms) {
    const int count = std::min(16, data.test.count - cv.test_next);
    const U8Rows queries{data.test.pixels.data() + size_t(cv.test_next) * size_t(data.test.dim()), count,
                         data.test.dim()};
    KnnParams params{cv.chosen_k, cv.metric_used, s.weighted};
    const auto predicted =
        predict(train, std::span<const uint8_t>(data.train.labels.data(), size_t(n)), 10, queries, params);
    for (int i = 0; i < count; ++i)
      cv.test_correct += predicted[size_t(i)] == data.test.labels[size_t(cv.test_next + i)];
    cv.test_next += count;
  }
  cv.test_total = cv.test_next;
  if (cv.test_next >= data.test.count) cv.test_running = false;
}

void draw_cv_plot(const KnnCvState& cv) {
  const CvResult& r = cv.result;
  const int K = int(r.ks.size()), F = r.folds;
  double lo = 1, hi = 0;
  for (double a : r.fold_accuracy)
    if (std::isfinite(a)) {
      lo = std::min(lo, a);
      hi = std::max(hi, a);
    }
  if (lo > hi) lo = 0, hi = 1;
  const double pad = std::max(0.01, (hi - lo) * 0.15);
  Plot plot("cv_plot", ImVec2(-1, 340), {0, double(K) + 1}, {std::max(0.0, lo - pad), std::min(1.0, hi + pad)},
            "k (neighbours)", "cross-validation accuracy");
  std::vector<double> xs(static_cast<size_t>(K)), ys(static_cast<size_t>(K)), dots_x, dots_y;
  for (int i = 0; i < K; ++i) {
    xs[size_t(i)] = r.ks[size_t(i)];
    for (int f = 0; f < F; ++f) {
      dots_x.push_back(r.ks[size_t(i)]);
      dots_y.push_back(r.fold_accuracy[size_t(i * F + f)]);
    }
  }
  plot.scatter(dots_x, dots_y, IM_COL32(90, 90, 100, 150), 3.0f, "one fold");
  plot.error_bars(xs, r.mean, r.stddev, IM_COL32(0, 114, 178, 200));
  plot.line(xs, r.mean, IM_COL32(0, 114, 178, 255), 2.0f, "mean ± 1 std");
  if (!cv.job && r.best_k > 0) {
    char label[32];
    std::snprintf(label, sizeof label, "best k = %d", r.best_k);
    plot.vline(r.best_k, IM_COL32(213, 94, 0, 255), label);
  }
  if (plot.hovered()) {
    const int i = std::clamp(int(std::lround(plot.mouse_x())) - 1, 0, K - 1);
    ImGui::BeginTooltip();
    ImGui::Text("k = %d: mean %.4f, std %.4f", r.ks[size_t(i)], r.mean[size_t(i)], r.stddev[size_t(i)]);
    for (int f = 0; f < F; ++f) ImGui::Text("fold %d: %.4f", f + 1, r.fold_accuracy[size_t(i * F + f)]);
    ImGui::EndTooltip();
  }
}

void draw_cv_tab(KnnLabState& s, LabContext& ctx) {
  KnnCvState& cv = s.cv;
  if (!draw_data_needed(ctx)) return;
  MutedText(
      "Choosing k on the test set would tune to the test set. Instead split the training data into 5 folds: "
      "each fold is held out once while the other 4 vote, for every k from 1 to 25. One neighbour search per "
      "image serves all 25 values of k.");
  constexpr int kLastSubset = int(std::size(kSubsetWords)) - 1;
  int subset_index = 2;
  for (int i = 0; i <= kLastSubset; ++i)
    if (kSubsetWords[i].value == cv.subset) subset_index = i;
  const std::string subset_label = thousands(cv.subset) + " images";
  ImGui::BeginDisabled(cv.job != nullptr || ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(200, "training subset"));
  if (ImGui::SliderInt("training subset", &subset_index, 0, kLastSubset, subset_label.c_str()))
    cv.subset = kSubsetWords[subset_index].value;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(FitWidth(170, "distance##cv"));
  EnumCombo<Metric>("distance##cv", s.metric, kMetricChoices);
  ImGui::EndDisabled();
  if (cv.job) {
    if (ImGui::Button("Cancel")) {
      cv.job.reset();
      cv.error = "cancelled";
    }
    ImGui::SameLine();
    ImGui::ProgressBar(cv.job ? cv.job->progress() : 0.0f, ImVec2(300, 0));
  } else {
    if (ImGui::Button("Run 5-fold cross-validation")) cv.start_requested = true;
    ctx.probes.item("cv_run");
  }
  if (!cv.error.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", cv.error.c_str());
  }
  if (cv.has_result) {
    draw_cv_plot(cv);
    if (!cv.job) {
      const CvResult& r = cv.result;
      const int best = r.best_k - 1;
      ImGui::Text("Best k = %d: mean accuracy %.4f ± %.4f over %d folds of %s images (%s, %.1f s).", r.best_k,
                  r.mean[size_t(best)], r.stddev[size_t(best)], r.folds, thousands(cv.subset).c_str(),
                  metric_name(cv.metric_used), cv.seconds);
      ImGui::SetNextItemWidth(FitWidth(200, "chosen k"));
      ImGui::SliderInt("chosen k", &cv.chosen_k, 1, cv.k_max);
      ImGui::SameLine();
      ImGui::BeginDisabled(cv.test_running);
      if (ImGui::Button("Evaluate on the test set")) {
        cv.test_running = true;
        cv.test_next = cv.test_correct = cv.test_total = 0;
      }
      ImGui::EndDisabled();
      if (cv.test_total > 0) {
        ImGui::SameLine();
        ImGui::Text("test accuracy (k = %d): %.4f (%d/%d)%s", cv.chosen_k, double(cv.test_correct) / cv.test_total,
                    cv.test_correct, cv.test_total, cv.test_running ? "…" : "");
      }
      MutedText("The test set is used once, at the end, for the k the validation folds chose.");
    }
  }
}

// [SECTION] perception ------------------------------------------------------------------------

void draw_perception_tab(KnnLabState& s, LabContext& ctx) {
  KnnPerceptionState& p = s.perception;
  const DataState& data = ctx.data;
  if (!draw_data_needed(ctx)) return;
  MutedText(
      "Three edits at about the same L2 pixel distance from the original: a 1-pixel shift and a uniform grey "
      "tint, which leave the digit as easy to read as before, and a square blot over its middle, which hides "
      "part of it. To kNN on raw pixels all three are equally different, which is why pixel distance is a poor "
      "measure of similarity between images.");
  ImGui::SetNextItemWidth(FitWidth(200, "test image"));
  ImGui::SliderInt("test image", &p.image_index, 0, data.test.count - 1);
  ImGui::SameLine();
  if (ImGui::Button("Another")) p.image_index = (p.image_index * 7919 + 13) % data.test.count;
  if (!p.built) return;  // the next update builds the variants
  const PerceptionVariants& v = p.variants;
  char captions[4][96];
  std::snprintf(captions[0], 96, "original (label %d)", data.test.labels[size_t(p.built->image_index)]);
  std::snprintf(captions[1], 96, "shifted %d px\nL2 = %.0f", v.shift_pixels, v.shifted_l2);
  std::snprintf(captions[2], 96, "occluded (%d×%d blot)\nL2 = %.0f", v.occluder_size, v.occluder_size, v.occluded_l2);
  std::snprintf(captions[3], 96, "tinted (+%d)\nL2 = %.0f", v.tint, v.tinted_l2);
  for (int i = 0; i < 4; ++i) {
    if (i) SameLineIfFits(150, 24);
    ImGui::BeginGroup();
    DigitTile(p.texture, p.atlas, i, 150);
    ImGui::TextUnformatted(captions[i]);
    ImGui::EndGroup();
  }
}

// The test image and its three edits, built again when the choice or the data changed.
void update_perception(KnnLabState& s, const DataState& data, Host& host) {
  KnnPerceptionState& p = s.perception;
  if (s.tab != KnnTab::Perception || !data.ready()) return;
  p.image_index = std::clamp(p.image_index, 0, data.test.count - 1);
  const PerceptionKey key{p.image_index, data.generation};
  if (p.built == key) return;
  const auto image = data.test.image(p.image_index);
  p.variants = equal_distance_variants(image, 28, 28);  // a 1-pixel shift
  const std::span<const uint8_t> tiles[] = {image, p.variants.shifted, p.variants.occluded, p.variants.tinted};
  p.atlas = pack_digit_atlas(4, 28, 28, 4, [&](int i) { return tiles[i]; });
  host.update_texture(p.texture, p.atlas.rgba.data(), p.atlas.width, p.atlas.height);
  p.built = key;
}

void step_cv_jobs(KnnLabState& s, const DataState& data, double budget_ms) {
  if (s.cv.start_requested && data.ready()) start_cv(s, data);
  s.cv.start_requested = false;
  step_cv(s.cv, data, budget_ms);
  step_test_eval(s, data, budget_ms);
}

// A job that is still running needs the next frame, input or not.
void keep_awake_while_running(const KnnLabState& s, const LabContext& ctx) {
  if (s.cv.job || s.cv.test_running) ctx.keep_awake();
}

}  // namespace

// [SECTION] lab -------------------------------------------------------------------------------

void update_knn_lab(KnnLabState& s, LabContext& ctx) {
  update_points(s, ctx.host);
  update_mnist(s, ctx.data, ctx.host);
  step_cv_jobs(s, ctx.data, s.tab == KnnTab::CrossValidation ? 12.0 : 8.0);
  update_perception(s, ctx.data, ctx.host);
  keep_awake_while_running(s, ctx);
}

namespace {

// What runs, for the status bar.
std::string knn_activity(const KnnLabState& s) {
  if (s.cv.job) return "kNN: cross-validating k " + std::to_string(int(100 * s.cv.job->progress())) + " %";
  if (s.cv.test_running) return "kNN: testing k = " + std::to_string(s.cv.chosen_k) + " on the test set";
  return "";
}

}  // namespace

void background_knn_lab(KnnLabState& s, LabContext& ctx) {
  step_cv_jobs(s, ctx.data, 8.0);
  ctx.activity = knn_activity(s);
  keep_awake_while_running(s, ctx);
}

void draw_knn_lab(KnnLabState& s, LabContext& ctx) {
  ctx.activity = knn_activity(s);
  LabHeading(ctx.fonts.heading, "k-nearest neighbours",
             ctx.shown("summary") ? "Memorize the training set; label a new point by a vote of its k nearest training "
                                    "examples."
                                  : nullptr);
  static constexpr const char* kTabNames[] = {"2-D points", "MNIST: draw a digit", "Cross-validation of k",
                                              "Pixel distance ≠ perception"};
  if (!LabTabs("knn_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case KnnTab::Points2d: draw_points_tab(s, ctx); break;
    case KnnTab::Mnist: draw_mnist_tab(s, ctx); break;
    case KnnTab::CrossValidation: draw_cv_tab(s, ctx); break;
    case KnnTab::Perception: draw_perception_tab(s, ctx); break;
  }
}

nlohmann::json knn_state_json(const KnnLabState& s) {
  const KnnMnistState& m = s.mnist;
  return {{"tab", int(s.tab)},
          {"k", s.k},
          {"metric", metric_name(s.metric)},
          {"weighted", s.weighted},
          {"points", s.points.labels.size()},
          {"preset", toy_preset_name(s.points.preset)},
          {"first_point", s.points.points.size() >= 2 ? nlohmann::json{s.points.points[0], s.points.points[1]}
                                                      : nlohmann::json::array()},
          {"regions_ms", s.points.regions_ms},
          {"prediction", m.has_result ? m.vote.label : -1},
          {"query_ms", m.query_ms},
          {"cv_running", s.cv.job != nullptr},
          {"cv_best_k", s.cv.has_result && !s.cv.job ? s.cv.result.best_k : 0},
          {"hover_prediction", hover_answered(s) ? s.points.hover_vote.label : -1}};
}

}  // namespace implay::app
