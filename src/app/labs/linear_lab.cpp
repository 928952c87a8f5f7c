// linear_lab.cpp — the linear classifier lab. [SECTION] settings & URL · 2-D points ·
// MNIST training · Softmax vs SVM · lab. Widgets draw; core/linear/linear.hpp, losses.hpp and
// linear_train.hpp do every score, loss, gradient and update.
#include "app/labs/linear_lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/confusion_matrix.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/loss_curves.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/point_plane.hpp"
#include "app/widgets/score_table.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"
#include "core/eval/metrics.hpp"

namespace implay::app {
namespace {

constexpr EnumChoice<LossKind> kLossChoices[] = {{LossKind::MulticlassHinge, "multiclass SVM (Weston–Watkins hinge)"},
                                                 {LossKind::OneVsAllHinge, "one-vs-all hinge"},
                                                 {LossKind::StructuredHinge, "structured SVM (Crammer–Singer)"},
                                                 {LossKind::SoftmaxCrossEntropy, "softmax cross-entropy"}};
constexpr EnumChoice<Regularizer> kRegChoices[] = {{Regularizer::None, "none"},
                                                   {Regularizer::L2, "L2: Σ W²"},
                                                   {Regularizer::L1, "L1: Σ |W|"},
                                                   {Regularizer::ElasticNet, "elastic net: β Σ W² + Σ |W|"}};
constexpr EnumChoice<FeatureKind> kFeatureChoices[] = {{FeatureKind::Pixels, "raw pixels"},
                                                       {FeatureKind::Histogram, "intensity histogram"},
                                                       {FeatureKind::Hog, "HoG (oriented gradients)"}};
constexpr EnumChoice<Optimizer> kOptimizerChoices[] = {{Optimizer::Sgd, "SGD with momentum"},
                                                       {Optimizer::Adam, "Adam"}};

bool is_hinge(LossKind k) { return k != LossKind::SoftmaxCrossEntropy && k != LossKind::BinaryLogistic; }

ObjectiveOptions objective_options(const LinearSettings& s, float lambda) {
  ObjectiveOptions o;
  o.loss = s.loss;
  o.loss_options.margin = s.margin;
  o.regularization.kind = s.reg;
  o.regularization.lambda = lambda;
  return o;
}

// Loss, Δ and regularizer controls; returns true when one changed.
bool draw_loss_controls(LinearSettings& s, float& lambda, float lambda_max) {
  bool changed = false;
  ImGui::SetNextItemWidth(FitWidth(std::max(250.0f, EnumComboWidth<LossKind>(kLossChoices)), "loss"));
  changed |= EnumCombo<LossKind>("loss", s.loss, kLossChoices);
  ImGui::SameLine();
  HelpMarker(
      "Weston–Watkins: Lᵢ = Σⱼ≠ᵧ max(0, sⱼ − sᵧ + Δ).\nOne-vs-all: Lᵢ = Σⱼ max(0, Δ − tⱼ sⱼ), tⱼ = ±1.\n"
      "Crammer–Singer: Lᵢ = max(0, Δ + maxⱼ≠ᵧ sⱼ − sᵧ).\nSoftmax: Lᵢ = −log(e^sᵧ / Σⱼ e^sⱼ).");
  if (is_hinge(s.loss)) {
    ImGui::SetNextItemWidth(FitWidth(250, "margin Δ"));
    changed |= ImGui::SliderFloat("margin Δ", &s.margin, 0.1f, 5.0f, "%.2f");
  }
  ImGui::SetNextItemWidth(FitWidth(250, "regularizer"));
  changed |= EnumCombo<Regularizer>("regularizer", s.reg, kRegChoices);
  ImGui::SameLine();
  HelpMarker(
      "L = (1/N) Σᵢ Lᵢ + λ R(W). The bias b is not regularized. L2 prefers small, spread-out weights; "
      "L1 prefers sparse ones.");
  if (s.reg != Regularizer::None) {
    ImGui::SetNextItemWidth(FitWidth(250, "λ"));
    changed |= ImGui::SliderFloat("λ", &lambda, 0.0f, lambda_max, "%.2g", ImGuiSliderFlags_Logarithmic);
  }
  return changed;
}

// [SECTION] settings & URL ------------------------------------------------------------------

}  // namespace

namespace {

constexpr UrlWord<LinearTab> kTabWords[] = {
    {LinearTab::Points2d, "2d"}, {LinearTab::Mnist, "mnist"}, {LinearTab::Compare, "compare"}};
constexpr UrlWord<LossKind> kLossWords[] = {{LossKind::MulticlassHinge, "svm"},
                                            {LossKind::OneVsAllHinge, "ova"},
                                            {LossKind::StructuredHinge, "structured"},
                                            {LossKind::SoftmaxCrossEntropy, "softmax"}};
constexpr UrlWord<Regularizer> kRegWords[] = {{Regularizer::None, "none"},
                                              {Regularizer::L2, "l2"},
                                              {Regularizer::L1, "l1"},
                                              {Regularizer::ElasticNet, "elastic"}};
constexpr UrlWord<FeatureKind> kFeatureWords[] = {
    {FeatureKind::Pixels, "pixels"}, {FeatureKind::Histogram, "histogram"}, {FeatureKind::Hog, "hog"}};
constexpr UrlWord<Optimizer> kOptimizerWords[] = {{Optimizer::Sgd, "sgd"}, {Optimizer::Adam, "adam"}};
constexpr UrlWord<TrainSpeed> kSpeedWords[] = {
    {TrainSpeed::Fast, "fast"}, {TrainSpeed::Slow, "slow"}, {TrainSpeed::VerySlow, "veryslow"}};

// λ and the learning rate: the MNIST tab has its own (its scale differs); a link sets both, as
// it always did, and holds the one of the tab it shows.
double shown_lambda(const LinearLabState& s) { return s.tab == LinearTab::Mnist ? s.mnist.lambda : s.settings.lambda; }
double shown_lr(const LinearLabState& s) {
  return s.tab == LinearTab::Mnist ? s.mnist.learning_rate : s.settings.learning_rate;
}

}  // namespace

const UrlTable<LinearLabState>& linear_url_table() {
  using S = LinearLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: 2-D points, MNIST training, softmax vs SVM", [](auto& s) -> auto& { return s.tab; }),
       url_enum<S, kLossWords>(
           "loss", "the loss", [](auto& s) -> auto& { return s.settings.loss; }),
       url_float<S>(
           "margin", 0.1, 5, "Δ of the hinge losses", [](auto& s) -> auto& { return s.settings.margin; }),
       url_enum<S, kRegWords>(
           "reg", "the regularizer", [](auto& s) -> auto& { return s.settings.reg; }),
       {{"lambda", "λ, the regularization strength (of the tab shown)", UrlKind::Float, 0, 10, {}},
        shown_lambda,
        [](S& s, double v) { s.settings.lambda = s.mnist.lambda = float(v); }},
       {{"lr", "the learning rate (of the tab shown)", UrlKind::Float, 1e-6, 10, {}},
        shown_lr,
        [](S& s, double v) { s.settings.learning_rate = s.mnist.learning_rate = float(v); }},
       url_enum<S, kToyPresetWords>(
           "preset", "the 2-D point set", [](auto& s) -> auto& { return s.points.preset; }),
       url_int<S>(
           "classes", 3, 5, "classes of the 2-D set", [](auto& s) -> auto& { return s.points.num_classes; }),
       url_int<S>(
           "points", 2, 40, "2-D points per class", [](auto& s) -> auto& { return s.points.points_per_class; }),
       url_int<S>(
           "seed", 0, 1000000, "the 2-D sample and first W (Reset data, Randomize W count up)",
           [](auto& s) -> auto& { return s.points.seed; }),
       url_enum<S, kFeatureWords>(
           "features", "MNIST features", [](auto& s) -> auto& { return s.mnist.features.kind; }),
       url_enum<S, kOptimizerWords>(
           "optimizer", "MNIST optimizer", [](auto& s) -> auto& { return s.mnist.optimizer; }),
       url_int<S>(
           "epochs", 1, 20, "MNIST training epochs", [](auto& s) -> auto& { return s.mnist.epochs; }),
       url_int<S>(
           "batch", 10, 500, "MNIST minibatch size", [](auto& s) -> auto& { return s.mnist.batch_size; }),
       url_enum<S, kSpeedWords>(
           "speed", "MNIST training speed: slow shows every batch", [](auto& s) -> auto& { return s.mnist.speed; })},
      {{"settings", "the settings column of the 2-D and MNIST tabs"},
       {"table", "the per-example score table of the 2-D tab"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

namespace {

// [SECTION] 2-D points ----------------------------------------------------------------------

std::vector<int> int_labels(const std::vector<uint8_t>& labels) { return {labels.begin(), labels.end()}; }

Eigen::Map<const RowMatrixXf> point_matrix(const Linear2dState& p) {
  return Eigen::Map<const RowMatrixXf>(p.points.data(), Eigen::Index(p.labels.size()), 2);
}

void reset_2d(Linear2dState& p, bool new_data) {
  if (new_data || p.labels.empty()) {
    const ToyData d = make_toy_data(p.preset, p.num_classes, p.points_per_class, p.seed);
    p.points = d.points;
    p.labels = d.labels;
  }
  p.model = LinearModel(p.num_classes, 2);
  // Spread out, not N(0, 1) with b = 0: then every line crosses the origin and the handles overlap.
  init_spread_2d(p.model, 0.35f, p.seed * 7 + uint64_t(p.steps));
  p.steps = 0;
  p.playing = false;
  p.selected = std::min(p.selected, p.num_classes - 1);
  p.regions_dirty = true;
}

void gradient_step(LinearLabState& s) {
  Linear2dState& p = s.points;
  if (p.labels.empty()) return;
  const auto labels = int_labels(p.labels);
  Eigen::VectorXf grad(p.model.num_params());
  objective(p.model, point_matrix(p), labels, objective_options(s.settings, s.settings.lambda), grad, &p.parts);
  p.model.params -= s.settings.learning_rate * grad;  // plain full-batch gradient descent
  ++p.steps;
  p.regions_dirty = true;
}

void compute_2d_regions(Linear2dState& p, Host& host) {
  const int res = 160;
  RowMatrixXf grid(res * res, 2);
  for (int y = 0; y < res; ++y)
    for (int x = 0; x < res; ++x) {
      grid(y * res + x, 0) = -1.0f + 2.0f * (float(x) + 0.5f) / float(res);
      grid(y * res + x, 1) = 1.0f - 2.0f * (float(y) + 0.5f) / float(res);
    }
  const std::vector<int> predicted = predict(p.model, grid);
  std::vector<uint32_t> rgba(static_cast<size_t>(res * res));
  for (size_t i = 0; i < rgba.size(); ++i) {
    const ImVec4 c = class_color_vec(predicted[i]);
    auto mix = [](float v) { return int(255.0f * (0.78f + 0.22f * v)); };
    rgba[i] = IM_COL32(mix(c.x), mix(c.y), mix(c.z), 255);
  }
  p.regions.smooth = true;
  host.update_texture(p.regions, rgba.data(), res, res);
  p.regions_dirty = false;
}

// The part of the square [-1, 1]² where w·x + b ≥ 0 (one Sutherland–Hodgman clip).
std::vector<ImVec2> positive_half(float w0, float w1, float b) {
  const ImVec2 square[4] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  std::vector<ImVec2> out;
  for (int i = 0; i < 4; ++i) {
    const ImVec2 a = square[i], c = square[(i + 1) % 4];
    const float fa = w0 * a.x + w1 * a.y + b, fc = w0 * c.x + w1 * c.y + b;
    if (fa >= 0) out.push_back(a);
    if ((fa >= 0) != (fc >= 0)) {
      const float t = fa / (fa - fc);
      out.push_back(ImVec2(a.x + t * (c.x - a.x), a.y + t * (c.y - a.y)));
    }
  }
  return out;
}

void draw_2d_plane(LinearLabState& s, LabContext& ctx) {
  Linear2dState& p = s.points;
  const float size = FitSquare(240.0f, 1e9f, 4.0f);
  PointPlane plane("lin_plane", size, ctx.probes, "plane", &p.regions);
  const ImVec2 mouse = plane.mouse_screen();
  const int C = p.model.num_classes;
  auto W = p.model.W();
  auto b = p.model.b();
  // Handles of class c: the line's point nearest the origin (shift) and the arrow tip (rotate).
  auto handle = [&](int c, bool tip) {
    const float w0 = W(c, 0), w1 = W(c, 1), n2 = std::max(1e-8f, w0 * w0 + w1 * w1), n = std::sqrt(n2);
    ImVec2 p0(-b(c) * w0 / n2, -b(c) * w1 / n2);
    p0.x = std::clamp(p0.x, -0.95f, 0.95f), p0.y = std::clamp(p0.y, -0.95f, 0.95f);
    return tip ? ImVec2(p0.x + 0.22f * w0 / n, p0.y + 0.22f * w1 / n) : p0;
  };

  // A click takes the nearest line handle within a fingertip's reach (kGrabRadius, as large as a
  // touch target); elsewhere the plane drags the data points.
  constexpr float kGrabRadius = 22.0f;
  if (plane.clicked(ImGuiMouseButton_Left)) {
    p.drag_handle = -1;
    float nearest = kGrabRadius * kGrabRadius;
    for (int h = 0; h < 2 * C; ++h) {
      const ImVec2 sp = plane.to_screen(handle(h / 2, h % 2));
      const float d2 = (sp.x - mouse.x) * (sp.x - mouse.x) + (sp.y - mouse.y) * (sp.y - mouse.y);
      if (d2 < nearest) nearest = d2, p.drag_handle = h;
    }
    if (p.drag_handle >= 0) p.selected = p.drag_handle / 2;
  }
  if (!plane.active() || !ImGui::IsMouseDown(ImGuiMouseButton_Left)) p.drag_handle = -1;
  if (p.drag_handle >= 0) {
    const ImVec2 m = plane.mouse();
    const int c = p.drag_handle / 2;
    const float w0 = W(c, 0), w1 = W(c, 1), n = std::max(1e-6f, std::sqrt(w0 * w0 + w1 * w1));
    if (p.drag_handle % 2 == 0) {
      b(c) = -(w0 * m.x + w1 * m.y);  // the line now passes through the mouse
    } else {
      const ImVec2 p0 = handle(c, false);
      const float dx = m.x - p0.x, dy = m.y - p0.y, d = std::sqrt(dx * dx + dy * dy);
      if (d > 1e-3f) {  // w turns towards the mouse, same length; the line keeps p0
        W(c, 0) = n * dx / d, W(c, 1) = n * dy / d;
        b(c) = -(W(c, 0) * p0.x + W(c, 1) * p0.y);
      }
    }
    p.regions_dirty = true;
  } else {
    PlaneEditing how;
    how.add = how.remove = false;  // the data are the preset's; only moving them teaches here
    plane.edit_points(p.points, p.labels, p.drag_point, how);
  }

  ImDrawList* dl = plane.draw_list();
  dl->PushClipRect(plane.min(), plane.max(), true);
  // The selected class's positive side, w·x + b ≥ 0, hatched lightly.
  if (p.selected < C) {
    auto poly = positive_half(W(p.selected, 0), W(p.selected, 1), b(p.selected));
    std::vector<ImVec2> screen;
    for (const ImVec2& v : poly) screen.push_back(plane.to_screen(v));
    if (screen.size() >= 3) dl->AddConvexPolyFilled(screen.data(), int(screen.size()), class_color(p.selected, 0.18f));
  }
  for (int c = 0; c < C; ++c) {
    const float w0 = W(c, 0), w1 = W(c, 1), n = std::sqrt(w0 * w0 + w1 * w1);
    if (n < 1e-6f) continue;
    const ImVec2 p0 = handle(c, false), tip = handle(c, true);
    const ImVec2 d(-w1 / n, w0 / n);
    const ImU32 col = class_color(c);
    dl->AddLine(plane.to_screen(p0.x - 3 * d.x, p0.y - 3 * d.y), plane.to_screen(p0.x + 3 * d.x, p0.y + 3 * d.y), col,
                c == p.selected ? 3.0f : 2.0f);
    dl->AddLine(plane.to_screen(p0), plane.to_screen(tip), col, 2.0f);
    // Arrow head along w: the direction in which class c's score grows.
    const ImVec2 t = plane.to_screen(tip), back = plane.to_screen(tip.x - 0.05f * w0 / n, tip.y - 0.05f * w1 / n);
    const ImVec2 side(-(t.y - back.y) * 0.6f, (t.x - back.x) * 0.6f);
    dl->AddTriangleFilled(t, ImVec2(back.x + side.x, back.y + side.y), ImVec2(back.x - side.x, back.y - side.y), col);
    dl->AddCircleFilled(plane.to_screen(p0), 5.5f, IM_COL32(255, 255, 255, 255));
    dl->AddCircle(plane.to_screen(p0), 5.5f, col, 16, 2.0f);
  }
  dl->PopClipRect();
  plane.draw_points(p.points, p.labels);
  plane.end();
}

// Scores, losses and accuracy of every point at the current W, for the table and the read-out.
void update_examples(LinearLabState& s) {
  Linear2dState& p = s.points;
  if (p.labels.empty()) {
    p.example_scores.resize(0, 0);
    p.example_loss.resize(0);
    p.correct = 0;
    return;
  }
  const auto labels = int_labels(p.labels);
  Eigen::VectorXf unused(p.model.num_params());
  objective(p.model, point_matrix(p), labels, objective_options(s.settings, s.settings.lambda), unused, &p.parts);
  p.example_scores = scores(p.model, point_matrix(p));
  LossOptions lo;
  lo.margin = s.settings.margin;
  p.example_loss = per_example_loss(s.settings.loss, p.example_scores, labels, lo);
  const std::vector<int> predicted = predict(p.model, point_matrix(p));
  p.correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) p.correct += predicted[i] == p.labels[i];
}

void update_points(LinearLabState& s, Host& host) {
  Linear2dState& p = s.points;
  if (p.reset_data || p.labels.empty())
    reset_2d(p, true);
  else if (p.reset_weights)
    reset_2d(p, false);
  p.reset_data = p.reset_weights = false;
  if (s.tab != LinearTab::Points2d) return;
  for (; p.pending_steps > 0; --p.pending_steps) gradient_step(s);
  if (p.playing) gradient_step(s);
  update_examples(s);
  if (p.regions_dirty) compute_2d_regions(p, host);
}

void draw_example_table(const LinearLabState& s) {
  const Linear2dState& p = s.points;
  const int N = int(p.labels.size()), C = p.model.num_classes;
  const Eigen::MatrixXf& S = p.example_scores;
  const Eigen::VectorXf& L = p.example_loss;
  if (N == 0 || S.rows() != N || S.cols() != C || L.size() != N) return;  // a reset waits for the next update
  const std::vector<uint8_t>& labels = p.labels;
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  // A scrolling list (the fit test exempts it): the rest of the pane, at least eight rows.
  const float height = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 8);
  if (!ImGui::BeginTable("examples", C + 4, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#");
  ImGui::TableSetupColumn("x₁, x₂");
  ImGui::TableSetupColumn("y");
  char name[16];
  for (int c = 0; c < C; ++c) {
    std::snprintf(name, sizeof name, "s%d", c);
    ImGui::TableSetupColumn(name);
  }
  ImGui::TableSetupColumn("Lᵢ");
  ImGui::TableHeadersRow();
  for (int i = 0; i < N; ++i) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%d", i);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f, %.2f", double(p.points[size_t(2 * i)]), double(p.points[size_t(2 * i + 1)]));
    ImGui::TableNextColumn();
    ImGui::TextColored(class_color_vec(labels[size_t(i)]), "● %d", labels[size_t(i)]);
    for (int c = 0; c < C; ++c) {
      ImGui::TableNextColumn();
      // The correct class's score in bold colour; the others plain.
      if (c == labels[size_t(i)])
        ImGui::TextColored(ImVec4(0, 0.35f, 0.6f, 1), "%.2f", double(S(i, c)));
      else
        ImGui::Text("%.2f", double(S(i, c)));
    }
    ImGui::TableNextColumn();
    if (L(i) > 0)
      ImGui::TextColored(ImVec4(0.7f, 0.2f, 0.1f, 1), "%.3f", double(L(i)));
    else
      ImGui::TextDisabled("0");
  }
  ImGui::EndTable();
}

// The left column of the 2-D tab: the data and loss settings, the step buttons, the loss terms.
void draw_points_column(LinearLabState& s, LabContext& ctx) {
  Linear2dState& p = s.points;
  ImGui::BeginDisabled(ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(200, "data"));
  bool regen = EnumCombo<ToyPreset>("data", p.preset, kToyPresetChoices);
  ImGui::SetNextItemWidth(FitWidth(200, "classes"));
  regen |= ImGui::SliderInt("classes", &p.num_classes, 3, 5);
  ImGui::SetNextItemWidth(FitWidth(200, "points per class"));
  regen |= ImGui::SliderInt("points per class", &p.points_per_class, 2, 40);
  if (regen) p.reset_data = true;
  ImGui::Separator();
  draw_loss_controls(s.settings, s.settings.lambda, 1.0f);
  ImGui::SetNextItemWidth(FitWidth(250, "learning rate"));
  ImGui::SliderFloat("learning rate", &s.settings.learning_rate, 0.001f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
  ImGui::EndDisabled();
  if (ShortcutButton(p.playing ? "Pause" : "Play", kPlayPauseKey)) p.playing = !p.playing;
  ctx.probes.item("play2d");
  ImGui::SameLine();
  if (ShortcutButton("Single step", kStepKey)) ++p.pending_steps;
  ImGui::SameLine();
  if (ImGui::Button("Randomize W")) {
    ++p.seed;
    p.reset_weights = true;
  }
  ImGui::SameLine();
  if (ShortcutButton("Reset data", kResetKey)) {
    ++p.seed;
    p.reset_data = true;
  }
  // The two terms of L at the current W, on all points (update_examples evaluated them).
  ImGui::Text("data loss (1/N) Σ Lᵢ = %.4f", double(p.parts.data_loss));
  ImGui::Text("regularization λR(W) = %.4f", double(p.parts.regularization));
  ImGui::Text("total L = %.4f   ·   step %d   ·   accuracy %d/%d", double(p.parts.data_loss + p.parts.regularization),
              p.steps, p.correct, int(p.labels.size()));
  ImGui::SetNextItemWidth(200);
  ImGui::SliderInt("shaded class", &p.selected, 0, p.num_classes - 1);
  ctx.probes.item("shaded_class");
  MutedText(
      "Drag a line's round handle to shift it, its arrow to turn it (the arrow points where the class's score "
      "grows). Shaded: the positive side w·x + b ≥ 0 of the class picked above (or of the line you drag). "
      "Points can be dragged too.");
  if (ctx.shown("table")) draw_example_table(s);
}

void draw_points_tab(LinearLabState& s, LabContext& ctx) {
  if (!ctx.shown("settings")) {  // hide=settings: the plane alone, full width
    draw_2d_plane(s, ctx);
    return;
  }
  Panes panes("lin_points", 380, 300);
  draw_points_column(s, ctx);
  panes.next();
  draw_2d_plane(s, ctx);
}

// [SECTION] MNIST training --------------------------------------------------------------------

void reset_mnist_training(LinearMnistState& m) {
  m.preparing.reset();
  m.trainer.reset();
  m.playing = false;
  m.curve.clear();
  m.last_sample_batch = -1;
  m.train_seconds = 0;
  clear_confusion(m.confusion);
  m.confusion_stale = true;
  m.canvas_classified = -1;
}

// Images first … first + count − 1 of `images`: (count, rows·cols) bytes.
std::span<const uint8_t> pixel_rows(const LabeledImages& images, int first, int count) {
  const size_t dim = size_t(images.dim());
  return std::span<const uint8_t>(images.pixels).subspan(size_t(first) * dim, size_t(count) * dim);
}

// Starts extracting the features: the last 10% of the loaded training images are held out for
// validation; the test set is only used for the confusion matrix at the end.
void start_feature_job(LinearMnistState& m, const DataState& data) {
  reset_mnist_training(m);
  m.error.clear();
  try {
    const int n = data.train.count, v = n / 10;
    auto job = std::make_unique<FeatureJob>();
    FeatureOptions raw = m.features;
    raw.scaling = Scaling::Unit;
    job->raw = FeatureExtractor(raw, data.train.rows, data.train.cols);
    job->train_rows = n - v;
    job->validation_rows = v;
    job->test_rows = data.test.count;
    job->centre = m.features.scaling == Scaling::MeanSubtracted;
    if (job->centre && job->train_rows == 0) throw Error("mean-subtracted features need at least one training image");
    job->data_generation = data.generation;
    const int F = job->raw.dim();
    job->sum = Eigen::RowVectorXd::Zero(F);
    m.train_x.resize(job->train_rows, F);
    m.validation_x.resize(v, F);
    m.test_x.resize(job->test_rows, F);
    m.train_y.assign(data.train.labels.begin(), data.train.labels.begin() + (n - v));
    m.validation_y.assign(data.train.labels.begin() + (n - v), data.train.labels.end());
    m.feature_mean.resize(0);
    m.preparing = std::move(job);
  } catch (const Error& e) {
    m.error = e.what();
  }
}

void start_trainer(LinearLabState& s) {
  LinearMnistState& m = s.mnist;
  const FeatureJob& job = *m.preparing;
  m.extractor = job.raw;
  m.data_generation = job.data_generation;
  TrainOptions o;
  o.objective = objective_options(s.settings, m.lambda);
  o.optimizer = m.optimizer;
  o.learning_rate = m.learning_rate;
  o.epochs = m.epochs;
  o.batch_size = m.batch_size;
  o.train_eval_rows = std::min(5000, job.train_rows);
  try {
    m.trainer = std::make_unique<LinearTrainer>(m.train_x, m.train_y, 10, o, &m.validation_x, m.validation_y);
    m.playing = true;
  } catch (const Error& e) {
    m.error = e.what();
    m.trainer.reset();
  }
}

// Extracts blocks of images for about `budget_ms`; starts the trainer when all are done.
void step_feature_job(LinearLabState& s, const DataState& data, double budget_ms) {
  LinearMnistState& m = s.mnist;
  if (!m.preparing) return;
  FeatureJob& job = *m.preparing;
  if (job.data_generation != data.generation) {  // the images it reads were replaced
    m.preparing.reset();
    m.error = "the data changed while preparing features: press Train to start again";
    return;
  }
  constexpr int kBlock = 64;  // images per call: ≈ 1 ms of HoG, so the budget is kept closely
  const int N = job.train_rows, V = job.validation_rows;
  const auto t0 = Clock::now();
  try {
    while (!job.done() && ms_since(t0) < budget_ms) {
      if (job.extracted < N) {  // training rows, summed for the mean
        const int r = job.extracted, count = std::min(kBlock, N - r);
        const RowMatrixXf f = job.raw.transform(pixel_rows(data.train, r, count), count);  // (count, F)
        m.train_x.middleRows(r, count) = f;
        if (job.centre) job.sum += f.cast<double>().colwise().sum();
        job.extracted += count;
        if (job.extracted == N && job.centre) m.feature_mean = (job.sum / double(N)).cast<float>();
      } else if (job.centre && job.centred < N) {  // x ← x − mean over the training rows
        const int r = job.centred, count = std::min(kBlock * 8, N - r);
        m.train_x.middleRows(r, count).rowwise() -= m.feature_mean;
        job.centred += count;
      } else {  // validation rows (the end of the training images), then the test set
        const bool validation = job.extracted < N + V;
        const int r = job.extracted - (validation ? N : N + V);
        const int count = std::min(kBlock, (validation ? V : job.test_rows) - r);
        const auto pixels = validation ? pixel_rows(data.train, N + r, count) : pixel_rows(data.test, r, count);
        RowMatrixXf f = job.raw.transform(pixels, count);
        if (job.centre) f.rowwise() -= m.feature_mean;
        (validation ? m.validation_x : m.test_x).middleRows(r, count) = f;
        job.extracted += count;
      }
    }
  } catch (const Error& e) {
    m.error = e.what();
    m.preparing.reset();
    return;
  }
  job.seconds += ms_since(t0) / 1000.0;
  if (!job.done()) return;
  start_trainer(s);
  m.preparing.reset();
}

// Batches per second at a slow speed: 20 makes an epoch of 81 batches take about 4 s, 4 about 20 s.
double train_speed_batches_per_second(TrainSpeed speed) { return speed == TrainSpeed::Slow ? 20.0 : 4.0; }

void sample_curve(LinearMnistState& m) {
  const LinearTrainer& t = *m.trainer;
  // While an epoch's end is evaluated, epoch() already counts it but batch() is still the last
  // batch: that would plot a point one epoch ahead.
  if (t.phase() == TrainPhase::Evaluating) return;
  const int global_batch = t.epoch() * t.batches_per_epoch() + t.batch();
  // Every 15 batches at full speed; every batch when slow, so the curve falls step by step.
  const int every = m.speed == TrainSpeed::Fast ? 15 : 1;
  if (global_batch == m.last_sample_batch ||
      (global_batch - m.last_sample_batch < every && m.last_sample_batch >= 0 && !t.done()))
    return;
  m.last_sample_batch = global_batch;
  // Both losses on a fixed probe of 1,000 training images, whichever one is optimized.
  const int rows = std::min<int>(1000, int(m.train_x.rows()));
  ObjectiveOptions probe = t.options().objective;
  probe.loss_options.margin = 1.0f;
  const Evaluation e =
      evaluate(t.model(), m.train_x.topRows(rows), std::span<const uint8_t>(m.train_y.data(), size_t(rows)), probe);
  m.curve.push_back({double(global_batch) / t.batches_per_epoch(), e.cross_entropy, e.hinge, e.accuracy});
}

void update_templates(LinearMnistState& m, Host& host) {
  const LinearModel& model = m.trainer->model();
  if (m.features.kind != FeatureKind::Pixels || model.dim != 784) return;
  Atlas atlas;
  atlas.tile_w = atlas.tile_h = 28;
  atlas.columns = 10;
  atlas.count = 10;
  atlas.width = 280;
  atlas.height = 28;
  atlas.rgba.assign(280 * 28, 0);
  const auto W = model.W();
  for (int c = 0; c < 10; ++c) {
    const float scale = std::max(1e-8f, W.row(c).cwiseAbs().maxCoeff());  // symmetric: white = 0
    for (int i = 0; i < 784; ++i)
      atlas.rgba[size_t((i / 28) * 280 + c * 28 + i % 28)] = diverging_rgba(W(c, i) / scale);
  }
  host.update_texture(m.templates, atlas.rgba.data(), 280, 28);
}

void update_confusion(LinearMnistState& m, const DataState& data) {
  set_confusion(m.confusion, predict(m.trainer->model(), m.test_x), data.test.labels, 10);
  m.confusion_stale = false;
}

void draw_loss_plots(const LinearMnistState& m) {
  // The validation set after every epoch: the held-out curve.
  std::vector<LossSample> validation;
  if (m.trainer)
    for (const EpochStats& h : m.trainer->history())
      if (h.validation.count > 0)
        validation.push_back({double(h.epoch), h.validation.cross_entropy, h.validation.hinge, h.validation.accuracy});
  LossCurvesOptions o;
  o.max_epoch = std::max(1.0, double(m.trainer ? m.trainer->options().epochs : 1));
  o.log_scale = m.log_scale;
  o.held_label = "validation (per epoch)";
  LossCurves("lin_curves", m.curve, validation, o);
}

void draw_digit_scores(LinearMnistState& m, Host& host) {
  ImGui::TextUnformatted("Draw a digit: its ten scores");
  DrawCanvas("lin_canvas", m.canvas, 196, 11.0f, false, host);
  if (ShortcutButton("Clear##lin", kClearKey)) canvas_clear(m.canvas);
}

// The drawn digit's scores, again when the drawing changed or while the model learns.
void update_digit_scores(LinearMnistState& m) {
  if (!m.trainer) return;
  if (m.canvas_classified != m.canvas.version || m.trainer->phase() == TrainPhase::Training) {
    m.canvas_classified = m.canvas.version;
    m.digit_scores.resize(0);
    if (!canvas_empty(m.canvas)) {
      const auto image = preprocess_like_mnist(m.canvas.ink, m.canvas.size, m.canvas.size);
      RowMatrixXf f(1, m.extractor.dim());
      m.extractor.transform_one(image, std::span<float>(f.data(), size_t(f.cols())));
      if (m.feature_mean.size() == f.cols()) f.row(0) -= m.feature_mean;  // centred like the training rows
      m.digit_scores = scores(m.trainer->model(), f).row(0).transpose();
    }
  }
}

// Starts a requested run, trains a slice of about `budget_ms`, samples the curves and, when
// training pauses or ends, the confusion matrix; on the MNIST tab also the templates and the
// drawn digit's scores.
void update_mnist(LinearLabState& s, LabContext& ctx, double budget_ms) {
  LinearMnistState& m = s.mnist;
  const DataState& data = ctx.data;
  if (m.trainer && m.data_generation != data.generation) {
    reset_mnist_training(m);
    m.error = "the data changed (full set loaded): press Train to start again";
  }
  if (m.train_requested && data.ready()) start_feature_job(m, data);
  m.train_requested = false;
  step_feature_job(s, data, budget_ms);
  if (!m.trainer) return;
  LinearTrainer& t = *m.trainer;
  if (m.playing && !t.done()) {
    const auto t0 = Clock::now();
    if (m.speed == TrainSpeed::Fast) {
      while (!t.done() && ms_since(t0) < budget_ms) {  // a slice per frame: the UI keeps its frame rate
        t.step(4);
        sample_curve(m);
      }
    } else {  // the batches owed at this speed since the last frame, at most two (no burst after a stall)
      m.batch_credit = std::min(2.0, m.batch_credit + train_speed_batches_per_second(m.speed) * ctx.clock.delta);
      for (; m.batch_credit >= 1 && !t.done() && ms_since(t0) < budget_ms; m.batch_credit -= 1) {
        t.step(1);
        sample_curve(m);
      }
    }
    m.train_seconds += ms_since(t0) / 1000.0;
    m.confusion_stale = true;
  }
  if (t.done()) sample_curve(m);
  if (!t.failure().empty() && m.error.empty()) m.error = t.failure();  // diverged
  if ((t.done() || !m.playing) && m.confusion_stale) update_confusion(m, data);
  if (s.tab != LinearTab::Mnist) return;
  update_confusion_cell(m.confusion, data.test, ctx.host);
  update_digit_scores(m);
  if (m.extractor.options().kind == FeatureKind::Pixels &&
      (ctx.clock.frame - m.templates_frame >= 10 || m.templates.id == nullptr)) {
    update_templates(m, ctx.host);
    m.templates_frame = ctx.clock.frame;
  }
}

// Playing, preparing features or training needs the next frame, input or not.
void keep_awake_while_running(const LinearLabState& s, const LabContext& ctx) {
  const LinearMnistState& m = s.mnist;
  const bool training = m.trainer && m.playing && !m.trainer->done();
  if (training || m.preparing || m.train_requested || (s.points.playing && s.tab == LinearTab::Points2d))
    ctx.keep_awake();
}

void draw_mnist_tab(LinearLabState& s, LabContext& ctx) {
  LinearMnistState& m = s.mnist;
  if (!draw_data_needed(ctx)) return;
  ImGui::BeginGroup();
  const bool locked = m.trainer != nullptr || m.preparing != nullptr || ctx.locked;
  ImGui::BeginDisabled(locked);
  ImGui::SetNextItemWidth(FitWidth(250, "features"));
  EnumCombo<FeatureKind>("features", m.features.kind, kFeatureChoices);
  ImGui::SameLine();
  HelpMarker(
      "Raw pixels: 784 values in [0, 1]. Histogram: how much of the image has each intensity (no position at "
      "all). HoG: per 4×4 cell, a histogram of edge directions weighted by edge strength (7×7 cells × 9 bins).");
  if (m.features.kind == FeatureKind::Histogram) {
    ImGui::SetNextItemWidth(FitWidth(250, "histogram bins"));
    ImGui::SliderInt("histogram bins", &m.features.histogram_bins, 2, 64);
  } else if (m.features.kind == FeatureKind::Hog) {
    ImGui::SetNextItemWidth(FitWidth(120, "cell (px)"));
    ImGui::SliderInt("cell (px)", &m.features.hog_cell, 2, 14);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(FitWidth(120, "orientation bins"));
    ImGui::SliderInt("orientation bins", &m.features.hog_bins, 2, 18);
  }
  bool centred = m.features.scaling == Scaling::MeanSubtracted;
  if (ImGui::Checkbox("subtract the training mean", &centred))
    m.features.scaling = centred ? Scaling::MeanSubtracted : Scaling::Unit;
  draw_loss_controls(s.settings, m.lambda, 0.1f);
  ImGui::SetNextItemWidth(FitWidth(250, "optimizer"));
  EnumCombo<Optimizer>("optimizer", m.optimizer, kOptimizerChoices);
  ImGui::SetNextItemWidth(FitWidth(250, "learning rate##mnist"));
  ImGui::SliderFloat("learning rate##mnist", &m.learning_rate, 1e-4f, 1.0f, "%.4f", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(FitWidth(120, "epochs"));
  ImGui::SliderInt("epochs", &m.epochs, 1, 20);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(FitWidth(120, "batch"));
  ImGui::SliderInt("batch", &m.batch_size, 10, 500);
  ImGui::EndDisabled();

  const TrainStage stage = m.preparing          ? TrainStage::Preparing
                           : !m.trainer         ? TrainStage::Idle
                           : !m.trainer->done() ? TrainStage::Training
                                                : TrainStage::Done;
  switch (TrainButton("linear_train", stage, m.playing)) {
    case TrainPress::Cancel: m.preparing.reset(), m.error = "cancelled"; break;
    case TrainPress::Train: m.train_requested = true; break;
    case TrainPress::PlayPause: m.playing = !m.playing; break;
    case TrainPress::None: break;
  }
  ctx.probes.item("play");
  ImGui::SameLine();
  if (ShortcutButton("Reset", kResetKey)) reset_mnist_training(m);
  static constexpr EnumChoice<TrainSpeed> kSpeedChoices[] = {{TrainSpeed::Fast, "fast: as much as a frame allows"},
                                                             {TrainSpeed::Slow, "slow: 20 batches a second"},
                                                             {TrainSpeed::VerySlow, "very slow: 4 batches a second"}};
  ImGui::SetNextItemWidth(250);
  EnumCombo<TrainSpeed>("speed", m.speed, kSpeedChoices);
  ctx.probes.item("speed_combo");
  ImGui::SameLine();
  HelpMarker("Slow down to watch the first epoch: the loss curve then gains a point after every batch.");
  if (!m.error.empty()) ErrorText(m.error);
  if (m.preparing) {
    const FeatureJob& job = *m.preparing;
    const std::string label = "Preparing features… " + thousands(job.extracted) + " / " + thousands(job.images());
    ImGui::ProgressBar(job.progress(), ImVec2(250, 0), label.c_str());
    ImGui::SameLine();
    HelpMarker(
        "Every training, validation and test image is turned into its feature vector once, a block of images "
        "per frame; training starts when all are ready.");
  }
  if (m.trainer) {
    const LinearTrainer& t = *m.trainer;
    ImGui::ProgressBar(t.progress(), ImVec2(250, 0));
    ImGui::Text("epoch %d of %d · %s training images · %.1f s of compute", std::min(t.epoch() + 1, t.options().epochs),
                t.options().epochs, thousands(int(m.train_x.rows())).c_str(), m.train_seconds);
    if (!t.history().empty()) {
      const EpochStats& h = t.history().back();
      ImGui::Text("after epoch %d: validation accuracy %.4f", h.epoch, h.validation.accuracy);
    }
  }
  ImGui::EndGroup();
  // The loss curves beside the controls while they fit (in view while training runs), else under them.
  SameLineIfFits(320, 24);
  ImGui::BeginGroup();
  if (m.trainer) {
    ImGui::Checkbox("log scale", &m.log_scale);
    draw_loss_plots(m);
  } else {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 320);
    MutedText(
        m.preparing
            ? "Training starts when the features are ready."
            : "Press Train: the classifier learns in slices between frames, and both losses are plotted here as it "
              "goes. Pick a slow speed to watch the first epoch.");
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  if (!m.trainer) return;
  ImGui::Separator();
  ImGui::BeginGroup();
  draw_digit_scores(m, ctx.host);
  ImGui::EndGroup();
  SameLineIfFits(330, 12);
  ImGui::BeginGroup();
  ClassScoreTable("digit_scores", m.digit_scores);
  ImGui::EndGroup();
  if (m.features.kind == FeatureKind::Pixels && m.templates.id) {
    ImGui::Text("The ten templates: rows of W as images (red = positive weight, blue = negative)");
    for (int c = 0; c < 10; ++c) {
      if (c) SameLineIfFits(84);
      ImGui::BeginGroup();
      const float u0 = float(c) / 10.0f;
      ImGui::Image(m.templates.id, ImVec2(84, 84), ImVec2(u0, 0), ImVec2(u0 + 0.1f, 1), ImVec4(1, 1, 1, 1),
                   ImVec4(0.8f, 0.8f, 0.8f, 1));
      ImGui::Text("  %d", c);
      ImGui::EndGroup();
    }
  } else {
    MutedText("Templates are images only for raw-pixel features.");
  }
  ConfusionMatrix(m.confusion, ctx.probes, "confusion");
}

// [SECTION] Softmax vs SVM --------------------------------------------------------------------

void draw_compare_tab(LinearLabState& s) {
  LinearCompareState& c = s.compare;
  MutedText(
      "One example, three classes. Move its scores and watch both losses: the hinge loss is zero as soon as "
      "the correct class wins by the margin Δ, cross-entropy keeps asking for more.");
  static constexpr const char* kNames[] = {"cat", "car", "frog"};
  for (int j = 0; j < 3; ++j) {
    ImGui::SetNextItemWidth(FitWidth(300));
    char label[32];
    std::snprintf(label, sizeof label, "score of %s", kNames[j]);
    ImGui::SliderFloat(label, &c.scores[j], -10.0f, 10.0f, "%.2f");
  }
  ImGui::Text("correct class:");
  for (int j = 0; j < 3; ++j) {
    ImGui::SameLine();
    ImGui::RadioButton(kNames[j], &c.label, j);
  }
  const float delta = s.settings.margin;
  ImGui::SetNextItemWidth(FitWidth(300, "margin Δ##cmp"));
  ImGui::SliderFloat("margin Δ##cmp", &s.settings.margin, 0.1f, 5.0f, "%.2f");
  Eigen::MatrixXf S(1, 3);
  S << c.scores[0], c.scores[1], c.scores[2];
  const int y = c.label;
  const std::vector<int> labels = {y};
  LossOptions lo;
  lo.margin = delta;
  const float hinge = per_example_loss(LossKind::MulticlassHinge, S, labels, lo)(0);
  const float ce = per_example_loss(LossKind::SoftmaxCrossEntropy, S, labels, lo)(0);
  ImGui::Separator();
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Multiclass SVM");
  for (int j = 0; j < 3; ++j) {
    if (j == y) continue;
    ImGui::Text("max(0, s_%s − s_%s + Δ) = max(0, %.2f − %.2f + %.2f) = %.2f", kNames[j], kNames[y],
                double(c.scores[j]), double(c.scores[y]), double(delta),
                double(std::max(0.0f, c.scores[j] - c.scores[y] + delta)));
  }
  ImGui::Text("Lᵢ = %.3f", double(hinge));
  ImGui::EndGroup();
  SameLineIfFits(260, 40);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Softmax cross-entropy");
  const float mx = std::max({c.scores[0], c.scores[1], c.scores[2]});
  double z = 0;
  for (int j = 0; j < 3; ++j) z += std::exp(double(c.scores[j] - mx));
  for (int j = 0; j < 3; ++j)
    ImGui::Text("p(%s) = e^%.2f / Σ = %.4f", kNames[j], double(c.scores[j]), std::exp(double(c.scores[j] - mx)) / z);
  ImGui::Text("Lᵢ = −log p(%s) = %.3f", kNames[y], double(ce));
  ImGui::EndGroup();
  // Both losses as the correct class's score moves, the others held where they are.
  std::vector<double> xs, hs, cs;
  for (int i = 0; i <= 200; ++i) {
    Eigen::MatrixXf T = S;
    T(0, y) = -10.0f + 20.0f * float(i) / 200.0f;
    xs.push_back(T(0, y));
    hs.push_back(per_example_loss(LossKind::MulticlassHinge, T, labels, lo)(0));
    cs.push_back(per_example_loss(LossKind::SoftmaxCrossEntropy, T, labels, lo)(0));
  }
  double top = 0;
  for (double v : hs) top = std::max(top, v);
  for (double v : cs) top = std::max(top, v);
  char ylabel[64];
  std::snprintf(ylabel, sizeof ylabel, "loss as the score of %s moves", kNames[y]);
  Plot plot("cmp_plot", ImVec2(-1, 260), {-10, 10}, {0, std::min(top, 25.0) * 1.05}, "score of the correct class",
            ylabel);
  plot.line(xs, hs, class_color(3), 2.5f, "multiclass hinge");
  plot.line(xs, cs, class_color(5), 2.5f, "softmax cross-entropy");
  plot.vline(c.scores[y], IM_COL32(0, 0, 0, 120), "now");
  const double px[] = {double(c.scores[y])}, ph[] = {double(hinge)}, pc[] = {double(ce)};
  plot.scatter(px, ph, class_color(3), 5.0f);
  plot.scatter(px, pc, class_color(5), 5.0f);
}

}  // namespace

// [SECTION] lab ----------------------------------------------------------------------------

void update_linear_lab(LinearLabState& s, LabContext& ctx) {
  update_points(s, ctx.host);
  update_mnist(s, ctx, s.tab == LinearTab::Mnist ? 14.0 : 8.0);
  keep_awake_while_running(s, ctx);
}

namespace {

// What runs, for the status bar.
std::string linear_activity(const LinearLabState& s) {
  const LinearMnistState& m = s.mnist;
  if (m.preparing) return "linear: preparing features " + std::to_string(int(100 * m.preparing->progress())) + " %";
  if (m.trainer && m.playing && !m.trainer->done())
    return "linear: training " + std::to_string(int(100 * m.trainer->progress())) + " %";
  return "";
}

}  // namespace

void background_linear_lab(LinearLabState& s, LabContext& ctx) {
  update_mnist(s, ctx, 8.0);
  ctx.activity = linear_activity(s);
  keep_awake_while_running(s, ctx);
}

void draw_linear_lab(LinearLabState& s, LabContext& ctx) {
  ctx.activity = linear_activity(s);
  LabHeading(ctx.fonts.heading, "Linear classifier",
             ctx.shown("summary")
                 ? "Scores s = Wx + b: one row of W and one bias per class. A loss says how bad W is; gradient descent "
                   "improves it."
                 : nullptr);
  static constexpr const char* kTabNames[] = {"2-D points", "MNIST: train live", "Softmax vs SVM"};
  if (!LabTabs("linear_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case LinearTab::Points2d: draw_points_tab(s, ctx); break;
    case LinearTab::Mnist: draw_mnist_tab(s, ctx); break;
    case LinearTab::Compare: draw_compare_tab(s); break;
  }
}

nlohmann::json linear_state_json(const LinearLabState& s) {
  const LinearMnistState& m = s.mnist;
  const LinearTrainer* t = m.trainer.get();
  double ce = -1, hinge = -1, val = -1;
  if (!m.curve.empty()) ce = m.curve.back().cross_entropy, hinge = m.curve.back().hinge;
  if (t && !t->history().empty()) val = t->history().back().validation.accuracy;
  return {{"tab", int(s.tab)},
          {"loss", loss_kind_name(s.settings.loss)},
          {"reg", regularizer_name(s.settings.reg)},
          {"lambda", s.settings.lambda},
          {"lr", s.settings.learning_rate},
          {"steps", s.points.steps},
          {"points", s.points.labels.size()},
          {"first_point", s.points.points.size() >= 2 ? nlohmann::json{s.points.points[0], s.points.points[1]}
                                                      : nlohmann::json::array()},
          {"data_loss", s.points.parts.data_loss},
          {"reg_loss", s.points.parts.regularization},
          {"preparing", m.preparing != nullptr},
          {"prepare_progress", m.preparing ? double(m.preparing->progress()) : 0.0},
          {"prepared_images", m.preparing ? m.preparing->extracted : 0},
          {"training", t && !t->done()},
          {"done", t && t->done()},
          {"epoch", t ? t->epoch() : 0},
          {"progress", t ? double(t->progress()) : 0.0},
          {"curve_points", m.curve.size()},
          {"cross_entropy", ce},
          {"hinge", hinge},
          {"validation_accuracy", val},
          {"test_accuracy", m.confusion.accuracy},
          {"train_seconds", m.train_seconds},
          {"speed", int(m.speed)},
          {"cell",
           {{"true", m.confusion.shown.true_class},
            {"predicted", m.confusion.shown.predicted},
            {"images", m.confusion.cell_images.size()},
            {"count", m.confusion.shown.true_class >= 0 && !m.confusion.empty()
                          ? m.confusion.counts(m.confusion.shown.true_class, m.confusion.shown.predicted)
                          : -1}}}};
}

}  // namespace implay::app
