// conv_train.cpp — the Convolution lab's "Train a CNN" tab (conv_train.hpp). [SECTION] run:
// conversion, training in slices, the curves · views: filters, the drawn digit · drawing.
// Every score, gradient and update comes from core/conv/; the widgets only draw.
#include "app/labs/conv_train.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "app/widgets/trainer_status.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"
#include "core/linear/losses.hpp"

namespace implay::app {
namespace {

constexpr int kConvertBlock = 500;  // images converted per call, so the frame budget is kept closely

// [SECTION] run -------------------------------------------------------------------------------

void reset_run(ConvTrainState& t) {
  t.trainer.reset();
  t.converted = -1;
  t.playing = false;
  t.train_seconds = 0;
  t.train_curve.clear(), t.test_curve.clear();
  t.curve_taken = 0;
  t.filters_frame = t.filters_step = -1;
  t.canvas_classified = -1;
  t.digit_maps.clear();
  t.digit_probs.resize(0);
}

int train_rows(const ConvTrainState& t, const DataState& data) {
  return std::min(data.train.count, std::max(1, t.settings.train_images));
}

void start_conversion(ConvTrainState& t, const DataState& data) {
  reset_run(t);
  t.error.clear();
  t.train_x.resize(train_rows(t, data), data.train.dim());
  t.test_x.resize(data.test.count, data.test.dim());
  t.data_generation = data.generation;
  t.converted = 0;
}

void start_trainer(ConvTrainState& t, const DataState& data) {
  CnnTrainOptions o;
  o.learning_rate = t.settings.learning_rate;
  o.batch_size = t.settings.batch_size;
  o.epochs = t.settings.epochs;
  o.train_eval_rows = std::min(2000, int(t.train_x.rows()));
  o.curve_every = 50;
  o.curve_probe_rows = 300;
  const int N = int(t.train_x.rows());
  try {
    t.trainer = std::make_unique<CnnTrainer>(default_cnn_shape(), t.train_x,
                                             std::span<const uint8_t>(data.train.labels).first(size_t(N)), o, &t.test_x,
                                             data.test.labels);
    t.playing = true;
  } catch (const Error& e) {
    t.error = e.what();
  }
}

void step_conversion(ConvTrainState& t, const DataState& data, double budget_ms) {
  if (!t.preparing()) return;
  const int N = int(t.train_x.rows()), M = data.test.count;
  const auto t0 = Clock::now();
  while (t.converted < N + M && ms_since(t0) < budget_ms) {
    const bool train = t.converted < N;
    const LabeledImages& images = train ? data.train : data.test;
    const int first = train ? t.converted : t.converted - N;
    const int count = std::min(kConvertBlock, (train ? N : M) - first);
    const size_t dim = size_t(images.dim());
    const auto pixels = std::span<const uint8_t>(images.pixels).subspan(size_t(first) * dim, size_t(count) * dim);
    (train ? t.train_x : t.test_x).middleRows(first, count) = unit_pixels(pixels, count, int(dim));
    t.converted += count;
  }
  if (t.converted < N + M) return;
  t.converted = -1;
  start_trainer(t, data);
}

// [SECTION] views ---------------------------------------------------------------------------------

// The first conv layer's filters (F, kh·kw) as F tiles.
void update_filters(ConvTrainState& t, Host& host) {
  const Cnn& cnn = t.trainer->cnn();
  const CnnLayerPlan& first = cnn.plan.front();
  const auto W = cnn.weights(0);  // (F, C·kh·kw)
  const RowMatrixXf filters = W;
  upload_feature_maps(t.filters, filters.data(), first.conv.filters, first.conv.params.kh, first.conv.params.kw, host);
}

// The drawn digit through every layer: again when the drawing or the net changed.
void update_digit(ConvTrainState& t, Host& host) {
  const long long step = t.trainer->steps();
  if (t.canvas_classified == t.canvas.version && t.classified_step == step) return;
  t.canvas_classified = t.canvas.version, t.classified_step = step;
  t.digit_maps.clear();
  t.digit_probs.resize(0);
  if (canvas_empty(t.canvas)) return;
  const auto image = preprocess_like_mnist(t.canvas.ink, t.canvas.size, t.canvas.size);
  const RowMatrixXf x = unit_pixels(image, 1, int(image.size()));  // (1, 784)
  const Cnn& cnn = t.trainer->cnn();
  CnnActivations a;
  ConvWorkspace ws;
  const auto t0 = Clock::now();
  cnn_forward(cnn, x, a, ws);
  t.forward_ms = ms_since(t0);
  t.digit_maps.resize(size_t(cnn.num_layers() - 1));
  for (int l = 0; l + 1 < cnn.num_layers(); ++l) {
    const CnnLayerPlan& p = cnn.plan[size_t(l)];
    upload_feature_maps(t.digit_maps[size_t(l)], a.outputs[size_t(l)].data(), p.out_channels, p.out_height, p.out_width,
                        host);
  }
  t.digit_probs = softmax_probabilities(a.scores()).row(0).transpose();
}

}  // namespace

void update_conv_train(ConvTrainState& t, LabContext& ctx, double budget_ms, bool shown) {
  const DataState& data = ctx.data;
  if ((t.trainer || t.preparing()) && t.data_generation != data.generation) {
    reset_run(t);
    t.error = "the data changed (the full set arrived): press Train to start again";
  }
  if (t.train_requested && data.ready()) start_conversion(t, data);
  t.train_requested = false;
  step_conversion(t, data, budget_ms);
  if (t.preparing()) {
    ctx.keep_awake();
    ctx.activity = "CNN: preparing the MNIST images";
  }
  if (!t.trainer) return;
  CnnTrainer& tr = *t.trainer;
  if (t.playing && !tr.done()) {
    const auto t0 = Clock::now();
    tr.step_ms(budget_ms);
    t.train_seconds += ms_since(t0) / 1000.0;
    ctx.keep_awake();
    ctx.activity = "CNN: training on MNIST, " + std::to_string(int(100 * tr.progress())) + " %";
  }
  take_curve_points(*t.trainer, t.curve_taken, t.train_curve, t.test_curve);
  if (!tr.failure().empty() && t.error.empty()) t.error = tr.failure();
  if (!shown) return;
  update_digit(t, ctx.host);
  const bool training = t.playing && !tr.done();
  if (tr.steps() != t.filters_step && (!training || ctx.clock.frame - t.filters_frame >= 10)) {
    update_filters(t, ctx.host);
    t.filters_frame = ctx.clock.frame, t.filters_step = tr.steps();
  }
}

namespace {

// [SECTION] drawing ---------------------------------------------------------------------------------

void draw_settings(ConvTrainState& t, LabContext& ctx) {
  ConvTrainSettings& o = t.settings;
  ImGui::BeginDisabled(t.trainer != nullptr || t.preparing() || ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(200, "training images"));
  ImGui::SliderInt("training images", &o.train_images, 1000, 60000, "%d", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  HelpMarker(
      "At most this many of the loaded training images (the page loads 10,000 first; the full 60,000 on request).");
  ImGui::SetNextItemWidth(FitWidth(200, "learning rate α##cnn"));
  ImGui::SliderFloat("learning rate α##cnn", &o.learning_rate, 1e-4f, 0.05f, "%.4f", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(FitWidth(200, "batch size##cnn"));
  ImGui::SliderInt("batch size##cnn", &o.batch_size, 1, 256);
  ImGui::SetNextItemWidth(FitWidth(200, "epochs##cnn"));
  ImGui::SliderInt("epochs##cnn", &o.epochs, 1, 10);
  ImGui::EndDisabled();
}

// The network as a table: layer, output shape, parameters.
void draw_network_table() {
  static const Cnn net(default_cnn_shape());
  if (!ImGui::BeginTable("cnn_layers", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) return;
  ImGui::TableSetupColumn("layer");
  ImGui::TableSetupColumn("output (C, H, W)");
  ImGui::TableSetupColumn("parameters");
  ImGui::TableHeadersRow();
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("input");
  ImGui::TableNextColumn();
  ImGui::Text("(1, 28, 28)");
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("0");
  for (int l = 0; l < net.num_layers(); ++l) {
    const CnnLayerPlan& p = net.plan[size_t(l)];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(cnn_layer_text(net.shape.layers[size_t(l)]).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("(%d, %d, %d)", p.out_channels, p.out_height, p.out_width);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(thousands((long long)(p.num_weights + p.num_biases)).c_str());
  }
  ImGui::EndTable();
  ImGui::Text("%s parameters in all", thousands((long long)net.num_params()).c_str());
}

void draw_run_buttons(ConvTrainState& t, LabContext& ctx) {
  const TrainStage stage = t.preparing()        ? TrainStage::Preparing
                           : !t.trainer         ? TrainStage::Idle
                           : !t.trainer->done() ? TrainStage::Training
                                                : TrainStage::Done;
  switch (TrainButton("cnn_train", stage, t.playing)) {
    case TrainPress::Cancel: reset_run(t), t.error = "cancelled"; break;
    case TrainPress::Train: t.train_requested = true; break;
    case TrainPress::PlayPause: t.playing = !t.playing; break;
    case TrainPress::None: break;
  }
  ctx.probes.item("cnn_train");
  ImGui::SameLine();
  if (ShortcutButton("Reset##cnn", kResetKey)) reset_run(t);
  ctx.probes.item("cnn_reset");
  MnistTrainData(ctx, t.error, t.converted, int(t.train_x.rows()) + ctx.data.test.count);
  if (t.trainer) TrainerProgress(ctx, *t.trainer, t.train_seconds, "cnn_progress");
}

void draw_curves(ConvTrainState& t, LabContext& ctx) {
  if (!ctx.shown("curves")) return;
  if (t.train_curve.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 320);
    MutedText(t.preparing() ? "Training starts when the images are ready."
                            : "Press Train: the CNN learns in slices between frames; its losses are plotted here on "
                              "300 training and 300 test images every 50 minibatches.");
    ImGui::PopTextWrapPos();
    draw_network_table();
    return;
  }
  ImGui::Checkbox("log scale##cnn", &t.log_scale);
  LossCurvesOptions o;
  o.max_epoch = std::max(1, t.trainer ? t.trainer->options().epochs : 1);
  o.log_scale = t.log_scale;
  o.train_label = "training images";
  o.held_label = "test images";
  o.height = 190;
  o.min_width = 260;
  LossCurves("cnn_curves", t.train_curve, t.test_curve, o);
}

void draw_digit(ConvTrainState& t, LabContext& ctx) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Draw a digit: every layer's maps");
  DrawCanvas("cnn_canvas", t.canvas, 196, 11.0f, false, ctx.host);
  ctx.probes.item("cnn_canvas");
  if (ShortcutButton("Clear##cnn", kClearKey)) canvas_clear(t.canvas);
  if (t.digit_probs.size() > 0) {
    std::vector<int> order(size_t(t.digit_probs.size()));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + 3, order.end(),
                      [&](int a, int b) { return t.digit_probs(a) > t.digit_probs(b); });
    ImGui::TextUnformatted("top 3:");
    for (int k = 0; k < 3; ++k)
      ImGui::Text("  %d: %.1f %%", order[size_t(k)], 100.0 * double(t.digit_probs(order[size_t(k)])));
    ImGui::Text("forward pass: %.2f ms", t.forward_ms);
  }
  ImGui::EndGroup();
  if (t.digit_maps.empty()) return;
  SameLineIfFits(300, 16);
  ImGui::BeginGroup();
  const Cnn& cnn = t.trainer->cnn();
  for (size_t l = 0; l < t.digit_maps.size(); ++l) {
    const FeatureMaps& m = t.digit_maps[l];
    ImGui::Text("%s → (%d, %d, %d)", cnn_layer_text(cnn.shape.layers[l]).c_str(), m.channels, m.height, m.width);
    const float px = m.width >= 28 ? 1.5f : m.width >= 14 ? 3.0f : 5.0f;
    for (int c = 0; c < m.channels; ++c) {
      if (c) SameLineIfFits(px * float(m.width), 3);
      FeatureMapTile(m, c, px);
    }
  }
  ImGui::EndGroup();
}

}  // namespace

void draw_conv_train_tab(ConvTrainState& t, LabContext& ctx) {
  if (!draw_data_needed(ctx)) return;
  ImGui::BeginGroup();
  if (ctx.shown("settings")) draw_settings(t, ctx);
  draw_run_buttons(t, ctx);
  ImGui::EndGroup();
  SameLineIfFits(320, 24);
  ImGui::BeginGroup();
  draw_curves(t, ctx);
  ImGui::EndGroup();
  if (!t.trainer) return;
  ImGui::Separator();
  if (t.filters.texture.id) {
    ImGui::TextUnformatted("The first layer's learned filters (5 × 5):");
    ImGui::SameLine();
    HelpMarker("Each filter's 25 weights, red > 0, blue < 0, all on one scale. They start as noise.");
    for (int c = 0; c < t.filters.channels; ++c) {
      if (c) SameLineIfFits(40, 4);
      FeatureMapTile(t.filters, c, 8);
    }
  }
  ImGui::Separator();
  draw_digit(t, ctx);
}

nlohmann::json conv_train_json(const ConvTrainState& t) {
  const CnnTrainer* tr = t.trainer.get();
  const CnnEpochStats* last = tr && !tr->history().empty() ? &tr->history().back() : nullptr;
  int prediction = -1;
  if (t.digit_probs.size() > 0) t.digit_probs.maxCoeff(&prediction);
  return {{"preparing", t.preparing()},
          {"training", tr && !tr->done()},
          {"playing", t.playing},
          {"done", tr && tr->done()},
          {"epoch", tr ? tr->epoch() : 0},
          {"steps", tr ? tr->steps() : 0},
          {"progress", tr ? double(tr->progress()) : 0.0},
          {"train_rows", t.train_x.rows()},
          {"curve_points", t.train_curve.size()},
          {"test_accuracy", last && last->validation.count ? last->validation.accuracy : -1.0},
          {"train_cross_entropy", t.train_curve.empty() ? -1.0 : t.train_curve.back().cross_entropy},
          {"first_cross_entropy", t.train_curve.empty() ? -1.0 : t.train_curve.front().cross_entropy},
          {"train_seconds", t.train_seconds},
          {"examples_per_second",
           tr && t.train_seconds > 0 ? double(tr->steps()) * tr->options().batch_size / t.train_seconds : 0.0},
          {"filters", t.filters.channels},
          {"digit_layers", t.digit_maps.size()},
          {"prediction", prediction},
          {"forward_ms", t.forward_ms},
          {"error", t.error}};
}

}  // namespace implay::app
