// nn_lab.cpp — the Neural net lab. [SECTION] settings & URL · data · training · maps · the
// network tab (plane, graph, controls, curves) · neuron by neuron · the batch as matrices · lab.
// Widgets draw; core/nn/mlp.hpp and mlp_train.hpp do every score, gradient and update.
#include "app/labs/nn_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/url_table.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/point_plane.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

namespace implay::app {
namespace {

// [SECTION] settings & URL ------------------------------------------------------------------

constexpr EnumChoice<Activation> kActivationChoices[] = {{Activation::Relu, "ReLU: max(0, a)"},
                                                         {Activation::LeakyRelu, "leaky ReLU"},
                                                         {Activation::Tanh, "tanh"},
                                                         {Activation::Sigmoid, "sigmoid σ(a)"},
                                                         {Activation::Linear, "linear (none)"}};
constexpr EnumChoice<NnLoss> kLossChoices[] = {{NnLoss::Softmax, "softmax cross-entropy"},
                                               {NnLoss::Hinge, "multiclass SVM (hinge)"},
                                               {NnLoss::SquaredError, "squared error"}};
constexpr EnumChoice<Regularizer> kRegChoices[] = {
    {Regularizer::None, "none"}, {Regularizer::L2, "L2: Σ W²"}, {Regularizer::L1, "L1: Σ |W|"}};
constexpr EnumChoice<NnOptimizer> kOptimizerChoices[] = {
    {NnOptimizer::Sgd, "SGD"}, {NnOptimizer::Momentum, "SGD + momentum"}, {NnOptimizer::Adam, "Adam"}};

constexpr UrlWord<NnTab> kTabWords[] = {
    {NnTab::Network, "network"}, {NnTab::Neurons, "neurons"}, {NnTab::Matrices, "matrices"}, {NnTab::Mnist, "mnist"}};
constexpr UrlWord<Activation> kActivationWords[] = {{Activation::Relu, "relu"},
                                                    {Activation::LeakyRelu, "leaky"},
                                                    {Activation::Tanh, "tanh"},
                                                    {Activation::Sigmoid, "sigmoid"},
                                                    {Activation::Linear, "linear"}};
constexpr UrlWord<NnLoss> kLossWords[] = {
    {NnLoss::Softmax, "softmax"}, {NnLoss::Hinge, "svm"}, {NnLoss::SquaredError, "mse"}};
constexpr UrlWord<Regularizer> kRegWords[] = {
    {Regularizer::None, "none"}, {Regularizer::L2, "l2"}, {Regularizer::L1, "l1"}};
constexpr UrlWord<NnOptimizer> kOptimizerWords[] = {
    {NnOptimizer::Sgd, "sgd"}, {NnOptimizer::Momentum, "momentum"}, {NnOptimizer::Adam, "adam"}};

// "8,8" ↔ {8, 8}; "0" or "" is no hidden layer (the linear model).
std::string layers_text(const std::vector<int>& hidden) {
  if (hidden.empty()) return "0";
  std::string out;
  for (int h : hidden) out += (out.empty() ? "" : ",") + std::to_string(h);
  return out;
}

std::vector<int> parse_layers(const std::string& text) {
  if (text == "0" || text.empty()) return {};
  const std::vector<long long> widths = parse_url_int_list(text, 1, kMaxNnPlaneUnits, "layer width");
  if (int(widths.size()) > kMaxNnPlaneLayers)
    throw Error(std::to_string(widths.size()) + " hidden layers: at most " + std::to_string(kMaxNnPlaneLayers));
  return std::vector<int>(widths.begin(), widths.end());
}

}  // namespace

const UrlTable<NnLabState>& nn_url_table() {
  using S = NnLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: the network, neuron by neuron, the batch as matrices, MNIST",
           [](auto& s) -> auto& { return s.tab; }),
       url_enum<S, kToyPresetWords>(
           "data", "the 2-D point set", [](auto& s) -> auto& { return s.settings.preset; }),
       url_int<S>(
           "classes", 2, 5, "classes (spiral arms)", [](auto& s) -> auto& { return s.settings.num_classes; }),
       url_int<S>(
           "points", 10, 200, "points per class", [](auto& s) -> auto& { return s.settings.points_per_class; }),
       url_float<S>(
           "noise", 0, 2, "the set's spread (spiral: σ of the angle)",
           [](auto& s) -> auto& { return s.settings.noise; }),
       url_float<S>(
           "ratio", 0, 0.8, "fraction of the points held out for testing",
           [](auto& s) -> auto& { return s.settings.test_ratio; }),
       url_int<S>(
           "seed", 0, 1000000, "the sample, the split and the first weights",
           [](auto& s) -> auto& { return s.settings.seed; }),
       url_text<S>(
           "layers", "widths such as 8,8 (0: no hidden layer)", "the hidden layers, input side first",
           [](const S& s) { return layers_text(s.settings.hidden); },
           [](S& s, const std::string& v) { s.settings.hidden = parse_layers(v); }),
       url_enum<S, kActivationWords>(
           "activation", "φ of the hidden units", [](auto& s) -> auto& { return s.settings.activation; }),
       url_text<S>(
           "features", "a list of x, y, x2, y2, xy, sinx, siny", "the inputs the net sees",
           [](const S& s) { return feature_list_spec(s.settings.features); },
           [](S& s, const std::string& v) { s.settings.features = parse_feature_list(v); }),
       url_enum<S, kLossWords>(
           "loss", "the loss trained", [](auto& s) -> auto& { return s.settings.loss; }),
       url_enum<S, kRegWords>(
           "reg", "the regularizer of the weights", [](auto& s) -> auto& { return s.settings.reg; }),
       url_float<S>(
           "lambda", 0, 1, "λ, the regularization strength", [](auto& s) -> auto& { return s.settings.lambda; }),
       url_enum<S, kOptimizerWords>(
           "optimizer", "the update rule", [](auto& s) -> auto& { return s.settings.optimizer; }),
       url_float<S>(
           "lr", 1e-5, 10, "the learning rate α", [](auto& s) -> auto& { return s.settings.learning_rate; }),
       url_int<S>(
           "batch", 1, 500, "the minibatch size", [](auto& s) -> auto& { return s.settings.batch_size; }),
       url_bool<S>(
           "argmax", "regions by the winning class only", [](auto& s) -> auto& { return s.settings.argmax; }),
       url_bool<S>(
           "compare", "a linear model trained beside", [](auto& s) -> auto& { return s.settings.compare_linear; }),
       url_int<S>(
           "mnist_units", 10, kMaxNnMnistUnits, "MNIST: hidden units H of the 784-H-10 net",
           [](auto& s) -> auto& { return s.mnist.settings.hidden; }),
       url_enum<S, kActivationWords>(
           "mnist_activation", "MNIST: φ of the hidden units",
           [](auto& s) -> auto& { return s.mnist.settings.activation; }),
       url_float<S>(
           "mnist_lr", 1e-4, 0.1, "MNIST: the learning rate α of Adam",
           [](auto& s) -> auto& { return s.mnist.settings.learning_rate; }),
       url_int<S>(
           "mnist_batch", 10, 500, "MNIST: the minibatch size",
           [](auto& s) -> auto& { return s.mnist.settings.batch_size; }),
       url_int<S>(
           "mnist_epochs", 1, 20, "MNIST: passes over the training images",
           [](auto& s) -> auto& { return s.mnist.settings.epochs; })},
      {{"settings", "the settings column"},
       {"graph", "the network graph"},
       {"curves", "the loss and accuracy curves"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

namespace {

// [SECTION] data ----------------------------------------------------------------------------

void rebuild_data(NnLabState& s) {
  const NnSettings& o = s.settings;
  ToyOptions options;
  options.noise = o.noise;
  options.spiral = SpiralStyle::Cs231n;  // the lecture's generator: arms 4 rad apart
  const ToyData all = make_toy_data(o.preset, o.num_classes, o.points_per_class, uint64_t(o.seed), options);
  const ToySplit split = split_train_test(all, o.test_ratio, uint64_t(o.seed) * 31 + 7);
  s.train_points = split.train.points, s.train_labels = split.train.labels;
  s.test_points = split.test.points, s.test_labels = split.test.labels;
  s.drag_point = -1;
}

// The feature matrices from the points; the grid's too (the features may have changed).
void rebuild_features(NnLabState& s) {
  s.train_x = expand_features(s.train_points, s.settings.features);
  s.test_x = expand_features(s.test_points, s.settings.features);
  std::vector<float> grid(size_t(2 * kNnGrid * kNnGrid));
  for (int y = 0; y < kNnGrid; ++y)
    for (int x = 0; x < kNnGrid; ++x) {
      grid[size_t(2 * (y * kNnGrid + x))] = -1.0f + 2.0f * (float(x) + 0.5f) / kNnGrid;
      grid[size_t(2 * (y * kNnGrid + x) + 1)] = 1.0f - 2.0f * (float(y) + 0.5f) / kNnGrid;
    }
  s.maps.grid_x = expand_features(grid, s.settings.features);
}

NnDataKey data_key(const NnLabState& s) {
  const NnSettings& o = s.settings;
  return {o.preset, o.num_classes, o.points_per_class, o.seed, o.noise, o.test_ratio, o.features, s.edits};
}

NnNetKey net_key(const NnLabState& s) {
  const NnSettings& o = s.settings;
  return {o.hidden, o.activation, o.seed, s.resets};
}

NnRecipeKey recipe_key(const NnLabState& s) { return {s.settings.loss, s.settings.optimizer, s.settings.batch_size}; }

// [SECTION] training ------------------------------------------------------------------------

MlpShape shape_of(const NnLabState& s, bool linear) {
  MlpShape shape;
  shape.input_dim = int(s.settings.features.size());
  if (!linear) shape.hidden = s.settings.hidden;
  shape.num_classes = s.settings.num_classes;
  shape.activation = s.settings.activation;
  return shape;
}

MlpTrainOptions train_options(const NnSettings& o) {
  MlpTrainOptions t;
  t.optimizer = o.optimizer == NnOptimizer::Adam ? Optimizer::Adam : Optimizer::Sgd;
  t.momentum = o.optimizer == NnOptimizer::Momentum ? 0.9f : 0.0f;
  t.learning_rate = o.learning_rate;
  t.objective.loss = o.loss;
  t.objective.reg = {o.reg, o.lambda};
  t.batch_size = o.batch_size;
  t.epochs = kMaxMlpEpochs;  // Play trains until paused
  t.seed = uint64_t(o.seed);
  return t;
}

// A trainer for `run`: from its net when it has the shape (an edit of the data or of a weight, a
// new loss, optimizer or batch size keeps what was learned), else a fresh net. The curves go on from where they were.
void restart_run(NnRun& run, const NnLabState& s, bool linear, bool fresh) {
  const MlpShape shape = shape_of(s, linear);
  run.epochs_before = fresh ? 0 : run.epochs();
  if (fresh) run.train_curve.clear(), run.test_curve.clear();
  run.failure.clear();
  run.sampled_epoch = -1;
  const MlpTrainOptions options = train_options(s.settings);
  const RowMatrixXf* test = s.test_labels.empty() ? nullptr : &s.test_x;
  if (!fresh && run.net.shape == shape)
    run.trainer = std::make_unique<MlpTrainer>(run.net, s.train_x, s.train_labels, options, test, s.test_labels);
  else
    run.trainer = std::make_unique<MlpTrainer>(shape, s.train_x, s.train_labels, options, test, s.test_labels);
  run.net = run.trainer->mlp();
}

// The trainer's newest epoch on the curves (both losses and accuracy, training and test).
void sample_run(NnRun& run) {
  const MlpTrainer& t = *run.trainer;
  if (t.history().empty() || t.epoch() == run.sampled_epoch) return;
  const MlpEpochStats& h = t.history().back();
  run.sampled_epoch = t.epoch();
  const double epoch = run.epochs_before + h.epoch;
  run.train_curve.push_back({epoch, h.train.cross_entropy, h.train.hinge, h.train.accuracy});
  if (h.validation.count > 0)
    run.test_curve.push_back({epoch, h.validation.cross_entropy, h.validation.hinge, h.validation.accuracy});
  // Long runs keep every other point: the curve's shape, bounded memory and drawing.
  for (auto* curve : {&run.train_curve, &run.test_curve})
    if (curve->size() > 2000) {
      std::vector<LossSample> kept;
      for (size_t i = 0; i < curve->size(); i += 2) kept.push_back((*curve)[i]);
      kept.push_back(curve->back());
      *curve = std::move(kept);
    }
  run.train_accuracy = h.train.accuracy, run.train_ce = h.train.cross_entropy, run.train_hinge = h.train.hinge;
  run.test_accuracy = h.validation.count ? h.validation.accuracy : -1;
  run.test_ce = h.validation.cross_entropy, run.test_hinge = h.validation.hinge;
}

// Trains `run` for about `budget_ms`, or `epochs` whole epochs (Step), and samples it.
void advance_run(NnRun& run, double budget_ms, int epochs) {
  MlpTrainer& t = *run.trainer;
  const auto t0 = Clock::now();
  const int target = t.epoch() + epochs;
  while (!t.done() && (epochs > 0 ? t.epoch() < target : ms_since(t0) < budget_ms)) {
    t.step(4);
    sample_run(run);
  }
  sample_run(run);
  run.net = t.mlp();
  if (!t.failure().empty()) run.failure = t.failure();
}

void update_training(NnLabState& s, LabContext& ctx) {
  const NnDataKey dk = data_key(s);
  const bool new_sample = dk != s.data_key && (dk.edits == s.data_key.edits || s.train_points.empty());
  const NnNetKey nk = net_key(s);
  const bool fresh = nk != s.net_key || new_sample || s.mlp.net.shape != shape_of(s, false);
  if (new_sample) rebuild_data(s);
  if (dk != s.data_key || fresh || s.net_dirty || recipe_key(s) != s.recipe_key) {
    rebuild_features(s);
    s.data_key = data_key(s);
    s.net_key = nk;
    s.recipe_key = recipe_key(s);
    try {
      restart_run(s.mlp, s, false, fresh);
      restart_run(s.linear, s, true, fresh);
    } catch (const Error& e) {
      s.mlp.failure = e.what();
      s.mlp.trainer.reset();
      s.playing = false;
    }
    s.net_dirty = false;
    s.maps_dirty = true;
  }
  if (!s.mlp.trainer) return;
  // λ and α take effect at once, without starting over.
  try {
    s.mlp.trainer->set_learning_rate(s.settings.learning_rate);
    s.mlp.trainer->set_regularization({s.settings.reg, s.settings.lambda});
  } catch (const Error& e) {
    s.mlp.failure = e.what();
  }
  const int epochs = s.pending_steps;
  s.pending_steps = 0;
  if (s.playing || epochs > 0) {
    const auto t0 = Clock::now();
    advance_run(s.mlp, 8.0, epochs);
    if (s.settings.compare_linear) advance_run(s.linear, 2.0, epochs);
    s.train_seconds += ms_since(t0) / 1000.0;
    s.maps_dirty = true;
    if (!s.mlp.failure.empty()) s.playing = false;
  }
  if (s.playing) {
    ctx.keep_awake();
    ctx.activity = "neural net: training, epoch " + std::to_string(s.mlp.epochs());
  }
}

// [SECTION] maps ----------------------------------------------------------------------------

// The class regions of `net` on the grid: each pixel the classes' colours weighted by their
// softmax probabilities (or the winner's alone), lightened so the points stay readable.
void regions_texture(const RowMatrixXf& scores, bool argmax, Texture& texture, Host& host) {
  const int n = int(scores.rows()), C = int(scores.cols());
  std::vector<uint32_t> rgba(static_cast<size_t>(n));
  std::vector<ImVec4> colors;
  for (int c = 0; c < C; ++c) colors.push_back(class_color_vec(c));
  for (int i = 0; i < n; ++i) {
    const float top = scores.row(i).maxCoeff();
    float r = 0, g = 0, b = 0, sum = 0;
    int best = 0;
    for (int c = 0; c < C; ++c) {
      if (scores(i, c) > scores(i, best)) best = c;
      const float p = std::exp(scores(i, c) - top);
      sum += p, r += p * colors[size_t(c)].x, g += p * colors[size_t(c)].y, b += p * colors[size_t(c)].z;
    }
    if (argmax) r = colors[size_t(best)].x, g = colors[size_t(best)].y, b = colors[size_t(best)].z, sum = 1;
    auto light = [&](float v) { return int(255.0f * (0.62f + 0.38f * v / sum)); };
    rgba[size_t(i)] = IM_COL32(light(r), light(g), light(b), 255);
  }
  texture.smooth = true;
  host.update_texture(texture, rgba.data(), kNnGrid, kNnGrid);
}

constexpr int kNeuronMap = 32;      // a neuron's map: every other grid point
constexpr int kMaxGraphUnits = 16;  // units drawn per layer in the graph

// Column `unit` of `values` (G², n) as a small map, diverging around 0 (scaled by its largest |v|).
void neuron_texture(const RowMatrixXf& values, int unit, Texture& texture, Host& host) {
  float scale = 1e-6f;
  for (int y = 0; y < kNeuronMap; ++y)
    for (int x = 0; x < kNeuronMap; ++x) scale = std::max(scale, std::fabs(values(2 * y * kNnGrid + 2 * x, unit)));
  std::vector<uint32_t> rgba(size_t(kNeuronMap * kNeuronMap));
  for (int y = 0; y < kNeuronMap; ++y)
    for (int x = 0; x < kNeuronMap; ++x)
      rgba[size_t(y * kNeuronMap + x)] = diverging_rgba(values(2 * y * kNnGrid + 2 * x, unit) / scale);
  texture.smooth = true;
  host.update_texture(texture, rgba.data(), kNeuronMap, kNeuronMap);
}

// The graph's columns: the inputs, every hidden layer, the outputs; (layer, units) each.
int graph_units(const Mlp& net, int column) {
  if (column == 0) return net.shape.input_dim;
  return std::min(kMaxGraphUnits, net.layer_out(column - 1));
}

// Index of a neuron's texture in NnMaps::neurons: columns in order, units within.
int neuron_index(const Mlp& net, int column, int unit) {
  int index = 0;
  for (int c = 0; c < column; ++c) index += graph_units(net, c);
  return index + unit;
}

void update_maps(NnLabState& s, Host& host) {
  if (!s.maps_dirty || !s.mlp.trainer) return;
  s.maps_dirty = false;
  const Mlp& net = s.mlp.net;
  forward(net, s.maps.grid_x, s.maps.grid);
  regions_texture(s.maps.grid.scores(), s.settings.argmax, s.maps.regions, host);
  if (!s.test_labels.empty())
    set_confusion(s.confusion, mlp_predict(net, s.test_x), s.test_labels, s.settings.num_classes);
  else
    clear_confusion(s.confusion);
  if (s.settings.compare_linear) {
    MlpActivations linear;
    forward(s.linear.net, s.maps.grid_x, linear);
    regions_texture(linear.scores(), s.settings.argmax, s.maps.linear_regions, host);
  }
  const int columns = net.num_hidden_layers() + 2;
  s.maps.neurons.resize(size_t(neuron_index(net, columns, 0)));
  for (int c = 0; c < columns; ++c) {
    const RowMatrixXf& values = c == 0 ? s.maps.grid_x : s.maps.grid.post[size_t(c - 1)];
    for (int u = 0; u < graph_units(net, c); ++u)
      neuron_texture(values, u, s.maps.neurons[size_t(neuron_index(net, c, u))], host);
  }
}

// The minibatch of the matrices tab: B training rows drawn by batch_seed, through the net.
void update_batch(NnLabState& s) {
  const int n = int(s.train_labels.size());
  const int m = std::min(s.settings.batch_size, n);
  if (int(s.batch_rows.size()) != m) s.batch_rows.clear();
  if (s.batch_rows.empty() && n > 0) {
    Rng rng(uint64_t(s.batch_seed) * 977 + 5);
    std::vector<int> order(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) order[size_t(i)] = i;
    for (int i = 0; i < m; ++i) std::swap(order[size_t(i)], order[size_t(i + int(rng.next_u64() % uint64_t(n - i)))]);
    s.batch_rows.assign(order.begin(), order.begin() + m);
  }
  if (s.batch_rows.empty() || !s.mlp.trainer) return;
  RowMatrixXf x(Eigen::Index(s.batch_rows.size()), s.train_x.cols());  // (M, F)
  for (size_t i = 0; i < s.batch_rows.size(); ++i) x.row(Eigen::Index(i)) = s.train_x.row(s.batch_rows[i]);
  forward(s.mlp.net, x, s.batch);
}

}  // namespace

void update_nn_lab(NnLabState& s, LabContext& ctx) {
  update_training(s, ctx);
  update_maps(s, ctx.host);
  if (s.tab == NnTab::Matrices) update_batch(s);
  // MNIST gets a larger slice than the 2-D nets: the frame has little else to draw.
  update_nn_mnist(s.mnist, ctx, 20.0, s.tab == NnTab::Mnist);
}

void background_nn_lab(NnLabState& s, LabContext& ctx) { update_nn_mnist(s.mnist, ctx, 12.0, false); }

namespace {

// [SECTION] the network tab -------------------------------------------------------------------

// The plane: the regions (or the hovered neuron's map), training points filled, test points as
// rings; add (left click, the class picked), drag and delete (right click) training points.
void draw_plane(NnLabState& s, LabContext& ctx, float size, const Texture* ground, const char* id, bool editable) {
  PointPlane plane(id, size, ctx.probes, id, ground);
  if (editable && !ctx.locked) {
    PlaneEditing how;
    how.add_class = std::min(s.add_class, s.settings.num_classes - 1);
    if (plane.edit_points(s.train_points, s.train_labels, s.drag_point, how).changed()) {
      ++s.edits;
      s.net_dirty = true;
    }
  }
  ImDrawList* dl = plane.draw_list();
  for (size_t i = 0; i < s.test_labels.size(); ++i) {
    const ImVec2 p = plane.to_screen(s.test_points[2 * i], s.test_points[2 * i + 1]);
    dl->AddCircle(p, 4.0f, class_color(s.test_labels[i]), 12, 2.0f);
  }
  plane.draw_points(s.train_points, s.train_labels);
  if (plane.hovered() && s.mlp.trainer && editable) {
    const ImVec2 m = plane.mouse();
    const float xy[2] = {m.x, m.y};
    const RowMatrixXf f = expand_features(xy, s.settings.features);
    const RowMatrixXf scores = mlp_scores(s.mlp.net, f);
    std::string text = "(" + fixed(m.x, 2) + ", " + fixed(m.y, 2) + ")";
    const float top = scores.maxCoeff();
    float sum = 0;
    for (int c = 0; c < scores.cols(); ++c) sum += std::exp(scores(0, c) - top);
    for (int c = 0; c < scores.cols(); ++c)
      text += "\nclass " + std::to_string(c) + ": score " + fixed(scores(0, c), 2) +
              ", p = " + fixed(std::exp(scores(0, c) - top) / sum, 2);
    ImGui::SetTooltip("%s", text.c_str());
  }
  plane.end();
}

// Inputs → hidden layers → outputs, each neuron its map over the plane; edges coloured by the
// sign of the weight (red +, blue −) and thickened by its size. Hover a neuron: its map on the
// plane. Click one: type its weights and bias. Right-click a hidden one: switch it off or on.
void draw_graph(NnLabState& s, LabContext& ctx) {
  const Mlp& net = s.mlp.net;
  const int columns = net.num_hidden_layers() + 2;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float node = std::clamp((avail - 20) / (columns * 2.2f), 22.0f, 40.0f);
  const float gap = std::max(node * 1.2f, (avail - columns * node) / std::max(1, columns - 1));
  int tallest = 0;
  for (int c = 0; c < columns; ++c) tallest = std::max(tallest, graph_units(net, c));
  const float row = node + 14;  // a node and its bias under it
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float height = tallest * row + 18;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto centre = [&](int c, int u) {
    const int n = graph_units(net, c);
    return ImVec2(o.x + c * (node + gap) + node * 0.5f, o.y + 18 + (tallest - n) * row * 0.5f + u * row + node * 0.5f);
  };
  // Edges first, under the nodes.
  for (int l = 0; l + 1 < columns; ++l) {
    const auto W = net.W(l);
    const float scale = std::max(1e-6f, W.cwiseAbs().maxCoeff());
    for (int i = 0; i < graph_units(net, l); ++i)
      for (int j = 0; j < graph_units(net, l + 1); ++j) {
        const float w = W(i, j);
        const ImVec2 a = centre(l, i), b = centre(l + 1, j);
        const float t = std::fabs(w) / scale;
        dl->AddLine(ImVec2(a.x + node * 0.5f, a.y), ImVec2(b.x - node * 0.5f, b.y),
                    w >= 0 ? IM_COL32(178, 24, 43, int(40 + 180 * t)) : IM_COL32(33, 102, 172, int(40 + 180 * t)),
                    0.5f + 3.0f * t);
      }
  }
  char label[48];
  for (int c = 0; c < columns; ++c) {
    const char* title = c == 0 ? "inputs" : c == columns - 1 ? "scores" : nullptr;
    std::snprintf(label, sizeof label, "%s", title ? title : "");
    if (!title) std::snprintf(label, sizeof label, "layer %d", c);
    // The scores' title ends at the right edge: wider than a node, it would stick out.
    const float title_x = std::min(centre(c, 0).x - node * 0.5f, o.x + avail - ImGui::CalcTextSize(label).x);
    dl->AddText(ImVec2(title_x, o.y), kMutedTextColor, label);
    for (int u = 0; u < graph_units(net, c); ++u) {
      const ImVec2 p = centre(c, u);
      const ImVec2 a(p.x - node * 0.5f, p.y - node * 0.5f), b(p.x + node * 0.5f, p.y + node * 0.5f);
      const size_t index = size_t(neuron_index(net, c, u));
      if (index < s.maps.neurons.size() && s.maps.neurons[index].id) dl->AddImage(s.maps.neurons[index].id, a, b);
      const bool off = c > 0 && c < columns - 1 && !net.unit_on[size_t(c - 1)][size_t(u)];
      if (off) {
        dl->AddRectFilled(a, b, IM_COL32(240, 240, 240, 220));
        dl->AddLine(a, b, kMutedTextColor, 1.5f);
      }
      dl->AddRect(a, b, c == columns - 1 ? class_color(u) : kMutedTextColor, 0, 0, c == columns - 1 ? 2.5f : 1.0f);
      if (c == 0)
        std::snprintf(label, sizeof label, "%s", feature2d_formula(s.settings.features[size_t(u)]));
      else
        std::snprintf(label, sizeof label, "b %.2f", double(net.b(c - 1)(u)));
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f, ImVec2(a.x, b.y + 1), kMutedTextColor, label);
      ImGui::SetCursorScreenPos(a);
      ImGui::PushID(c * 1000 + u);
      ImGui::InvisibleButton("neuron", ImVec2(node, node));
      if (ImGui::IsItemHovered()) {
        s.maps.hovered_layer = c - 1, s.maps.hovered_unit = u;
        if (c == 0)
          ImGui::SetTooltip("input %s", feature2d_formula(s.settings.features[size_t(u)]));
        else
          ImGui::SetTooltip(
              "%s %d of layer %d, bias %.3f: its value over the plane (red > 0, blue < 0), shown large on the "
              "plane.\nClick to type its weights%s.",
              c == columns - 1 ? "Score" : "Neuron", u, c, double(net.b(c - 1)(u)),
              c == columns - 1 ? ""
              : off            ? ", right-click to switch it on"
                               : ", right-click to switch it off");
      }
      if (c > 0 && ImGui::IsItemClicked(ImGuiMouseButton_Left) && !ctx.locked) {
        s.edit_layer = c - 1, s.edit_unit = u;
        ImGui::OpenPopup("edit_neuron");
      }
      if (c > 0 && c < columns - 1 && ImGui::IsItemClicked(ImGuiMouseButton_Right) && !ctx.locked && s.mlp.trainer) {
        s.mlp.trainer->set_unit_on(c - 1, u, off);
        s.mlp.net = s.mlp.trainer->mlp();
        s.maps_dirty = true;
      }
      ImGui::PopID();
    }
    if (c > 0 && net.layer_out(c - 1) > kMaxGraphUnits) {
      std::snprintf(label, sizeof label, "+%d more", net.layer_out(c - 1) - kMaxGraphUnits);
      dl->AddText(ImVec2(centre(c, 0).x - node * 0.5f, o.y + height - 14), kMutedTextColor, label);
    }
  }
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(ImVec2(avail, height));
  ctx.probes.item("graph");
}

// The popup of a clicked neuron: every weight into it and its bias, typed.
void draw_neuron_editor(NnLabState& s) {
  if (!ImGui::BeginPopup("edit_neuron")) return;
  Mlp& net = s.mlp.net;
  const int l = s.edit_layer, u = s.edit_unit;
  if (l < 0 || l > net.num_hidden_layers() || u >= net.layer_out(l)) {
    ImGui::EndPopup();
    return;
  }
  ImGui::Text("%s %d of layer %d: s = Σᵢ wᵢ xᵢ + b", l == net.num_hidden_layers() ? "Score" : "Neuron", u, l + 1);
  bool changed = false;
  auto W = net.W(l);
  const int shown = std::min(16, net.layer_in(l));
  for (int i = 0; i < shown; ++i) {
    ImGui::PushID(i);
    ImGui::SetNextItemWidth(110);
    char name[32];
    std::snprintf(name, sizeof name, "w from %s %d", l == 0 ? "input" : "unit", i);
    changed |= ImGui::InputFloat(name, &W(i, u), 0.1f, 1.0f, "%.3f");
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(110);
  changed |= ImGui::InputFloat("bias b", &net.b(l)(u), 0.1f, 1.0f, "%.3f");
  if (changed) {
    for (int i = 0; i < shown; ++i)
      if (!std::isfinite(W(i, u))) W(i, u) = 0;
    if (!std::isfinite(net.b(l)(u))) net.b(l)(u) = 0;
    s.net_dirty = true;  // training goes on from the edited net
  }
  ImGui::EndPopup();
}

// Layer and width buttons, TF Playground's "+ / −" above the graph.
void draw_layer_buttons(NnLabState& s) {
  std::vector<int>& hidden = s.settings.hidden;
  ImGui::TextUnformatted("hidden layers:");
  ImGui::SameLine();
  if (ImGui::SmallButton("− layer") && !hidden.empty()) hidden.pop_back();
  ImGui::SameLine();
  if (ImGui::SmallButton("+ layer") && int(hidden.size()) < kMaxNnPlaneLayers)
    hidden.push_back(hidden.empty() ? 8 : hidden.back());
  for (size_t l = 0; l < hidden.size(); ++l) {
    SameLineIfFits(90);
    ImGui::PushID(int(l));
    ImGui::SetNextItemWidth(90);
    ImGui::InputInt("##units", &hidden[l], 1, 8);
    hidden[l] = std::clamp(hidden[l], 1, kMaxNnPlaneUnits);
    ImGui::PopID();
  }
  if (hidden.empty()) {
    ImGui::SameLine();
    MutedText("none: the linear model s = Wx + b");
  }
}

void draw_settings(NnLabState& s, LabContext& ctx) {
  NnSettings& o = s.settings;
  ImGui::BeginDisabled(ctx.locked);
  ImGui::SetNextItemWidth(FitWidth(200, "data"));
  EnumCombo<ToyPreset>("data", o.preset, kToyPresetChoices);
  ImGui::SetNextItemWidth(FitWidth(200, "classes"));
  ImGui::SliderInt("classes", &o.num_classes, 2, 5);
  ImGui::SetNextItemWidth(FitWidth(200, "points per class"));
  ImGui::SliderInt("points per class", &o.points_per_class, 10, 200);
  ImGui::SetNextItemWidth(FitWidth(200, "noise"));
  ImGui::SliderFloat("noise", &o.noise, 0.0f, 1.0f, "%.2f");
  ImGui::SetNextItemWidth(FitWidth(200, "test share"));
  ImGui::SliderFloat("test share", &o.test_ratio, 0.0f, 0.8f, "%.2f");
  ImGui::Separator();
  draw_layer_buttons(s);
  ImGui::SetNextItemWidth(FitWidth(200, "activation φ"));
  EnumCombo<Activation>("activation φ", o.activation, kActivationChoices);
  // The inputs as TF Playground offers them.
  ImGui::TextUnformatted("inputs:");
  for (Feature2d f : kAllFeatures2d) {
    SameLineIfFits(ImGui::GetFrameHeight() + ImGui::CalcTextSize(feature2d_formula(f)).x + 8);
    bool on = std::find(o.features.begin(), o.features.end(), f) != o.features.end();
    if (ImGui::Checkbox(feature2d_formula(f), &on)) {
      if (on)
        o.features.push_back(f);
      else if (o.features.size() > 1)
        o.features.erase(std::find(o.features.begin(), o.features.end(), f));
    }
  }
  ImGui::SetNextItemWidth(FitWidth(200, "loss"));
  EnumCombo<NnLoss>("loss", o.loss, kLossChoices);
  ctx.probes.item("loss_combo");
  ImGui::SetNextItemWidth(FitWidth(200, "regularizer"));
  EnumCombo<Regularizer>("regularizer", o.reg, kRegChoices);
  if (o.reg != Regularizer::None) {
    ImGui::SetNextItemWidth(FitWidth(200, "λ"));
    ImGui::SliderFloat("λ", &o.lambda, 0.0f, 0.1f, "%.2g", ImGuiSliderFlags_Logarithmic);
  }
  ImGui::SetNextItemWidth(FitWidth(200, "optimizer"));
  EnumCombo<NnOptimizer>("optimizer", o.optimizer, kOptimizerChoices);
  ImGui::SetNextItemWidth(FitWidth(200, "learning rate α"));
  ImGui::SliderFloat("learning rate α", &o.learning_rate, 1e-4f, 1.0f, "%.4f", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(FitWidth(200, "batch size"));
  ImGui::SliderInt("batch size", &o.batch_size, 1, 100);
  ImGui::EndDisabled();
}

void draw_run_buttons(NnLabState& s, LabContext& ctx) {
  if (ShortcutButton(s.playing ? "Pause" : "Play", kPlayPauseKey)) s.playing = !s.playing && s.mlp.trainer;
  ctx.probes.item("play");
  ImGui::SameLine();
  if (ShortcutButton("Step", kStepKey)) ++s.pending_steps;
  ctx.probes.item("step");
  ImGui::SameLine();
  if (ShortcutButton("Reset", kResetKey)) {
    ++s.resets;
    s.playing = false;
  }
  ctx.probes.item("reset");
  SameLineIfFits(ImGui::CalcTextSize("New sample").x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::Button("New sample")) ++s.settings.seed;
  const NnRun& r = s.mlp;
  if (r.train_curve.empty())  // nothing measured yet: "0.0 %" would read as a result
    ImGui::TextUnformatted("epoch 0  ·  press Play or Step to train");
  else
    ImGui::Text("epoch %d  ·  train accuracy %.1f %%  ·  test %s", r.epochs(), 100 * r.train_accuracy,
                r.test_accuracy >= 0 ? (fixed(100 * r.test_accuracy, 1) + " %").c_str() : "–");
  if (!r.failure.empty()) ErrorText(r.failure);
}

// Presets of settings known to work (each one a click).
void draw_presets(NnLabState& s) {
  struct Preset {
    const char* name;
    const char* help;
    std::vector<int> hidden;
    Activation activation;
    float lr;
  };
  static const Preset kPresets[] = {
      {"linear", "no hidden layer: the best line is stuck near 50 % on the spiral", {}, Activation::Relu, 0.01f},
      {"16 ReLU", "one hidden layer of 16 ReLU units: the spiral in seconds", {16}, Activation::Relu, 0.01f},
      {"8-8 tanh", "two tanh layers: smooth, curved regions", {8, 8}, Activation::Tanh, 0.03f},
      {"100 ReLU", "CS231n's 2-layer net of 100 units", {100}, Activation::Relu, 0.01f},
  };
  ImGui::TextUnformatted("presets:");
  for (const Preset& p : kPresets) {
    SameLineIfFits(ImGui::CalcTextSize(p.name).x + 2 * ImGui::GetStyle().FramePadding.x);
    if (ImGui::SmallButton(p.name)) {
      s.settings.hidden = p.hidden, s.settings.activation = p.activation, s.settings.learning_rate = p.lr;
      s.playing = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.help);
  }
}

void draw_curves(NnLabState& s) {
  if (s.mlp.train_curve.empty()) return;
  ImGui::Checkbox("log scale", &s.log_scale);
  LossCurvesOptions o;
  o.log_scale = s.log_scale;
  o.max_epoch = 10;
  o.train_label = "training";
  o.held_label = "test";
  o.height = 190;
  o.min_width = 260;
  LossCurves("nn_curves", s.mlp.train_curve, s.mlp.test_curve, o);
}

const Texture* plane_ground(const NnLabState& s) {
  const int columns = s.mlp.net.num_hidden_layers() + 2;
  if (s.maps.hovered_layer >= -1 && s.maps.hovered_unit >= 0 && s.mlp.trainer) {
    const size_t index = size_t(neuron_index(s.mlp.net, s.maps.hovered_layer + 1, s.maps.hovered_unit));
    if (s.maps.hovered_layer + 1 < columns && index < s.maps.neurons.size()) return &s.maps.neurons[index];
  }
  return &s.maps.regions;
}

void draw_network_tab(NnLabState& s, LabContext& ctx) {
  const Texture* ground = plane_ground(s);
  s.maps.hovered_layer = -2, s.maps.hovered_unit = -1;  // the graph sets it again while hovered
  if (ctx.shown("settings")) {
    Panes panes("nn_network", 340, 320);
    draw_settings(s, ctx);
    panes.next();
    draw_run_buttons(s, ctx);
    draw_presets(s);
    ImGui::SetNextItemWidth(FitWidth(120, "add points of class"));
    ImGui::SliderInt("add points of class", &s.add_class, 0, s.settings.num_classes - 1);
    for (auto [label, value] :
         {std::pair{"argmax", &s.settings.argmax}, {"linear beside", &s.settings.compare_linear}}) {
      SameLineIfFits(ImGui::GetFrameHeight() + ImGui::CalcTextSize(label).x + 8);
      ImGui::Checkbox(label, value);
    }
    const float width = ImGui::GetContentRegionAvail().x;
    const bool two = s.settings.compare_linear;
    const float size = std::clamp(two ? (width - 12) * 0.5f : std::min(width, 420.0f), 180.0f, 520.0f);
    ImGui::BeginGroup();
    draw_plane(s, ctx, size, ground, "plane", true);
    ImGui::EndGroup();
    if (two) {
      SameLineIfFits(size, 12);
      ImGui::BeginGroup();
      draw_plane(s, ctx, size, &s.maps.linear_regions, "linear_plane", false);
      ImGui::Text("linear model: train %.1f %%, test %s", 100 * s.linear.train_accuracy,
                  s.linear.test_accuracy >= 0 ? (fixed(100 * s.linear.test_accuracy, 1) + " %").c_str() : "–");
      ImGui::EndGroup();
    }
    if (ctx.shown("graph") && s.mlp.trainer) {
      draw_graph(s, ctx);
      draw_neuron_editor(s);
    }
    if (ctx.shown("curves")) {
      draw_curves(s);
      ConfusionMatrix(s.confusion, ctx.probes, "confusion", "test points", false);
    }
    return;
  }
  draw_run_buttons(s, ctx);
  draw_plane(s, ctx, FitSquare(200.0f, 1e9f, 4.0f), ground, "plane", true);
}

// [SECTION] neuron by neuron ------------------------------------------------------------------

// One hidden layer on the inputs x, y: neuron i fires where wᵢ·x + bᵢ > 0, a line on the plane.
bool lines_apply(const NnLabState& s) {
  return s.mlp.trainer && s.mlp.net.num_hidden_layers() == 1 &&
         s.settings.features == std::vector<Feature2d>{Feature2d::X, Feature2d::Y};
}

// The colour of neuron i: the class its outgoing weights vᵢ favour most.
int favoured_class(const Mlp& net, int i) {
  const auto V = net.W(1);
  int best = 0;
  for (int c = 1; c < V.cols(); ++c)
    if (V(i, c) > V(i, best)) best = c;
  return best;
}

void draw_neuron_lines(NnLabState& s, LabContext& ctx, float size) {
  Mlp& net = s.mlp.net;
  auto W = net.W(0);
  auto b = net.b(0);
  const int N = net.layer_out(0);
  PointPlane plane("neuron_plane", size, ctx.probes, "neuron_plane", &s.maps.regions);
  // Handles as in the linear lab: the line's point nearest the origin shifts it, the arrow turns it.
  auto handle = [&](int i, bool tip) {
    const float w0 = W(0, i), w1 = W(1, i), n2 = std::max(1e-8f, w0 * w0 + w1 * w1), n = std::sqrt(n2);
    ImVec2 p0(-b(i) * w0 / n2, -b(i) * w1 / n2);
    p0.x = std::clamp(p0.x, -0.95f, 0.95f), p0.y = std::clamp(p0.y, -0.95f, 0.95f);
    return tip ? ImVec2(p0.x + 0.18f * w0 / n, p0.y + 0.18f * w1 / n) : p0;
  };
  const ImVec2 mouse = plane.mouse_screen();
  if (plane.clicked(ImGuiMouseButton_Left) && !ctx.locked) {
    s.drag_handle = -1;
    float nearest = 22.0f * 22.0f;
    for (int h = 0; h < 2 * std::min(N, 32); ++h) {
      const ImVec2 sp = plane.to_screen(handle(h / 2, h % 2));
      const float d2 = (sp.x - mouse.x) * (sp.x - mouse.x) + (sp.y - mouse.y) * (sp.y - mouse.y);
      if (d2 < nearest) nearest = d2, s.drag_handle = h;
    }
  }
  if (!plane.active() || !ImGui::IsMouseDown(ImGuiMouseButton_Left)) s.drag_handle = -1;
  if (s.drag_handle >= 0) {
    const int i = s.drag_handle / 2;
    const ImVec2 m = plane.mouse();
    const float w0 = W(0, i), w1 = W(1, i), n = std::max(1e-6f, std::sqrt(w0 * w0 + w1 * w1));
    if (s.drag_handle % 2 == 0) {
      b(i) = -(w0 * m.x + w1 * m.y);
    } else {
      const ImVec2 p0 = handle(i, false);
      const float dx = m.x - p0.x, dy = m.y - p0.y, d = std::sqrt(dx * dx + dy * dy);
      if (d > 1e-3f) W(0, i) = n * dx / d, W(1, i) = n * dy / d, b(i) = -(W(0, i) * p0.x + W(1, i) * p0.y);
    }
    s.net_dirty = true;
  }
  ImDrawList* dl = plane.draw_list();
  dl->PushClipRect(plane.min(), plane.max(), true);
  for (int i = 0; i < std::min(N, 32); ++i) {
    const float w0 = W(0, i), w1 = W(1, i), n = std::sqrt(w0 * w0 + w1 * w1);
    if (n < 1e-6f || !net.unit_on[0][size_t(i)]) continue;
    const ImVec2 p0 = handle(i, false), tip = handle(i, true), d(-w1 / n, w0 / n);
    const ImU32 col = class_color(favoured_class(net, i));
    dl->AddLine(plane.to_screen(p0.x - 3 * d.x, p0.y - 3 * d.y), plane.to_screen(p0.x + 3 * d.x, p0.y + 3 * d.y), col,
                2.0f);
    dl->AddLine(plane.to_screen(p0), plane.to_screen(tip), col, 2.0f);  // towards where it fires
    dl->AddCircleFilled(plane.to_screen(tip), 3.5f, col);
    dl->AddCircleFilled(plane.to_screen(p0), 5.0f, IM_COL32_WHITE);
    dl->AddCircle(plane.to_screen(p0), 5.0f, col, 16, 2.0f);
  }
  dl->PopClipRect();
  plane.draw_points(s.train_points, s.train_labels);
  ImVec2 at(0, 0);
  const bool hovered = plane.hovered();
  if (hovered) at = plane.mouse();
  plane.end();
  // At the hovered point (or the centre): each class's score as the stacked contributions.
  ImGui::SameLine(0, 16);
  ImGui::BeginGroup();
  ImGui::Text("Scores at (%.2f, %.2f)%s", double(at.x), double(at.y), hovered ? "" : " (hover the plane)");
  const auto V = net.W(1);
  const auto c0 = net.b(1);
  const int C = net.layer_out(1);
  std::vector<float> h(static_cast<size_t>(N));
  for (int i = 0; i < N; ++i)
    h[size_t(i)] =
        net.unit_on[0][size_t(i)] ? activate(net.shape.activation, W(0, i) * at.x + W(1, i) * at.y + b(i)) : 0;
  const float bar_w = std::max(160.0f, ImGui::GetContentRegionAvail().x - 10);
  float scale = 1e-3f;
  for (int c = 0; c < C; ++c) {
    float pos = std::max(0.0f, c0(c)), neg = std::min(0.0f, c0(c));
    for (int i = 0; i < N; ++i) (V(i, c) * h[size_t(i)] > 0 ? pos : neg) += V(i, c) * h[size_t(i)];
    scale = std::max({scale, pos, -neg});
  }
  ImDrawList* wl = ImGui::GetWindowDrawList();
  for (int c = 0; c < C; ++c) {
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float mid = o.x + bar_w * 0.5f, px = bar_w * 0.5f / scale;
    float pos = 0, neg = 0, total = c0(c);
    auto segment = [&](float v, ImU32 col) {
      float& end = v >= 0 ? pos : neg;
      const float x0 = mid + end * px, x1 = mid + (end + v) * px;
      wl->AddRectFilled(ImVec2(std::min(x0, x1), o.y + 2), ImVec2(std::max(x0, x1), o.y + 16), col);
      wl->AddRect(ImVec2(std::min(x0, x1), o.y + 2), ImVec2(std::max(x0, x1), o.y + 16), IM_COL32(255, 255, 255, 200));
      end += v;
    };
    segment(c0(c), IM_COL32(150, 150, 150, 255));  // the bias
    for (int i = 0; i < N; ++i) {
      const float v = V(i, c) * h[size_t(i)];
      total += v;
      if (v != 0) segment(v, class_color(favoured_class(net, i), 0.85f));
    }
    wl->AddLine(ImVec2(mid, o.y), ImVec2(mid, o.y + 18), kInkColor, 1.0f);
    ImGui::Dummy(ImVec2(bar_w, 18));
    ImGui::TextColored(class_color_vec(c), "class %d: score %.2f = bias %.2f + Σ vᵢ φ(hᵢ)", c, double(total),
                       double(c0(c)));
  }
  MutedText("Each segment is one neuron's vᵢ,c · φ(wᵢ·x + bᵢ), coloured by the class it favours; grey is the bias.");
  ImGui::EndGroup();
}

void draw_neuron_list(NnLabState& s, LabContext& ctx) {
  Mlp& net = s.mlp.net;
  const int N = std::min(net.layer_out(0), 32);
  ImGui::TextUnformatted("Neurons (uncheck to switch one off):");
  for (int i = 0; i < N; ++i) {
    if (i % 8) ImGui::SameLine();
    bool on = net.unit_on[0][size_t(i)];
    ImGui::PushStyleColor(ImGuiCol_CheckMark, class_color(favoured_class(net, i)));
    char name[16];
    std::snprintf(name, sizeof name, "%d##on", i);
    const bool toggled = ImGui::Checkbox(name, &on);
    if (i == 0) ctx.probes.item("neuron_on_0");
    if (toggled && !ctx.locked && s.mlp.trainer) {
      s.mlp.trainer->set_unit_on(0, i, on);
      s.mlp.net = s.mlp.trainer->mlp();
      s.maps_dirty = true;
    }
    ImGui::PopStyleColor();
  }
}

void draw_neurons_tab(NnLabState& s, LabContext& ctx) {
  MutedText(
      "One hidden layer y = Σᵢ vᵢ φ(x·wᵢ + bᵢ): neuron i fires on one side of its line wᵢ·x + bᵢ = 0 (the arrow "
      "points there), and adds vᵢ to the class scores. Drag a line's round handle to shift it, its tip to turn it.");
  if (!lines_apply(s)) {
    MutedText("This view needs one hidden layer on the inputs x, y.");
    if (ImGui::Button("Use one hidden layer of 6 neurons on x, y")) {
      s.settings.hidden = {6};
      s.settings.features = {Feature2d::X, Feature2d::Y};
    }
    return;
  }
  draw_run_buttons(s, ctx);
  draw_neuron_list(s, ctx);
  const float avail = ImGui::GetContentRegionAvail().x;
  draw_neuron_lines(s, ctx, std::clamp(avail * 0.5f, 200.0f, 460.0f));
}

// [SECTION] the batch as matrices -------------------------------------------------------------

constexpr int kShownRows = 4, kShownCols = 6;

// A matrix's first rows and columns as a table, titled with its name and shape.
void matrix_table(const char* name, const Eigen::Ref<const RowMatrixXf>& m, const char* note = nullptr) {
  ImGui::BeginGroup();
  ImGui::Text("%s (%d, %d)", name, int(m.rows()), int(m.cols()));
  if (note) {
    ImGui::SameLine();
    MutedText(note);
  }
  const int rows = std::min<int>(kShownRows, int(m.rows())), cols = std::min<int>(kShownCols, int(m.cols()));
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit;
  if (cols > 0 && ImGui::BeginTable(name, cols + (cols < m.cols() ? 1 : 0), flags)) {
    for (int r = 0; r < rows; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols; ++c) {
        ImGui::TableNextColumn();
        ImGui::Text("%6.2f", double(m(r, c)));
      }
      if (cols < m.cols()) {
        ImGui::TableNextColumn();
        ImGui::TextDisabled("…");
      }
    }
    ImGui::EndTable();
  }
  if (rows < m.rows()) ImGui::TextDisabled("… %d more rows", int(m.rows()) - rows);
  ImGui::EndGroup();
}

void draw_matrices_tab(NnLabState& s, LabContext& ctx) {
  const Mlp& net = s.mlp.net;
  if (!s.mlp.trainer || s.batch.post.empty() || s.batch_rows.empty()) {
    MutedText("The minibatch appears once the net is built.");
    return;
  }
  const int M = int(s.batch_rows.size()), L = net.num_hidden_layers();
  char line[200];
  std::snprintf(line, sizeof line,
                "One minibatch of M = %d training points through the %s net, as the lecture writes it:", M,
                mlp_shape_text(net.shape).c_str());
  ImGui::TextUnformatted(line);
  if (ImGui::Button("Another minibatch")) {
    ++s.batch_seed;
    s.batch_rows.clear();
  }
  ctx.probes.item("another_batch");
  ImGui::SameLine();
  draw_run_buttons(s, ctx);
  RowMatrixXf x(M, s.train_x.cols());  // (M, F)
  for (int i = 0; i < M; ++i) x.row(i) = s.train_x.row(s.batch_rows[size_t(i)]);
  matrix_table("X", x, "the inputs, a row per point");
  for (int l = 0; l <= L; ++l) {
    const bool out = l == L;
    char wname[32], bname[32], hname[48];
    std::snprintf(wname, sizeof wname, out ? "V = W%d" : "W%d", l + 1);
    std::snprintf(bname, sizeof bname, out ? "c = b%d" : "b%d", l + 1);
    std::snprintf(hname, sizeof hname, out ? "S = L%d V + c" : "L%d = φ(L%d W%d + b%d)", out ? l : l + 1, l, l + 1,
                  l + 1);
    ImGui::Separator();
    matrix_table(wname, net.W(l));
    ImGui::SameLine(0, 20);
    matrix_table(bname, net.b(l).transpose());
    ImGui::SameLine(0, 20);
    matrix_table(hname, s.batch.post[size_t(l)], out ? "the scores" : nullptr);
  }
  // Softmax and the loss of each row.
  const RowMatrixXf& S = s.batch.scores();
  RowMatrixXf P(S.rows(), S.cols());  // (M, C)
  std::vector<int> labels(static_cast<size_t>(M));
  for (int i = 0; i < M; ++i) {
    const float top = S.row(i).maxCoeff();
    P.row(i) = (S.row(i).array() - top).exp().matrix();
    P.row(i) /= P.row(i).sum();
    labels[size_t(i)] = s.train_labels[size_t(s.batch_rows[size_t(i)])];
  }
  ImGui::Separator();
  matrix_table("P = softmax(S)", P, "each row sums to 1");
  ImGui::SameLine(0, 20);
  ImGui::BeginGroup();
  const Eigen::VectorXf losses = nn_per_example_loss(NnLoss::Softmax, S, labels, 1.0f);
  ImGui::Text("Lᵢ = −log P[i, yᵢ] (M) = (%d)", M);
  for (int i = 0; i < std::min(M, kShownRows); ++i)
    ImGui::Text("y = %d:  −log %.3f = %.3f", labels[size_t(i)], double(P(i, labels[size_t(i)])), double(losses(i)));
  ImGui::Text("loss = mean = %.4f", double(losses.mean()));
  ImGui::EndGroup();
}

}  // namespace

// [SECTION] lab ----------------------------------------------------------------------------------

void draw_nn_lab(NnLabState& s, LabContext& ctx) {
  LabHeading(ctx.fonts.heading, "Neural net",
             ctx.shown("summary") ? "A hidden layer bends the decision boundary: the spiral no line can separate, "
                                    "learned live, neuron by neuron."
                                  : nullptr);
  static constexpr const char* kTabNames[] = {"Network", "Neuron by neuron", "The batch as matrices", "MNIST"};
  if (!LabTabs("nn_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case NnTab::Network: draw_network_tab(s, ctx); break;
    case NnTab::Neurons: draw_neurons_tab(s, ctx); break;
    case NnTab::Matrices: draw_matrices_tab(s, ctx); break;
    case NnTab::Mnist: draw_nn_mnist_tab(s.mnist, ctx); break;
  }
}

nlohmann::json nn_state_json(const NnLabState& s) {
  const NnRun& r = s.mlp;
  return {{"tab", int(s.tab)},
          {"layers", layers_text(s.settings.hidden)},
          {"activation", activation_name(s.settings.activation)},
          {"features", feature_list_spec(s.settings.features)},
          {"loss", nn_loss_name(s.settings.loss)},
          {"lr", s.settings.learning_rate},
          {"playing", s.playing},
          {"epoch", r.epochs()},
          {"train_points", s.train_labels.size()},
          {"first_point",
           s.train_points.size() >= 2 ? nlohmann::json{s.train_points[0], s.train_points[1]} : nlohmann::json::array()},
          {"test_points", s.test_labels.size()},
          {"train_accuracy", r.train_accuracy},
          {"test_accuracy", r.test_accuracy},
          {"train_cross_entropy", r.train_ce},
          {"test_cross_entropy", r.test_ce},
          {"train_hinge", r.train_hinge},
          {"test_hinge", r.test_hinge},
          {"curve_points", r.train_curve.size()},
          {"confusion_accuracy", s.confusion.accuracy},
          {"units_on", r.net.unit_on.empty() ? 0 : std::count(r.net.unit_on[0].begin(), r.net.unit_on[0].end(), 1)},
          {"failure", r.failure},
          {"linear_train_accuracy", s.linear.train_accuracy},
          {"linear_test_accuracy", s.linear.test_accuracy},
          {"linear_epoch", s.linear.epochs()},
          {"batch_rows", s.batch_rows.size()},
          {"train_seconds", s.train_seconds},
          {"mnist", nn_mnist_json(s.mnist)}};
}

}  // namespace implay::app
