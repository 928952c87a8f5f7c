// nn_mnist.cpp — the Neural net lab's MNIST tab (nn_mnist.hpp). [SECTION] run: conversion,
// training in slices, the curves · views: weights, confusion, the drawn digit · drawing.
// Every score, gradient and update comes from core/nn/; the widgets only draw.
#include "app/labs/nn_mnist.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/score_table.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "app/widgets/trainer_status.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"

namespace implay::app {
namespace {

constexpr int kConvertBlock = 500;  // images converted per call: ≈ 1 ms, so the budget is kept closely
constexpr int kWeightTiles = 32;    // hidden units whose weights are shown as images
constexpr int kTopUnits = 8;        // the drawn digit's most active units shown with their weights

constexpr EnumChoice<Activation> kMnistActivations[] = {{Activation::Relu, "ReLU"},
                                                        {Activation::LeakyRelu, "leaky ReLU"},
                                                        {Activation::Tanh, "tanh"},
                                                        {Activation::Sigmoid, "sigmoid"}};

// [SECTION] run -------------------------------------------------------------------------------

void reset_run(NnMnistState& m) {
  m.trainer.reset();
  m.converted = -1;
  m.playing = false;
  m.train_seconds = 0;
  m.train_curve.clear(), m.test_curve.clear();
  m.curve_taken = 0;
  clear_confusion(m.confusion);
  m.confusion_stale = true;
  m.weights_frame = m.weights_step = -1;
  m.canvas_classified = -1;
  m.digit_scores.resize(0), m.digit_hidden.resize(0);
}

// Sizes the matrices and starts converting every loaded training and test image.
void start_conversion(NnMnistState& m, const DataState& data) {
  reset_run(m);
  m.error.clear();
  try {
    FeatureOptions pixels;  // pixels scaled to [0, 1], as `implay nn train --data mnist`
    pixels.scaling = Scaling::Unit;
    m.extractor = FeatureExtractor(pixels, data.train.rows, data.train.cols);
    m.train_x.resize(data.train.count, m.extractor.dim());
    m.test_x.resize(data.test.count, m.extractor.dim());
    m.data_generation = data.generation;
    m.converted = 0;
  } catch (const Error& e) {
    m.error = e.what();
  }
}

MlpTrainOptions train_options(const NnMnistSettings& o, int train_rows) {
  MlpTrainOptions t;
  t.optimizer = Optimizer::Adam;
  t.learning_rate = o.learning_rate;
  t.lr_schedule = LrSchedule::Linear;
  t.batch_size = o.batch_size;
  t.epochs = o.epochs;
  t.seed = 1;
  t.train_eval_rows = std::min(5000, train_rows);  // an epoch's end: 5,000 training images and the test set
  t.curve_every = 20;                              // a probe point every 20 minibatches …
  t.curve_probe_rows = 500;  // … on 500 training and 500 test images: ≈ 1/6 of the work of 20 batches
  return t;
}

void start_trainer(NnMnistState& m, const DataState& data) {
  MlpShape shape;
  shape.input_dim = m.extractor.dim();
  shape.hidden = {m.settings.hidden};
  shape.num_classes = 10;
  shape.activation = m.settings.activation;
  try {
    m.trainer =
        std::make_unique<MlpTrainer>(shape, m.train_x, data.train.labels,
                                     train_options(m.settings, int(m.train_x.rows())), &m.test_x, data.test.labels);
    m.playing = true;
  } catch (const Error& e) {
    m.error = e.what();
    m.trainer.reset();
  }
}

// Converts blocks of images for about `budget_ms`; starts the trainer when all are done.
void step_conversion(NnMnistState& m, const DataState& data, double budget_ms) {
  if (!m.preparing()) return;
  const int N = data.train.count, M = data.test.count;
  const auto t0 = Clock::now();
  while (m.converted < N + M && ms_since(t0) < budget_ms) {
    const bool train = m.converted < N;
    const LabeledImages& images = train ? data.train : data.test;
    const int first = train ? m.converted : m.converted - N;
    const int count = std::min(kConvertBlock, images.count - first);
    const size_t dim = size_t(images.dim());
    const auto pixels = std::span<const uint8_t>(images.pixels).subspan(size_t(first) * dim, size_t(count) * dim);
    (train ? m.train_x : m.test_x).middleRows(first, count) = m.extractor.transform(pixels, count);
    m.converted += count;
  }
  if (m.converted < N + M) return;
  m.converted = -1;
  start_trainer(m, data);
}

// [SECTION] views -------------------------------------------------------------------------------

// The weights into the first kWeightTiles hidden units, each a 28×28 image (red +, blue −,
// scaled by its own largest |w|).
void update_weights(NnMnistState& m, Host& host) {
  const Mlp& net = m.trainer->mlp();
  const auto W = net.W(0);  // (784, H)
  const int tiles = std::min<int>(kWeightTiles, int(W.cols()));
  Atlas& a = m.weights_atlas;
  a.tile_w = a.tile_h = 28;
  a.columns = tiles;
  a.count = tiles;
  a.width = 28 * tiles;
  a.height = 28;
  a.rgba.assign(size_t(a.width * a.height), 0);
  for (int u = 0; u < tiles; ++u) {
    const float scale = std::max(1e-8f, W.col(u).cwiseAbs().maxCoeff());
    for (int i = 0; i < 784; ++i)
      a.rgba[size_t((i / 28) * a.width + u * 28 + i % 28)] = diverging_rgba(W(i, u) / scale);
  }
  host.update_texture(m.weights, a.rgba.data(), a.width, a.height);
}

// The drawn digit through the net: again when the drawing or the net changed.
void update_digit(NnMnistState& m) {
  const long long step = m.trainer->steps();
  if (m.canvas_classified == m.canvas.version && m.classified_step == step) return;
  m.canvas_classified = m.canvas.version, m.classified_step = step;
  m.digit_scores.resize(0), m.digit_hidden.resize(0);
  if (canvas_empty(m.canvas)) return;
  const auto image = preprocess_like_mnist(m.canvas.ink, m.canvas.size, m.canvas.size);
  RowMatrixXf x(1, m.extractor.dim());  // (1, 784)
  m.extractor.transform_one(image, std::span<float>(x.data(), size_t(x.cols())));
  MlpActivations a;
  forward(m.trainer->mlp(), x, a);
  m.digit_scores = a.scores().row(0).transpose();
  m.digit_hidden = a.post[0].row(0).transpose();
}

}  // namespace

void update_nn_mnist(NnMnistState& m, LabContext& ctx, double budget_ms, bool shown) {
  const DataState& data = ctx.data;
  if ((m.trainer || m.preparing()) && m.data_generation != data.generation) {
    reset_run(m);
    m.error = "the data changed (the full set arrived): press Train to start again";
  }
  if (m.train_requested && data.ready()) start_conversion(m, data);
  m.train_requested = false;
  step_conversion(m, data, budget_ms);
  if (m.preparing()) {
    ctx.keep_awake();
    ctx.activity = "neural net: preparing the MNIST images";
  }
  if (!m.trainer) return;
  MlpTrainer& t = *m.trainer;
  if (m.playing && !t.done()) {
    const auto t0 = Clock::now();
    while (!t.done() && ms_since(t0) < budget_ms) t.step(1);
    m.train_seconds += ms_since(t0) / 1000.0;
    m.confusion_stale = true;
    ctx.keep_awake();
    ctx.activity = "neural net: training on MNIST, " + std::to_string(int(100 * t.progress())) + " %";
  }
  take_curve_points(*m.trainer, m.curve_taken, m.train_curve, m.test_curve);
  if (!t.failure().empty() && m.error.empty()) m.error = t.failure();
  if ((t.done() || !m.playing) && m.confusion_stale) {
    set_confusion(m.confusion, mlp_predict(t.mlp(), m.test_x), data.test.labels, 10);
    m.confusion_stale = false;
  }
  if (!shown) return;
  update_confusion_cell(m.confusion, data.test, ctx.host);
  update_digit(m);
  // Every 10 frames while it trains; at once when it paused or ended (also while another lab was shown).
  const bool training = m.playing && !t.done();
  if (t.steps() != m.weights_step && (!training || ctx.clock.frame - m.weights_frame >= 10)) {
    update_weights(m, ctx.host);
    m.weights_frame = ctx.clock.frame, m.weights_step = t.steps();
  }
}

namespace {

// [SECTION] drawing ------------------------------------------------------------------------------

void draw_settings(NnMnistState& m, LabContext& ctx) {
  NnMnistSettings& o = m.settings;
  ImGui::BeginDisabled(m.trainer != nullptr || m.preparing() || ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(200, "hidden units H"));
  ImGui::SliderInt("hidden units H", &o.hidden, 10, kMaxNnMnistUnits, "%d", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  HelpMarker(
      "The net is 784 → H → 10: every pixel feeds every hidden unit, each hidden unit feeds the ten scores. "
      "It has 784·H + H + 10·H + 10 parameters.");
  ImGui::SetNextItemWidth(FitWidth(200, "activation φ##mnist"));
  EnumCombo<Activation>("activation φ##mnist", o.activation, kMnistActivations);
  ImGui::SetNextItemWidth(FitWidth(200, "learning rate α##mnist"));
  ImGui::SliderFloat("learning rate α##mnist", &o.learning_rate, 1e-4f, 0.1f, "%.4f", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  HelpMarker(
      "α of the first minibatch. It then falls in a straight line to 0 at the last one, so the steps get small "
      "as the net settles: one epoch of 784-100-10 reaches about 96.7 % instead of 95.7 % at a constant α.");
  ImGui::SetNextItemWidth(FitWidth(200, "batch size##mnist"));
  ImGui::SliderInt("batch size##mnist", &o.batch_size, 10, 500);
  ImGui::SetNextItemWidth(FitWidth(200, "epochs##mnist"));
  ImGui::SliderInt("epochs##mnist", &o.epochs, 1, 20);
  ImGui::EndDisabled();
  const long long params = 784LL * o.hidden + o.hidden + 10LL * o.hidden + 10;
  ImGui::Text("784 → %d → 10, Adam: %s parameters", o.hidden, thousands(params).c_str());
}

void draw_run_buttons(NnMnistState& m, LabContext& ctx) {
  const TrainStage stage = m.preparing()        ? TrainStage::Preparing
                           : !m.trainer         ? TrainStage::Idle
                           : !m.trainer->done() ? TrainStage::Training
                                                : TrainStage::Done;
  switch (TrainButton("nn_mnist_train", stage, m.playing)) {
    case TrainPress::Cancel: reset_run(m), m.error = "cancelled"; break;
    case TrainPress::Train: m.train_requested = true; break;
    case TrainPress::PlayPause: m.playing = !m.playing; break;
    case TrainPress::None: break;
  }
  ctx.probes.item("mnist_train");
  ImGui::SameLine();
  if (ShortcutButton("Reset##mnist", kResetKey)) reset_run(m);
  ctx.probes.item("mnist_reset");
  const DataState& data = ctx.data;
  MnistTrainData(ctx, m.error, m.converted, data.train.count + data.test.count);
  if (m.trainer) TrainerProgress(ctx, *m.trainer, m.train_seconds, "mnist_progress");
}

void draw_curves(NnMnistState& m) {
  if (m.train_curve.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 320);
    MutedText(m.preparing() ? "Training starts when the images are ready."
                            : "Press Train: the net learns in slices between frames, and both losses are plotted "
                              "here as it goes, on 500 training and 500 test images every 20 minibatches.");
    ImGui::PopTextWrapPos();
    return;
  }
  ImGui::Checkbox("log scale##mnist", &m.log_scale);
  LossCurvesOptions o;
  o.max_epoch = std::max(1, m.trainer ? m.trainer->options().epochs : 1);
  o.log_scale = m.log_scale;
  o.train_label = "training images";
  o.held_label = "test images";
  o.height = 190;
  o.min_width = 260;
  LossCurves("nn_mnist_curves", m.train_curve, m.test_curve, o);
}

void draw_weights(const NnMnistState& m) {
  if (!m.weights.id) return;
  ImGui::TextUnformatted("What the first hidden units look for: the weights into each unit as an image");
  ImGui::SameLine();
  HelpMarker(
      "Column i of W₁ (784 × H), folded into 28 × 28: red pixels raise the unit's input a = x·wᵢ + bᵢ, blue ones "
      "lower it. Each unit is scaled by its own largest weight.");
  for (int u = 0; u < m.weights_atlas.count; ++u) {
    if (u) SameLineIfFits(44);
    if (DigitTile(m.weights, m.weights_atlas, u, 44)) ImGui::SetTooltip("hidden unit %d", u);
  }
}

// The drawn digit's hidden layer: one bar per unit, and the most active units with their weights.
void draw_hidden(const NnMnistState& m) {
  const Eigen::VectorXf& h = m.digit_hidden;
  if (h.size() == 0) return;
  const int H = int(h.size());
  ImGui::Text("Its %d hidden units φ(x·wᵢ + bᵢ):", H);
  const float width = std::min(ImGui::GetContentRegionAvail().x, 420.0f), height = 48;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lo = std::min(0.0f, h.minCoeff()), hi = std::max(1e-6f, h.maxCoeff());
  const float zero = o.y + height * hi / (hi - lo), bar = width / float(H);
  for (int i = 0; i < H; ++i) {
    const float y = o.y + height * (hi - h(i)) / (hi - lo);
    dl->AddRectFilled(ImVec2(o.x + bar * float(i), std::min(y, zero)),
                      ImVec2(o.x + bar * float(i + 1) - (bar > 3 ? 1.0f : 0.0f), std::max(y, zero) + 0.5f),
                      h(i) >= 0 ? kAccentColor : IM_COL32(200, 60, 50, 255));
  }
  if (ImGui::IsItemHovered()) {
    const int i = std::clamp(int((ImGui::GetIO().MousePos.x - o.x) / bar), 0, H - 1);
    ImGui::SetTooltip("unit %d: %.3f", i, double(h(i)));
  }
  // The most active units that have a tile.
  std::vector<int> order(size_t(std::min(H, m.weights_atlas.count)));
  std::iota(order.begin(), order.end(), 0);
  const size_t top = std::min<size_t>(kTopUnits, order.size());
  std::partial_sort(order.begin(), order.begin() + long(top), order.end(), [&](int a, int b) { return h(a) > h(b); });
  ImGui::Text("The most active of the first %d, with what they look for:", int(order.size()));
  for (size_t k = 0; k < top; ++k) {
    if (k) SameLineIfFits(44);
    ImGui::BeginGroup();
    DigitTile(m.weights, m.weights_atlas, order[k], 44);
    ImGui::Text("%.2f", double(h(order[k])));
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("hidden unit %d: φ = %.3f", order[k], double(h(order[k])));
  }
}

void draw_digit(NnMnistState& m, LabContext& ctx) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Draw a digit: the net's answer");
  DrawCanvas("nn_mnist_canvas", m.canvas, 196, 11.0f, false, ctx.host);
  ctx.probes.item("mnist_canvas");
  if (ShortcutButton("Clear##nn_mnist", kClearKey)) canvas_clear(m.canvas);
  ImGui::EndGroup();
  SameLineIfFits(330, 12);
  ImGui::BeginGroup();
  if (m.digit_scores.size() == 0) {
    MutedText("Draw on the canvas: the ten scores and the hidden layer's response appear here.");
  } else {
    ClassScoreTable("nn_digit_scores", m.digit_scores);
    draw_hidden(m);
  }
  ImGui::EndGroup();
}

}  // namespace

void draw_nn_mnist_tab(NnMnistState& m, LabContext& ctx) {
  if (!draw_data_needed(ctx)) return;
  ImGui::BeginGroup();
  draw_settings(m, ctx);
  draw_run_buttons(m, ctx);
  ImGui::EndGroup();
  // The curves beside the controls while they fit (in view while training runs), else under them.
  SameLineIfFits(320, 24);
  ImGui::BeginGroup();
  draw_curves(m);
  ImGui::EndGroup();
  if (!m.trainer) return;
  ImGui::Separator();
  draw_digit(m, ctx);
  ImGui::Separator();
  draw_weights(m);
  ConfusionMatrix(m.confusion, ctx.probes, "mnist_confusion");
}

nlohmann::json nn_mnist_json(const NnMnistState& m) {
  const MlpTrainer* t = m.trainer.get();
  const MlpEpochStats* last = t && !t->history().empty() ? &t->history().back() : nullptr;
  int prediction = -1;
  if (m.digit_scores.size() > 0) m.digit_scores.maxCoeff(&prediction);
  return {{"hidden", m.settings.hidden},
          {"epochs", m.settings.epochs},
          {"lr", m.settings.learning_rate},
          {"preparing", m.preparing()},
          {"training", t && !t->done()},
          {"playing", m.playing},
          {"done", t && t->done()},
          {"epoch", t ? t->epoch() : 0},
          {"steps", t ? t->steps() : 0},
          {"progress", t ? double(t->progress()) : 0.0},
          {"train_rows", m.train_x.rows()},
          {"test_rows", m.test_x.rows()},
          {"curve_points", m.train_curve.size()},
          {"test_curve_points", m.test_curve.size()},
          {"test_accuracy", last && last->validation.count ? last->validation.accuracy : -1.0},
          {"train_cross_entropy", m.train_curve.empty() ? -1.0 : m.train_curve.back().cross_entropy},
          {"first_cross_entropy", m.train_curve.empty() ? -1.0 : m.train_curve.front().cross_entropy},
          {"confusion_accuracy", m.confusion.accuracy},
          {"train_seconds", m.train_seconds},
          {"examples_per_second",
           t && m.train_seconds > 0 ? double(t->steps()) * t->options().batch_size / m.train_seconds : 0.0},
          {"weight_tiles", m.weights_atlas.count},
          {"prediction", prediction},
          {"hidden_active", m.digit_hidden.size() ? (m.digit_hidden.array() > 0).count() : 0},
          {"error", m.error}};
}

}  // namespace implay::app
