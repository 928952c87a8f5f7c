// conv_why.cpp — the "Why convolution" tab (conv_why.hpp). [SECTION] the experiment (prepare the
// plain and permuted images, train the four runs in slices) · the view (the digit moved, its
// maps, the sweeps) · drawing · state for tests. Every number comes from core/.
#include "app/labs/conv_why.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/theme.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/frame_budget.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"
#include "core/linear/losses.hpp"

namespace implay::app {
namespace {

constexpr int kSide = 28, kPixels = kSide * kSide;
constexpr int kHidden = 100;  // the MLP: 784-100-10 ReLU, the Neural net lab's MNIST default
constexpr int kPrepareBlock = 256;
constexpr const char* kRunNames[kWhyRuns] = {"MLP, pixels as they are", "MLP, pixels permuted",
                                             "CNN, pixels as they are", "CNN, pixels permuted"};

// [SECTION] the experiment ------------------------------------------------------------------------

bool permuted_run(int run) { return run == int(WhyRun::MlpPermuted) || run == int(WhyRun::CnnPermuted); }
bool cnn_run(int run) { return run >= int(WhyRun::CnnPlain); }

int experiment_rows(const ConvWhySettings& o, const DataState& data) {
  return std::min(data.train.count, std::clamp(o.train_images, 1000, kMaxWhyImages));
}

void free_images(WhyExperiment& e) {
  e.mlp_trainer.reset();  // they view the matrices
  e.cnn_trainer.reset();
  e.train_plain = e.train_permuted = e.test_plain = e.test_permuted = RowMatrixXf();
}

void reset_experiment(WhyExperiment& e) {
  free_images(e);
  e.prepared = -1;
  e.run = -1;
  e.accuracy.fill(-1);
  e.seconds.fill(0);
}

void start_preparing(WhyExperiment& e, const ConvWhySettings& o, const DataState& data) {
  reset_experiment(e);
  e.error.clear();
  const int N = experiment_rows(o, data), M = data.test.count;
  e.train_plain.resize(N, kPixels), e.train_permuted.resize(N, kPixels);
  e.test_plain.resize(M, kPixels), e.test_permuted.resize(M, kPixels);
  e.permutation = make_pixel_permutation(kPixels, uint64_t(o.permutation_seed));
  e.data_generation = data.generation;
  e.prepared = 0;
}

// Row `row` of the training rows then the test rows: x / 255, and the same permuted.
void prepare_row(WhyExperiment& e, const DataState& data, int row) {
  const int N = int(e.train_plain.rows());
  const bool train = row < N;
  const int i = train ? row : row - N;
  const auto px = (train ? data.train : data.test).image(i);
  RowMatrixXf& plain = train ? e.train_plain : e.test_plain;
  RowMatrixXf& permuted = train ? e.train_permuted : e.test_permuted;
  for (int k = 0; k < kPixels; ++k) plain(i, k) = float(px[size_t(k)]) * (1.0f / 255.0f);
  permute_pixels(e.permutation, std::span<const float>(plain.row(i).data(), kPixels),
                 std::span<float>(permuted.row(i).data(), kPixels));
}

// Both nets alike: the CNN's recipe (cnn_train.hpp: Adam, α 0.004 falling linearly to 0,
// batches of 16), one epoch, scored on every test image after it.
template <class Options>
Options run_options(int train_rows) {
  const CnnTrainOptions recipe;
  Options o;
  o.optimizer = recipe.optimizer;
  o.learning_rate = recipe.learning_rate;
  o.lr_decay = recipe.lr_decay;
  o.lr_schedule = recipe.lr_schedule;
  o.batch_size = recipe.batch_size;
  o.epochs = 1;
  o.seed = 1;
  o.evaluate_initial = false;
  o.train_eval_rows = std::min(1000, train_rows);
  o.curve_every = 0;
  return o;
}

void start_run(WhyExperiment& e, const DataState& data) {
  const bool permuted = permuted_run(e.run);
  const RowMatrixXf& X = permuted ? e.train_permuted : e.train_plain;
  const RowMatrixXf& T = permuted ? e.test_permuted : e.test_plain;
  const auto labels = std::span<const uint8_t>(data.train.labels).first(size_t(X.rows()));
  if (cnn_run(e.run)) {
    e.cnn_trainer = std::make_unique<CnnTrainer>(default_cnn_shape(), X, labels,
                                                 run_options<CnnTrainOptions>(int(X.rows())), &T, data.test.labels);
  } else {
    const MlpShape shape{kPixels, {kHidden}, 10, Activation::Relu};
    e.mlp_trainer = std::make_unique<MlpTrainer>(shape, X, labels, run_options<MlpTrainOptions>(int(X.rows())), &T,
                                                 data.test.labels);
  }
}

MinibatchTrainer* current_trainer(WhyExperiment& e) {
  if (e.cnn_trainer) return e.cnn_trainer.get();
  return e.mlp_trainer.get();
}

// The finished run's accuracy; the plain-pixel nets become the ones the sweeps score with.
void finish_run(ConvWhyState& w) {
  WhyExperiment& e = w.experiment;
  const MinibatchTrainer& tr = *current_trainer(e);
  e.accuracy[size_t(e.run)] = tr.history().empty() ? -1.0 : tr.history().back().validation.accuracy;
  if (e.run == int(WhyRun::MlpPlain)) {
    w.nets.mlp = std::make_unique<Mlp>(e.mlp_trainer->mlp());
    ++w.nets.version;
  }
  if (e.run == int(WhyRun::CnnPlain) && w.nets.cnn_source != "train tab") {
    w.nets.cnn = std::make_unique<Cnn>(e.cnn_trainer->cnn());
    w.nets.cnn_source = "experiment";
    ++w.nets.version;
  }
  e.mlp_trainer.reset();
  e.cnn_trainer.reset();
  ++e.run;
}

void step_experiment(ConvWhyState& w, LabContext& ctx, double budget_ms) {
  WhyExperiment& e = w.experiment;
  const DataState& data = ctx.data;
  if ((e.preparing() || e.training()) && e.data_generation != data.generation) {
    reset_experiment(e);
    e.error = "the data changed (the full set arrived): press Run to start again";
  }
  if (e.requested && data.ready()) {
    try {
      start_preparing(e, w.settings, data);
    } catch (const Error& err) {
      e.error = err.what();
    }
  }
  e.requested = false;
  const auto t0 = Clock::now();
  if (e.preparing()) {
    const int total = int(e.train_plain.rows() + e.test_plain.rows());
    while (e.prepared < total && ms_since(t0) < budget_ms)
      for (int end = std::min(total, e.prepared + kPrepareBlock); e.prepared < end; ++e.prepared)
        prepare_row(e, data, e.prepared);
    ctx.keep_awake();
    ctx.activity = "Why convolution: preparing the images";
    if (e.prepared < total) return;
    e.prepared = -1;
    e.run = 0;
  }
  if (!e.training()) return;
  try {
    if (!current_trainer(e)) start_run(e, data);
    MinibatchTrainer& tr = *current_trainer(e);
    tr.step_ms(std::max(1.0, budget_ms - ms_since(t0)));
    e.seconds[size_t(e.run)] += ms_since(t0) / 1000.0;
    if (!tr.failure().empty()) throw Error(tr.failure());
    if (tr.done()) finish_run(w);
  } catch (const Error& err) {
    e.error = err.what();
    reset_experiment(e);
    return;
  }
  if (e.run == kWhyRuns) free_images(e);
  ctx.keep_awake();
  ctx.activity = std::string("Why convolution: training the ") + (e.run < kWhyRuns ? kRunNames[e.run] : "nets");
}

// The Train tab's finished CNN, when there is one, replaces the experiment's (it saw more images).
void take_trained_cnn(WhyNets& nets, const Cnn* trained) {
  if (!trained) return;
  if (nets.cnn_source == "train tab" && nets.cnn->params == trained->params) return;
  nets.cnn = std::make_unique<Cnn>(*trained);
  nets.cnn_source = "train tab";
  ++nets.version;
}

// [SECTION] the view ------------------------------------------------------------------------------

void upload_digit(Texture& texture, const std::vector<float>& values, int width, int height, Host& host) {
  std::vector<uint32_t> rgba(values.size());
  for (size_t k = 0; k < values.size(); ++k)
    rgba[k] = ink_rgba(uint8_t(std::lround(std::clamp(values[k], 0.0f, 1.0f) * 255.0f)));
  host.update_texture(texture, rgba.data(), width, height);
}

// The digit (784) in [0, 1]: the drawing after MNIST's preprocessing, or the test image.
bool load_digit(const ConvWhyState& w, const DataState& data, std::vector<float>& digit) {
  std::vector<uint8_t> bytes;
  if (w.drawn) {
    if (canvas_empty(w.canvas)) return false;
    bytes = preprocess_like_mnist(w.canvas.ink, w.canvas.size, w.canvas.size);
  } else {
    if (!data.ready() || data.test.empty()) return false;
    const auto px = data.test.image(std::clamp(w.settings.image_index, 0, data.test.count - 1));
    bytes.assign(px.begin(), px.end());
  }
  digit.resize(bytes.size());
  for (size_t k = 0; k < bytes.size(); ++k) digit[k] = float(bytes[k]) / 255.0f;
  return true;
}

// Shift by (dx, dy), then rotate: one image (H·W), or each of C maps (C·H·W).
std::vector<float> move_maps(std::span<const float> maps, int channels, const ConvWhySettings& o) {
  std::vector<float> shifted(maps.size()), out(maps.size());
  for (int c = 0; c < channels; ++c) {
    const auto in = maps.subspan(size_t(c) * kPixels, kPixels);
    const std::span<float> mid(shifted.data() + size_t(c) * kPixels, kPixels),
        dst(out.data() + size_t(c) * kPixels, kPixels);
    shift_image(in, mid, kSide, kSide, o.shift_x, o.shift_y);
    rotate_image(std::span<const float>(mid), dst, kSide, kSide, double(o.angle));
  }
  return out;
}

std::array<double, 10> probabilities_of(const RowMatrixXf& scores) {
  const Eigen::MatrixXf p = softmax_probabilities(scores);  // (1, 10)
  std::array<double, 10> out{};
  for (int c = 0; c < 10 && c < p.cols(); ++c) out[size_t(c)] = p(0, c);
  return out;
}

// p(class) of each row of `batch` under the net, (rows).
template <class Score>
std::vector<double> tracked_probability(const RowMatrixXf& batch, int tracked, Score&& score) {
  const Eigen::MatrixXf p = softmax_probabilities(score(batch));
  std::vector<double> out(size_t(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) out[size_t(i)] = p(i, tracked);
  return out;
}

// The first conv layer of the moved digit, and how far it is from the digit's own maps moved
// alike: over the cells where the move keeps the whole image (a mask of ones moved stays 1).
void compute_maps(WhyView& v, const Cnn& cnn, const ConvWhySettings& o, Host& host) {
  CnnActivations a;
  ConvWorkspace ws;
  const Eigen::Map<const RowMatrixXf> moved(v.moved.data(), 1, kPixels), digit(v.digit.data(), 1, kPixels);
  cnn_forward(cnn, moved, a, ws);
  const RowMatrixXf moved_maps = a.outputs.front();  // (1, F·784)
  const int F = cnn.plan.front().out_channels;
  v.cnn_probs = probabilities_of(a.scores());
  cnn_forward(cnn, digit, a, ws);
  const RowMatrixXf& own = a.outputs.front();
  const std::vector<float> own_moved = move_maps(std::span<const float>(own.data(), size_t(own.size())), F, o);
  const std::vector<float> ones(kPixels, 1.0f);
  const std::vector<float> mask = move_maps(ones, 1, o);
  double worst = 0;
  for (int c = 0; c < F; ++c)
    for (int k = 0; k < kPixels; ++k)
      if (mask[size_t(k)] > 0.999f)
        worst = std::max(worst, double(std::abs(moved_maps(0, c * kPixels + k) - own_moved[size_t(c * kPixels + k)])));
  v.map_mismatch = worst / std::max(1e-6, double(own.cwiseAbs().maxCoeff()));
  upload_feature_maps(v.maps, moved_maps.data(), F, kSide, kSide, host);
}

void compute_sweeps(WhyView& v, const WhyNets& nets) {
  v.angles.clear(), v.shifts.clear();
  for (int a = -kMaxWhyAngle; a <= kMaxWhyAngle; a += 5) v.angles.push_back(a);
  std::vector<int> dx, dy;
  for (int s = -kMaxWhyShift; s <= kMaxWhyShift; ++s) v.shifts.push_back(s), dx.push_back(s), dy.push_back(0);
  const RowMatrixXf rotated = rotation_sweep(v.digit, kSide, kSide, v.angles);  // (37, 784)
  const RowMatrixXf shifted = shift_sweep(v.digit, kSide, kSide, dx, dy);       // (17, 784)
  v.cnn_by_angle.clear(), v.cnn_by_shift.clear(), v.mlp_by_angle.clear(), v.mlp_by_shift.clear();
  if (v.tracked_class < 0) return;
  if (nets.cnn) {
    const auto score = [&](const RowMatrixXf& X) { return cnn_scores(*nets.cnn, X); };
    v.cnn_by_angle = tracked_probability(rotated, v.tracked_class, score);
    v.cnn_by_shift = tracked_probability(shifted, v.tracked_class, score);
  }
  if (nets.mlp) {
    const auto score = [&](const RowMatrixXf& X) { return mlp_scores(*nets.mlp, X); };
    v.mlp_by_angle = tracked_probability(rotated, v.tracked_class, score);
    v.mlp_by_shift = tracked_probability(shifted, v.tracked_class, score);
  }
}

int argmax_of(const std::array<double, 10>& p) { return int(std::max_element(p.begin(), p.end()) - p.begin()); }

void update_view(ConvWhyState& w, LabContext& ctx) {
  WhyView& v = w.view;
  const ConvWhySettings& o = w.settings;
  const WhyKey key{o, w.drawn, w.drawn ? w.canvas.version : -1, ctx.data.generation, w.nets.version};
  if (key == v.key) return;
  WhyKey unmoved = key, was = v.key;
  unmoved.settings.shift_x = unmoved.settings.shift_y = unmoved.settings.angle = 0;
  was.settings.shift_x = was.settings.shift_y = was.settings.angle = 0;
  const bool sweeps_stale = !(unmoved == was) || !v.has_digit;
  v.key = key;
  v.has_digit = load_digit(w, ctx.data, v.digit);
  if (!v.has_digit) return;
  v.moved = move_maps(v.digit, 1, o);
  v.permuted.assign(size_t(kPixels), 0.0f);
  permute_pixels(make_pixel_permutation(kPixels, uint64_t(o.permutation_seed)), v.digit, v.permuted);
  upload_digit(v.digit_texture, v.digit, kSide, kSide, ctx.host);
  upload_digit(v.moved_texture, v.moved, kSide, kSide, ctx.host);
  upload_digit(v.permuted_texture, v.permuted, kSide, kSide, ctx.host);
  v.cnn_probs.fill(0), v.mlp_probs.fill(0);
  v.map_mismatch = -1;
  if (w.nets.cnn) compute_maps(v, *w.nets.cnn, o, ctx.host);
  if (w.nets.mlp)
    v.mlp_probs = probabilities_of(mlp_scores(*w.nets.mlp, Eigen::Map<const RowMatrixXf>(v.moved.data(), 1, kPixels)));
  if (!sweeps_stale) return;
  // The class the plots follow: the image's label, or what the CNN (else the MLP) sees in a drawing.
  v.tracked_class = -1;
  if (!w.drawn) {
    v.tracked_class = ctx.data.test.labels[size_t(o.image_index)];  // load_digit found the image
  } else if (w.nets.cnn || w.nets.mlp) {
    const Eigen::Map<const RowMatrixXf> digit(v.digit.data(), 1, kPixels);
    v.tracked_class = int(w.nets.cnn ? cnn_predict(*w.nets.cnn, digit)[0] : mlp_predict(*w.nets.mlp, digit)[0]);
  }
  compute_sweeps(v, w.nets);
}

}  // namespace

void update_conv_why(ConvWhyState& w, LabContext& ctx, const Cnn* trained, double budget_ms, bool shown) {
  ConvWhySettings& o = w.settings;
  o.train_images = std::clamp(o.train_images, 1000, kMaxWhyImages);
  o.shift_x = std::clamp(o.shift_x, -kMaxWhyShift, kMaxWhyShift);
  o.shift_y = std::clamp(o.shift_y, -kMaxWhyShift, kMaxWhyShift);
  o.angle = std::clamp(o.angle, -kMaxWhyAngle, kMaxWhyAngle);
  if (!ctx.data.test.empty()) o.image_index = std::clamp(o.image_index, 0, ctx.data.test.count - 1);
  step_experiment(w, ctx, budget_ms);
  take_trained_cnn(w.nets, trained);
  if (shown) update_view(w, ctx);
}

namespace {

// [SECTION] drawing: flattening ---------------------------------------------------------------------

constexpr float kDigitPx = 5;  // CSS px per pixel of the 28 × 28 images

// The image with one pixel outlined; hovering picks the pixel. Returns the hovered pixel or -1.
int digit_with_pixel(const Texture& texture, int pixel, ImU32 color) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(texture.id, ImVec2(kDigitPx * kSide, kDigitPx * kSide));
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 p(origin.x + kDigitPx * float(pixel % kSide), origin.y + kDigitPx * float(pixel / kSide));
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + kDigitPx + 1, p.y + kDigitPx + 1), color,
                                      0, 0, 2.0f);
  if (!hovered) return -1;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const int r = std::clamp(int((m.y - origin.y) / kDigitPx), 0, kSide - 1);
  const int c = std::clamp(int((m.x - origin.x) / kDigitPx), 0, kSide - 1);
  return r * kSide + c;
}

// Entries k − 28 … k + 28 of the 784-vector as cells, k and its four neighbours in the image marked.
void draw_vector_window(const std::vector<float>& digit, int k) {
  const int first = std::max(0, k - kSide), last = std::min(kPixels - 1, k + kSide);
  const float avail = ImGui::GetContentRegionAvail().x;
  const float cell = std::clamp(avail / float(last - first + 1), 2.0f, 7.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = 22;
  for (int i = first; i <= last; ++i) {
    const float x = origin.x + cell * float(i - first);
    const uint32_t rgba = ink_rgba(uint8_t(std::lround(std::clamp(digit[size_t(i)], 0.0f, 1.0f) * 255)));
    dl->AddRectFilled(ImVec2(x, origin.y), ImVec2(x + cell, origin.y + h), rgba);
    const bool self = i == k, below_above = i == k - kSide || i == k + kSide, beside = i == k - 1 || i == k + 1;
    if (self || below_above || beside)
      dl->AddRect(ImVec2(x, origin.y - 2), ImVec2(x + cell, origin.y + h + 2),
                  self ? IM_COL32(230, 140, 0, 255) : kAccentColor, 0, 0, 2.0f);
  }
  dl->AddRect(origin, ImVec2(origin.x + cell * float(last - first + 1), origin.y + h), kMutedTextColor);
  // Labels under the marked cells: "above" and "below" at the ends, the pixel in the middle.
  const float label_y = origin.y + h + 4;
  const auto label = [&](int i, const char* text, float align) {
    const float w = ImGui::CalcTextSize(text).x;
    const float x = origin.x + cell * (float(i - first) + 0.5f) - align * w;
    dl->AddText(ImVec2(std::max(origin.x, x), label_y), kMutedTextColor, text);
  };
  if (k - kSide >= first) label(k - kSide, "above (k − 28)", 0.0f);
  label(k, "k", 0.5f);
  if (k + kSide <= last) label(k + kSide, "below (k + 28)", 1.0f);
  ImGui::Dummy(ImVec2(cell * float(last - first + 1), h + 6 + ImGui::GetTextLineHeight()));
}

void draw_flattening_views(ConvWhyState& w) {
  WhyView& v = w.view;
  const int k = v.vector_pixel;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("The digit (28 × 28)");
  const int hovered = digit_with_pixel(v.digit_texture, k, IM_COL32(230, 140, 0, 255));
  if (hovered >= 0) v.vector_pixel = hovered;
  ImGui::EndGroup();
  SameLineIfFits(kDigitPx * kSide + 8, 16);
  ImGui::BeginGroup();
  ImGui::Text("Its pixels permuted (seed %d)", w.settings.permutation_seed);
  ImGui::Image(v.permuted_texture.id, ImVec2(kDigitPx * kSide, kDigitPx * kSide));
  ImGui::EndGroup();
  ImGui::Text("As a 784-vector, entries %d … %d around pixel (%d, %d) = entry 28·%d + %d = %d:", std::max(0, k - kSide),
              std::min(kPixels - 1, k + kSide), k / kSide, k % kSide, k / kSide, k % kSide, k);
  draw_vector_window(v.digit, k);
  ImGui::PushTextWrapPos(0);
  MutedText(
      "Orange: the pixel; blue: its neighbours. The ones left and right sit next to it, but the ones above and "
      "below are 28 entries away. A dense layer weighs all 784 entries alike and cannot tell: shuffle them (the "
      "right image) and it learns just as well. A filter slides over neighbouring pixels, so the shuffle breaks it. "
      "Hover the digit to pick another pixel.");
  ImGui::PopTextWrapPos();
}

std::string accuracy_cell(const WhyExperiment& e, int run) {
  if (e.accuracy[size_t(run)] >= 0) return fixed(100 * e.accuracy[size_t(run)], 1) + " %";
  if (e.run == run) {
    const MinibatchTrainer* tr = e.cnn_trainer ? static_cast<const MinibatchTrainer*>(e.cnn_trainer.get())
                                               : static_cast<const MinibatchTrainer*>(e.mlp_trainer.get());
    return "training " + std::to_string(tr ? int(100 * tr->progress()) : 0) + " %";
  }
  return "—";
}

void draw_results_table(const WhyExperiment& e) {
  if (!ImGui::BeginTable("why_results", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) return;
  // Widths of the longest text in each column: the region's text wrapping would fold them.
  const auto column = [](const char* header, const char* widest) {
    ImGui::TableSetupColumn(header, ImGuiTableColumnFlags_WidthFixed,
                            std::max(ImGui::CalcTextSize(header).x, ImGui::CalcTextSize(widest).x));
  };
  column("test accuracy", "MLP 784-100-10 (79,510 weights)");
  column("pixels as they are", "training 100 %");
  column("pixels permuted", "training 100 %");
  column("change", "−10.0 points");
  ImGui::TableHeadersRow();
  for (int net = 0; net < 2; ++net) {
    const int plain = 2 * net, permuted = 2 * net + 1;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(net ? "CNN (11,274 weights)" : "MLP 784-100-10 (79,510 weights)");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(accuracy_cell(e, plain).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(accuracy_cell(e, permuted).c_str());
    ImGui::TableNextColumn();
    if (e.accuracy[size_t(plain)] >= 0 && e.accuracy[size_t(permuted)] >= 0) {
      const double change = 100 * (e.accuracy[size_t(permuted)] - e.accuracy[size_t(plain)]);
      ImGui::Text("%s%s points", change >= 0 ? "+" : "−", fixed(std::abs(change), 1).c_str());
    } else {
      ImGui::TextUnformatted("—");
    }
  }
  ImGui::EndTable();
}

void draw_experiment(ConvWhyState& w, LabContext& ctx) {
  WhyExperiment& e = w.experiment;
  ConvWhySettings& o = w.settings;
  const bool busy = e.preparing() || e.training();
  ImGui::BeginDisabled(busy || ctx.locked);
  if (ctx.shown("settings")) {
    ImGui::SetNextItemWidth(FitWidth(180, "training images##why"));
    ImGui::SliderInt("training images##why", &o.train_images, 1000, kMaxWhyImages, "%d", ImGuiSliderFlags_Logarithmic);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(FitWidth(110, "permutation seed"));
    ImGui::InputInt("permutation seed", &o.permutation_seed);
    o.permutation_seed = std::clamp(o.permutation_seed, 1, 999999);
  }
  if (ShortcutButton("Run the experiment", kPlayPauseKey)) e.requested = true;
  ctx.probes.item("why_run");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (e.preparing()) {
    const int total = int(e.train_plain.rows() + e.test_plain.rows());
    ImGui::Text("preparing %d / %d images", e.prepared, total);
  } else if (e.training()) {
    ImGui::Text("run %d of 4: %s", e.run + 1, kRunNames[e.run]);
  } else if (e.run == kWhyRuns) {
    double total = 0;
    for (double s : e.seconds) total += s;
    ImGui::Text("4 runs in %.1f s of compute", total);
  } else {
    MutedText("trains 4 nets, one after the other");
  }
  if (!e.error.empty()) ErrorText(e.error);
  draw_results_table(e);
  const int N = ctx.data.ready() ? experiment_rows(o, ctx.data) : 0;
  ImGui::PushTextWrapPos(0);
  MutedText(("Both nets alike: Adam, α " + fixed(CnnTrainOptions{}.learning_rate, 3) +
             (CnnTrainOptions{}.lr_schedule == LrSchedule::Linear ? " falling to 0" : "") + ", batches of " +
             std::to_string(CnnTrainOptions{}.batch_size) + ", one epoch over the same " + thousands(N) +
             " training images, then the " + thousands(ctx.data.test.count) +
             " test images (permuted alike in the permuted runs). All 60,000 in the CLI: implay cnn train --data "
             "mnist --permute-pixels 1, and implay nn train --data mnist --permute-pixels 1.")
                .c_str());
  ImGui::PopTextWrapPos();
}

// [SECTION] drawing: shift and rotation ----------------------------------------------------------------

void draw_move_controls(ConvWhyState& w, LabContext& ctx) {
  ConvWhySettings& o = w.settings;
  ImGui::BeginDisabled(ctx.locked);
  int source = w.drawn ? 1 : 0;
  if (ImGui::RadioButton("an MNIST test image##why", &source, 0)) w.drawn = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("my drawing##why", &source, 1)) w.drawn = true;
  if (!w.drawn && !ctx.data.test.empty()) {
    ImGui::SetNextItemWidth(FitWidth(180, "test image##why"));
    ImGui::SliderInt("test image##why", &o.image_index, 0, ctx.data.test.count - 1);
  }
  ImGui::SetNextItemWidth(FitWidth(180, "shift right"));
  ImGui::SliderInt("shift right", &o.shift_x, -kMaxWhyShift, kMaxWhyShift, "%d px");
  ctx.probes.item("why_shift_x");
  ImGui::SetNextItemWidth(FitWidth(180, "shift down"));
  ImGui::SliderInt("shift down", &o.shift_y, -kMaxWhyShift, kMaxWhyShift, "%d px");
  ImGui::SetNextItemWidth(FitWidth(180, "rotate"));
  ImGui::SliderInt("rotate", &o.angle, -kMaxWhyAngle, kMaxWhyAngle, "%d°");
  ctx.probes.item("why_angle");
  ImGui::SameLine();
  HelpMarker("Counter-clockwise, about the image's centre (bilinear, zeros outside).");
  if (ShortcutButton("Back to the original##why", kResetKey)) o.shift_x = o.shift_y = o.angle = 0;
  ImGui::EndDisabled();
  if (w.drawn) {
    DrawCanvas("why_canvas", w.canvas, 168, 10.0f, false, ctx.host);
    ctx.probes.item("why_canvas");
    if (ShortcutButton("Clear##why", kClearKey)) canvas_clear(w.canvas);
  }
}

std::string prediction_text(const char* net, const std::array<double, 10>& p, int tracked) {
  const int best = argmax_of(p);
  std::string s = std::string(net) + ": " + std::to_string(best) + " (" + fixed(100 * p[size_t(best)], 1) + " %)";
  if (tracked >= 0 && tracked != best)
    s += ", " + std::to_string(tracked) + ": " + fixed(100 * p[size_t(tracked)], 1) + " %";
  return s;
}

void draw_moved_digit(ConvWhyState& w) {
  const WhyView& v = w.view;
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Moved digit");
  ImGui::Image(v.moved_texture.id, ImVec2(kDigitPx * kSide, kDigitPx * kSide));
  if (w.nets.cnn) ImGui::TextUnformatted(prediction_text("CNN", v.cnn_probs, v.tracked_class).c_str());
  if (w.nets.mlp) ImGui::TextUnformatted(prediction_text("MLP", v.mlp_probs, v.tracked_class).c_str());
  ImGui::EndGroup();
}

void draw_maps(const ConvWhyState& w) {
  const WhyView& v = w.view;
  ImGui::BeginGroup();
  ImGui::Text("The CNN's first-layer maps of it (%s)",
              w.nets.cnn_source == "train tab" ? "the Train tab's net" : "the experiment's net");
  const float px = 2;
  for (int c = 0; c < v.maps.channels; ++c) {
    if (c) SameLineIfFits(px * kSide, 4);
    FeatureMapTile(v.maps, c, px);
  }
  if (v.map_mismatch >= 0) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 4 * (px * kSide + 4) + 60);
    const std::string pct = fixed(100 * v.map_mismatch, 1);
    const bool rotated = w.settings.angle != 0;
    MutedText(("Against the original's maps moved the same way: at most " + pct + " % of their largest value apart. " +
               (rotated ? "A rotation does not just turn the maps: the filters do not turn with the digit."
                        : "A shift moves the maps and changes nothing else (ink pushed off the edge aside)."))
                  .c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
}

void draw_sweep_plot(const char* id, const char* x_label, const std::vector<double>& xs, const std::vector<double>& cnn,
                     const std::vector<double>& mlp, double now, float width) {
  Plot plot(id, ImVec2(width, 150), {xs.front(), xs.back()}, {0, 1}, x_label, "p(class)");
  if (!cnn.empty()) plot.line(xs, cnn, class_color(1), 2.0f, "CNN");
  if (!mlp.empty()) plot.line(xs, mlp, class_color(0), 2.0f, "MLP");
  plot.vline(now, kMutedTextColor);
  plot.end();
}

void draw_sweeps(const ConvWhyState& w, LabContext& ctx) {
  const WhyView& v = w.view;
  if (v.angles.empty() || v.tracked_class < 0 || (v.cnn_by_angle.empty() && v.mlp_by_angle.empty())) return;
  const float width = std::clamp(ImGui::GetContentRegionAvail().x * 0.5f - 12, 220.0f, 360.0f);
  ImGui::Text("Probability of %d as the digit turns, and as it slides right (the sliders move the grey line):",
              v.tracked_class);
  ImGui::BeginGroup();
  draw_sweep_plot("why_angle_plot", "angle (degrees)", v.angles, v.cnn_by_angle, v.mlp_by_angle, w.settings.angle,
                  width);
  ImGui::EndGroup();
  ctx.probes.item("why_angle_plot");
  SameLineIfFits(width, 16);
  ImGui::BeginGroup();
  draw_sweep_plot("why_shift_plot", "shift right (px)", v.shifts, v.cnn_by_shift, v.mlp_by_shift, w.settings.shift_x,
                  width);
  ImGui::EndGroup();
}

void draw_moving(ConvWhyState& w, LabContext& ctx) {
  ImGui::BeginGroup();
  draw_move_controls(w, ctx);
  ImGui::EndGroup();
  if (!w.view.has_digit) {
    MutedText(w.drawn ? "Draw a digit to move it." : "The MNIST images are loading…");
    return;
  }
  SameLineIfFits(kDigitPx * kSide + 8, 16);
  draw_moved_digit(w);
  if (!w.nets.cnn && !w.nets.mlp) {
    MutedText("Run the experiment above (or train the CNN in the Train tab) to see the nets' answers and maps.");
    return;
  }
  if (w.nets.cnn) {
    SameLineIfFits(4 * (2 * kSide + 4) + 60, 16);
    draw_maps(w);
  }
  draw_sweeps(w, ctx);
}

}  // namespace

void draw_conv_why_tab(ConvWhyState& w, LabContext& ctx) {
  if (!draw_data_needed(ctx)) return;
  SectionTitle("1 · Flattening loses position");
  if (w.view.has_digit) draw_flattening_views(w);
  draw_experiment(w, ctx);
  SectionTitle("2 · A shift moves the maps; a rotation changes them");
  draw_moving(w, ctx);
}

nlohmann::json conv_why_json(const ConvWhyState& w) {
  const WhyExperiment& e = w.experiment;
  const WhyView& v = w.view;
  const int cnn_pred = v.map_mismatch >= 0 ? argmax_of(v.cnn_probs) : -1;
  return {{"preparing", e.preparing()},
          {"run", e.run},
          {"accuracy", e.accuracy},
          {"seconds", e.seconds},
          {"error", e.error},
          {"cnn_source", w.nets.cnn_source},
          {"has_mlp", bool(w.nets.mlp)},
          {"has_digit", v.has_digit},
          {"tracked_class", v.tracked_class},
          {"cnn_prediction", cnn_pred},
          {"cnn_probability", v.tracked_class >= 0 && cnn_pred >= 0 ? v.cnn_probs[size_t(v.tracked_class)] : -1.0},
          {"maps", v.maps.channels},
          {"map_mismatch", v.map_mismatch},
          {"angles", v.angles},
          {"cnn_by_angle", v.cnn_by_angle},
          {"mlp_by_angle", v.mlp_by_angle},
          {"shifts", v.shifts},
          {"cnn_by_shift", v.cnn_by_shift},
          {"mlp_by_shift", v.mlp_by_shift}};
}

}  // namespace implay::app
