// conv_lab.cpp — the Convolution lab (conv_lab.hpp). [SECTION] settings & URL · sliding filter
// (update, grids, formula, products) · filters on a digit (update, maps, pooling) · the lab.
// Every output value, window and pooled cell comes from core/conv/; this file lays them out.
#include "app/labs/conv_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/format.hpp"
#include "app/lab.hpp"
#include "app/widgets/colormap.hpp"
#include "app/widgets/data_needed.hpp"
#include "app/widgets/digits.hpp"
#include "app/widgets/help.hpp"
#include "app/widgets/lab_tabs.hpp"
#include "app/widgets/layout.hpp"
#include "app/widgets/shortcut_button.hpp"
#include "core/conv/pool.hpp"
#include "core/data/digit_preprocess.hpp"
#include "core/error.hpp"

namespace implay::app {

std::array<int, kMaxSlideSide * kMaxSlideSide> ConvSlideSettings::default_slide_image() {
  std::array<int, kMaxSlideSide * kMaxSlideSide> image{};
  for (int r = 1; r <= 4; ++r)
    for (int c = 2; c <= 4; ++c) image[size_t(r * kMaxSlideSide + c)] = 1;  // a bright 4 × 3 block
  return image;
}

std::array<int, kMaxSlideFilters * kMaxSlideKernel * kMaxSlideKernel> ConvSlideSettings::default_slide_weights() {
  std::array<int, kMaxSlideFilters * kMaxSlideKernel * kMaxSlideKernel> w{};
  const auto set = [&](int f, int u, int v, int value) {
    w[size_t((f * kMaxSlideKernel + u) * kMaxSlideKernel + v)] = value;
  };
  set(0, 0, 0, -1), set(0, 0, 1, 1), set(0, 1, 0, -1), set(0, 1, 1, 1);  // dark left, bright right
  set(1, 0, 0, -1), set(1, 0, 1, -1), set(1, 1, 0, 1), set(1, 1, 1, 1);  // dark above, bright below
  set(2, 0, 0, 1), set(2, 1, 1, -1);                                     // a diagonal difference
  set(3, 0, 0, 1), set(3, 0, 1, 1), set(3, 1, 0, 1), set(3, 1, 1, 1);    // the sum of the window
  return w;
}

namespace {

// [SECTION] settings & URL ------------------------------------------------------------------

constexpr UrlWord<ConvTab> kTabWords[] = {
    {ConvTab::Slide, "slide"}, {ConvTab::Digit, "digit"}, {ConvTab::Train, "train"}, {ConvTab::Why, "why"}};

constexpr UrlWord<DigitFilter> kFilterWords[] = {{DigitFilter::EdgeHorizontal, "edge_horizontal"},
                                                 {DigitFilter::EdgeVertical, "edge_vertical"},
                                                 {DigitFilter::EdgeDiagonal, "edge_diagonal"},
                                                 {DigitFilter::EdgeAntiDiagonal, "edge_antidiagonal"},
                                                 {DigitFilter::SobelX, "sobel_x"},
                                                 {DigitFilter::SobelY, "sobel_y"},
                                                 {DigitFilter::BoxBlur, "box_blur"},
                                                 {DigitFilter::Gaussian, "gaussian"},
                                                 {DigitFilter::Sharpen, "sharpen"},
                                                 {DigitFilter::Laplacian, "laplacian"},
                                                 {DigitFilter::Patch, "patch"},
                                                 {DigitFilter::Painted, "painted"}};

constexpr EnumChoice<DigitFilter> kFilterChoices[] = {{DigitFilter::EdgeHorizontal, "horizontal edge (dark above)"},
                                                      {DigitFilter::EdgeVertical, "vertical edge (dark left)"},
                                                      {DigitFilter::EdgeDiagonal, "diagonal edge ↘"},
                                                      {DigitFilter::EdgeAntiDiagonal, "diagonal edge ↗"},
                                                      {DigitFilter::SobelX, "Sobel x"},
                                                      {DigitFilter::SobelY, "Sobel y"},
                                                      {DigitFilter::BoxBlur, "box blur"},
                                                      {DigitFilter::Gaussian, "Gaussian blur"},
                                                      {DigitFilter::Sharpen, "sharpen"},
                                                      {DigitFilter::Laplacian, "Laplacian"},
                                                      {DigitFilter::Patch, "a patch of the digit"},
                                                      {DigitFilter::Painted, "my own 3 × 3 kernel"}};

// The H × W image (or F × kh × kw weights) as the address spells it: "0,0,1,…" row-major.
std::string values_text(const ConvSlideSettings& o, bool weights) {
  std::string out;
  const auto add = [&](int v) { out += (out.empty() ? "" : ",") + std::to_string(v); };
  if (!weights) {
    for (int r = 0; r < o.height; ++r)
      for (int c = 0; c < o.width; ++c) add(o.pixel(r, c));
  } else {
    for (int f = 0; f < o.filters; ++f)
      for (int u = 0; u < o.kh; ++u)
        for (int v = 0; v < o.kw; ++v) add(o.weight(f, u, v));
  }
  return out;
}

// A painted kernel as the address spells it: 9 whole numbers, row by row.
std::string painted_text(const PaintedKernel& k) {
  std::string out;
  for (int v : k) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

void set_painted_text(PaintedKernel& k, const std::string& text) {
  const std::vector<long long> values = parse_url_int_list(text, -kMaxPaintedValue, kMaxPaintedValue, "weight");
  if (values.size() != k.size())
    throw Error(std::to_string(values.size()) + " values; a 3 × 3 kernel needs " + std::to_string(k.size()));
  for (size_t i = 0; i < k.size(); ++i) k[i] = int(values[i]);
}

// Reads what values_text wrote; the sizes come first in the table, so they are known here.
void set_values_text(ConvSlideSettings& o, const std::string& text, bool weights) {
  const std::vector<long long> values =
      parse_url_int_list(text, -kMaxSlideValue, kMaxSlideValue, weights ? "weight" : "pixel value");
  const size_t want = weights ? size_t(o.filters * o.kh * o.kw) : size_t(o.height * o.width);
  if (values.size() != want)
    throw Error(std::to_string(values.size()) + " values; " + (weights ? "F·kh·kw" : "H·W") + " = " +
                std::to_string(want) + " are needed");
  size_t k = 0;
  if (!weights) {
    for (int r = 0; r < o.height; ++r)
      for (int c = 0; c < o.width; ++c) o.pixel(r, c) = int(values[k++]);
  } else {
    for (int f = 0; f < o.filters; ++f)
      for (int u = 0; u < o.kh; ++u)
        for (int v = 0; v < o.kw; ++v) o.weight(f, u, v) = int(values[k++]);
  }
}

}  // namespace

const UrlTable<ConvLabState>& conv_url_table() {
  using S = ConvLabState;
  static const UrlTable<S> table = {
      {url_tab<S, kTabWords>(
           "the tab: the sliding filter, filters on a digit, train a CNN, why convolution",
           [](auto& s) -> auto& { return s.tab; }),
       url_int<S>(
           "h", 1, kMaxSlideSide, "sliding filter: image rows H",
           [](auto& s) -> auto& { return s.slide.settings.height; }),
       url_int<S>(
           "w", 1, kMaxSlideSide, "sliding filter: image columns W",
           [](auto& s) -> auto& { return s.slide.settings.width; }),
       url_int<S>(
           "filters", 1, kMaxSlideFilters, "sliding filter: filters F",
           [](auto& s) -> auto& { return s.slide.settings.filters; }),
       url_int<S>(
           "kh", 1, kMaxSlideKernel, "sliding filter: kernel rows kh",
           [](auto& s) -> auto& { return s.slide.settings.kh; }),
       url_int<S>(
           "kw", 1, kMaxSlideKernel, "sliding filter: kernel columns kw",
           [](auto& s) -> auto& { return s.slide.settings.kw; }),
       url_int<S>(
           "stride_rows", 1, 4, "sliding filter: stride along rows",
           [](auto& s) -> auto& { return s.slide.settings.sh; }),
       url_int<S>(
           "stride_cols", 1, 4, "sliding filter: stride along columns",
           [](auto& s) -> auto& { return s.slide.settings.sw; }),
       url_int<S>(
           "pad_rows", 0, 3, "sliding filter: zero padding above and below",
           [](auto& s) -> auto& { return s.slide.settings.ph; }),
       url_int<S>(
           "pad_cols", 0, 3, "sliding filter: zero padding left and right",
           [](auto& s) -> auto& { return s.slide.settings.pw; }),
       url_int<S>(
           "dil_rows", 1, 3, "sliding filter: dilation along rows",
           [](auto& s) -> auto& { return s.slide.settings.dh; }),
       url_int<S>(
           "dil_cols", 1, 3, "sliding filter: dilation along columns",
           [](auto& s) -> auto& { return s.slide.settings.dw; }),
       url_text<S>(
           "image", "H·W whole numbers −99…99, comma-separated, row by row", "sliding filter: the image's values",
           [](const S& s) { return values_text(s.slide.settings, false); },
           [](S& s, const std::string& v) { set_values_text(s.slide.settings, v, false); }),
       url_text<S>(
           "weights", "F·kh·kw whole numbers −99…99, filter by filter, row by row",
           "sliding filter: the filters' weights", [](const S& s) { return values_text(s.slide.settings, true); },
           [](S& s, const std::string& v) { set_values_text(s.slide.settings, v, true); }),
       url_bool<S>(
           "drawn", "filters on a digit: your drawing instead of an MNIST test image",
           [](auto& s) -> auto& { return s.digit.drawn; }),
       url_int<S>(
           "image_index", 0, 9999, "filters on a digit: the MNIST test image",
           [](auto& s) -> auto& { return s.digit.settings.mnist_index; }),
       url_enum<S, kFilterWords>(
           "filter1", "filters on a digit: the first filter",
           [](auto& s) -> auto& { return s.digit.settings.slots[0]; }),
       url_enum<S, kFilterWords>(
           "filter2", "filters on a digit: the second filter",
           [](auto& s) -> auto& { return s.digit.settings.slots[1]; }),
       url_enum<S, kFilterWords>(
           "filter3", "filters on a digit: the third filter",
           [](auto& s) -> auto& { return s.digit.settings.slots[2]; }),
       url_enum<S, kFilterWords>(
           "filter4", "filters on a digit: the fourth filter",
           [](auto& s) -> auto& { return s.digit.settings.slots[3]; }),
       url_int<S>(
           "patch_row", 0, 28 - kPatchSide, "filters on a digit: the patch's top row",
           [](auto& s) -> auto& { return s.digit.settings.patch_row; }),
       url_int<S>(
           "patch_col", 0, 28 - kPatchSide, "filters on a digit: the patch's left column",
           [](auto& s) -> auto& { return s.digit.settings.patch_col; }),
       url_text<S>(
           "painted1", "9 whole numbers −9…9, row by row", "filters on a digit: the first slot's own 3 × 3 kernel",
           [](const S& s) { return painted_text(s.digit.settings.painted[0]); },
           [](S& s, const std::string& v) { set_painted_text(s.digit.settings.painted[0], v); }),
       url_text<S>(
           "painted2", "9 whole numbers −9…9, row by row", "filters on a digit: the second slot's own 3 × 3 kernel",
           [](const S& s) { return painted_text(s.digit.settings.painted[1]); },
           [](S& s, const std::string& v) { set_painted_text(s.digit.settings.painted[1], v); }),
       url_text<S>(
           "painted3", "9 whole numbers −9…9, row by row", "filters on a digit: the third slot's own 3 × 3 kernel",
           [](const S& s) { return painted_text(s.digit.settings.painted[2]); },
           [](S& s, const std::string& v) { set_painted_text(s.digit.settings.painted[2], v); }),
       url_text<S>(
           "painted4", "9 whole numbers −9…9, row by row", "filters on a digit: the fourth slot's own 3 × 3 kernel",
           [](const S& s) { return painted_text(s.digit.settings.painted[3]); },
           [](S& s, const std::string& v) { set_painted_text(s.digit.settings.painted[3], v); }),
       url_bool<S>(
           "relu", "filters on a digit: ReLU after the convolution",
           [](auto& s) -> auto& { return s.digit.settings.relu; }),
       url_bool<S>(
           "pool", "filters on a digit: 2 × 2 max-pooling", [](auto& s) -> auto& { return s.digit.settings.pool; }),
       url_int<S>(
           "cnn_images", 1000, 60000, "train a CNN: at most this many training images",
           [](auto& s) -> auto& { return s.train.settings.train_images; }),
       url_float<S>(
           "cnn_lr", 1e-4, 0.05, "train a CNN: the learning rate α of Adam",
           [](auto& s) -> auto& { return s.train.settings.learning_rate; }),
       url_int<S>(
           "cnn_batch", 1, 256, "train a CNN: the minibatch size",
           [](auto& s) -> auto& { return s.train.settings.batch_size; }),
       url_int<S>(
           "cnn_epochs", 1, 10, "train a CNN: passes over the training images",
           [](auto& s) -> auto& { return s.train.settings.epochs; }),
       url_int<S>(
           "why_images", 1000, kMaxWhyImages, "why convolution: the experiment's training images",
           [](auto& s) -> auto& { return s.why.settings.train_images; }),
       url_int<S>(
           "perm_seed", 1, 999999, "why convolution: the seed of the pixel permutation",
           [](auto& s) -> auto& { return s.why.settings.permutation_seed; }),
       url_bool<S>(
           "why_drawn", "why convolution: move your drawing instead of an MNIST test image",
           [](auto& s) -> auto& { return s.why.drawn; }),
       url_int<S>(
           "why_image", 0, 9999, "why convolution: the MNIST test image to move",
           [](auto& s) -> auto& { return s.why.settings.image_index; }),
       url_int<S>(
           "shift_x", -kMaxWhyShift, kMaxWhyShift, "why convolution: pixels the digit moves right",
           [](auto& s) -> auto& { return s.why.settings.shift_x; }),
       url_int<S>(
           "shift_y", -kMaxWhyShift, kMaxWhyShift, "why convolution: pixels the digit moves down",
           [](auto& s) -> auto& { return s.why.settings.shift_y; }),
       url_int<S>(
           "angle", -kMaxWhyAngle, kMaxWhyAngle, "why convolution: degrees the digit turns counter-clockwise",
           [](auto& s) -> auto& { return s.why.settings.angle; })},
      {{"settings", "the settings column of each tab"},
       {"formula", "the shape formula"},
       {"curves", "the CNN's loss and accuracy curves"},
       {"summary", "the sentence under the lab's heading"}}};
  return table;
}

namespace {

// [SECTION] sliding filter: update ------------------------------------------------------------

// The whole-number image and filters as conv2d.hpp's matrices, through the reference loop (in
// double: every sum of whole numbers up to 99·99·25 is exact).
void compute_slide(ConvSlideState& sl) {
  const ConvSlideSettings& o = sl.settings;
  sl.computed = o, sl.fresh = false;
  sl.error.clear();
  sl.valid = false;
  try {
    sl.geometry = conv_geometry(1, o.height, o.width, o.filters, o.params());
  } catch (const Error& e) {
    sl.error = e.what();
    sl.output.resize(0, 0);
    return;
  }
  RowMatrixXf X(1, o.height * o.width);  // (1, H·W)
  for (int r = 0; r < o.height; ++r)
    for (int c = 0; c < o.width; ++c) X(0, r * o.width + c) = float(o.pixel(r, c));
  RowMatrixXf W(o.filters, o.kh * o.kw);  // (F, kh·kw)
  for (int f = 0; f < o.filters; ++f)
    for (int u = 0; u < o.kh; ++u)
      for (int v = 0; v < o.kw; ++v) W(f, u * o.kw + v) = float(o.weight(f, u, v));
  const Eigen::VectorXf bias = Eigen::VectorXf::Zero(o.filters);
  reference_conv2d_forward(sl.geometry, X, W, bias, sl.output);
  sl.valid = true;
  sl.cell = std::clamp(sl.cell, 0, sl.geometry.out_cells() - 1);
  sl.filter = std::clamp(sl.filter, 0, o.filters - 1);
}

void update_slide(ConvSlideState& sl, LabContext& ctx) {
  ConvSlideSettings& o = sl.settings;
  o.sh = std::max(1, o.sh), o.sw = std::max(1, o.sw), o.dh = std::max(1, o.dh), o.dw = std::max(1, o.dw);
  sl.selected_row = std::clamp(sl.selected_row, 0, o.height - 1);
  sl.selected_col = std::clamp(sl.selected_col, 0, o.width - 1);
  sl.selected_filter = std::clamp(sl.selected_filter, 0, o.filters - 1);
  sl.selected_u = std::clamp(sl.selected_u, 0, o.kh - 1), sl.selected_v = std::clamp(sl.selected_v, 0, o.kw - 1);
  if (sl.fresh || !(sl.computed == o)) compute_slide(sl);
  if (!sl.valid) sl.playing = false;
  if (!sl.playing) return;
  // The window moves every 0.6 s, row by row, filter after filter.
  ctx.keep_awake();
  if (ctx.clock.seconds < sl.next_move) return;
  sl.next_move = ctx.clock.seconds + 0.6;
  if (++sl.cell >= sl.geometry.out_cells()) sl.cell = 0, sl.filter = (sl.filter + 1) % o.filters;
}

// [SECTION] sliding filter: drawing -----------------------------------------------------------

// "5", "−3", "12.5": an output or weight as the grids print it (whole numbers stay whole).
std::string cell_text(double v) {
  char buf[32];
  if (v == std::floor(v) && std::abs(v) < 1e7)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// A grid of rows × cols square cells at `origin`, `px` wide each; value(r, c) fills it (scaled by
// `scale` on the diverging colours; padding cells grey); the text is drawn when it fits.
struct GridLook {
  float px = 24;
  float scale = 1;
};

void draw_cell(ImDrawList* dl, ImVec2 p, float px, const std::string& text, ImU32 fill) {
  dl->AddRectFilled(p, ImVec2(p.x + px, p.y + px), fill);
  dl->AddRect(p, ImVec2(p.x + px + 0.5f, p.y + px + 0.5f), IM_COL32(170, 176, 186, 255));
  const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
  if (ts.x <= px - 2) dl->AddText(ImVec2(p.x + (px - ts.x) / 2, p.y + (px - ts.y) / 2), kInkColor, text.c_str());
}

float slide_cell_px(int cells_across, float share) {
  const float avail = ImGui::GetContentRegionAvail().x * share;
  return std::clamp(std::floor(avail / float(std::max(1, cells_across))), 16.0f, 30.0f);
}

// The input with its zero padding around it; the current window's taps outlined. A click or
// drag paints (or selects the cell to type its value).
void draw_input_grid(ConvSlideState& sl, LabContext& ctx, float px) {
  ConvSlideSettings& o = sl.settings;
  const int rows = o.height + 2 * o.ph, cols = o.width + 2 * o.pw;
  ImGui::TextUnformatted(o.ph || o.pw ? "The image (H, W) with its zero padding (grey)" : "The image (H, W)");
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("slide_input", ImVec2(px * float(cols), px * float(rows)));
  ctx.probes.item("slide_input");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int max_abs = 1;
  for (int r = 0; r < o.height; ++r)
    for (int c = 0; c < o.width; ++c) max_abs = std::max(max_abs, std::abs(o.pixel(r, c)));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int ir = r - o.ph, ic = c - o.pw;
      const bool pad = ir < 0 || ic < 0 || ir >= o.height || ic >= o.width;
      const int v = pad ? 0 : o.pixel(ir, ic);
      const ImU32 fill = pad ? IM_COL32(228, 230, 234, 255) : diverging_rgba(float(v) / float(max_abs));
      draw_cell(dl, ImVec2(origin.x + px * float(c), origin.y + px * float(r)), px, std::to_string(v), fill);
    }
  // The window of the current output cell.
  if (sl.valid) {
    const int ow = sl.geometry.out_width;
    const ConvWindow win = conv_window(sl.geometry, sl.filter, sl.cell / ow, sl.cell % ow);
    for (const ConvTap& t : win.taps) {
      const ImVec2 p(origin.x + px * float(t.col + o.pw), origin.y + px * float(t.row + o.ph));
      dl->AddRect(p, ImVec2(p.x + px, p.y + px), kAccentColor, 0, 0, 3.0f);
    }
  }
  if (!sl.paint && o.height > 0) {
    const ImVec2 p(origin.x + px * float(sl.selected_col + o.pw), origin.y + px * float(sl.selected_row + o.ph));
    dl->AddRect(p, ImVec2(p.x + px, p.y + px), IM_COL32(230, 140, 0, 255), 0, 0, 2.5f);
  }
  if (ImGui::IsItemActive() && !ctx.locked) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int r = int(std::floor((m.y - origin.y) / px)) - o.ph, c = int(std::floor((m.x - origin.x) / px)) - o.pw;
    if (r >= 0 && c >= 0 && r < o.height && c < o.width) {
      sl.selected_row = r, sl.selected_col = c;
      if (sl.paint) o.pixel(r, c) = sl.paint_value;
    }
  }
}

// Filter f's kh × kw weights; a click selects one to type its value.
void draw_filter_grid(ConvSlideState& sl, LabContext& ctx, int f, float px) {
  ConvSlideSettings& o = sl.settings;
  ImGui::BeginGroup();
  ImGui::Text("filter %d", f + 1);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  char id[32];
  std::snprintf(id, sizeof id, "slide_filter%d", f);
  ImGui::InvisibleButton(id, ImVec2(px * float(o.kw), px * float(o.kh)));
  ctx.probes.item(id);
  int max_abs = 1;
  for (int u = 0; u < o.kh; ++u)
    for (int v = 0; v < o.kw; ++v) max_abs = std::max(max_abs, std::abs(o.weight(f, u, v)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int u = 0; u < o.kh; ++u)
    for (int v = 0; v < o.kw; ++v)
      draw_cell(dl, ImVec2(origin.x + px * float(v), origin.y + px * float(u)), px, std::to_string(o.weight(f, u, v)),
                diverging_rgba(float(o.weight(f, u, v)) / float(max_abs)));
  if (f == sl.selected_filter) {
    const ImVec2 p(origin.x + px * float(sl.selected_v), origin.y + px * float(sl.selected_u));
    dl->AddRect(p, ImVec2(p.x + px, p.y + px), IM_COL32(230, 140, 0, 255), 0, 0, 2.5f);
  }
  if (ImGui::IsItemActive()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    sl.selected_filter = f;
    sl.selected_u = std::clamp(int((m.y - origin.y) / px), 0, o.kh - 1);
    sl.selected_v = std::clamp(int((m.x - origin.x) / px), 0, o.kw - 1);
    sl.filter = f;
  }
  ImGui::EndGroup();
}

// Output map f (oh, ow); hovering a cell moves the window there.
void draw_output_grid(ConvSlideState& sl, LabContext& ctx, int f, float px) {
  const ConvGeometry& g = sl.geometry;
  ImGui::BeginGroup();
  ImGui::Text("output %d: (%d, %d)", f + 1, g.out_height, g.out_width);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  char id[32];
  std::snprintf(id, sizeof id, "slide_output%d", f);
  ImGui::InvisibleButton(id, ImVec2(px * float(g.out_width), px * float(g.out_height)));
  ctx.probes.item(id);
  const auto map = sl.output.row(0).segment(Eigen::Index(f) * g.out_cells(), g.out_cells());
  const float scale = std::max(1.0f, map.cwiseAbs().maxCoeff());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < g.out_height; ++i)
    for (int j = 0; j < g.out_width; ++j) {
      const float v = map(i * g.out_width + j);
      draw_cell(dl, ImVec2(origin.x + px * float(j), origin.y + px * float(i)), px, cell_text(v),
                diverging_rgba(v / scale));
    }
  if (f == sl.filter) {
    const ImVec2 p(origin.x + px * float(sl.cell % g.out_width), origin.y + px * float(sl.cell / g.out_width));
    dl->AddRect(p, ImVec2(p.x + px, p.y + px), kAccentColor, 0, 0, 3.0f);
  }
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int i = std::clamp(int((m.y - origin.y) / px), 0, g.out_height - 1);
    const int j = std::clamp(int((m.x - origin.x) / px), 0, g.out_width - 1);
    sl.filter = f, sl.cell = i * g.out_width + j, sl.playing = false;
    ImGui::SetTooltip("output %d at (%d, %d) = %s", f + 1, i, j, cell_text(map(i * g.out_width + j)).c_str());
  }
  ImGui::EndGroup();
}

// The formula along one axis with the numbers in: "rows: floor((6 + 2·0 − 1·(2 − 1) − 1) / 1) + 1 = 5"
// (the UI font has no ⌊ ⌋).
std::string axis_formula(const char* axis, int n, int k, int s, int p, int d, int out) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: floor((%d + 2·%d − %d·(%d − 1) − 1) / %d) + 1 = %d", axis, n, p, d, k, s, out);
  return buf;
}

void draw_formula(const ConvSlideState& sl, LabContext& ctx) {
  if (!ctx.shown("formula")) return;
  const ConvSlideSettings& o = sl.settings;
  // Wrapped: in a narrow pane the settings run onto a second line rather than past the edge.
  ImGui::PushTextWrapPos(0);
  ImGui::Text("(%d, %d) ⊛ %d × (%d, %d), stride (%d, %d), padding (%d, %d), dilation (%d, %d) →", o.height, o.width,
              o.filters, o.kh, o.kw, o.sh, o.sw, o.ph, o.pw, o.dh, o.dw);
  ImGui::PopTextWrapPos();
  if (!sl.valid) {
    ErrorText("impossible: " + sl.error);
    return;
  }
  const ConvGeometry& g = sl.geometry;
  ImGui::Text("(F, oh, ow) = (%d, %d, %d)", o.filters, g.out_height, g.out_width);
  ctx.probes.item("slide_shape");
  ImGui::SameLine();
  HelpMarker(
      "Each output size is floor((n + 2p − d(k − 1) − 1) / s) + 1: the padded input n + 2p, less the span d(k − 1) + 1 "
      "the dilated kernel covers, gives the room the window has to move; it moves s cells at a time. Rows and "
      "columns are counted separately, so neither the image nor the kernel has to be square.");
  MutedText(axis_formula("rows", o.height, o.kh, o.sh, o.ph, o.dh, g.out_height).c_str());
  MutedText(axis_formula("columns", o.width, o.kw, o.sw, o.pw, o.dw, g.out_width).c_str());
}

// Σ over the window of weight × pixel, written out: "(−1)·0 + 1·1 + … = 2".
std::string products_text(const ConvSlideState& sl) {
  const ConvSlideSettings& o = sl.settings;
  const int ow = sl.geometry.out_width;
  const ConvWindow win = conv_window(sl.geometry, sl.filter, sl.cell / ow, sl.cell % ow);
  std::string out;
  long long sum = 0;
  for (size_t k = 0; k < win.taps.size(); ++k) {
    const ConvTap& t = win.taps[k];
    const int w = o.weight(sl.filter, int(k) / o.kw, int(k) % o.kw);
    const int x = t.in_padding ? 0 : o.pixel(t.row, t.col);
    sum += (long long)w * x;
    out += (k ? " + " : "") + (w < 0 ? "(" + std::to_string(w) + ")" : std::to_string(w)) + "·" +
           (x < 0 ? "(" + std::to_string(x) + ")" : std::to_string(x));
  }
  return out + " = " + std::to_string(sum);
}

void draw_slide_settings(ConvSlideState& sl, LabContext& ctx) {
  ConvSlideSettings& o = sl.settings;
  ImGui::BeginDisabled(ctx.locked);
  const auto pair = [](const char* label, int* a, int* b, int lo, int hi, const char* help) {
    ImGui::SetNextItemWidth(FitWidth(140, label));
    int v[2] = {*a, *b};
    if (ImGui::SliderInt2(label, v, lo, hi)) *a = std::clamp(v[0], lo, hi), *b = std::clamp(v[1], lo, hi);
    ImGui::SameLine();
    HelpMarker(help);
  };
  pair("image (H, W)", &o.height, &o.width, 1, kMaxSlideSide,
       "Rows and columns of the image; values you painted stay.");
  ImGui::SetNextItemWidth(FitWidth(140, "filters F"));
  ImGui::SliderInt("filters F", &o.filters, 1, kMaxSlideFilters);
  pair("kernel (kh, kw)", &o.kh, &o.kw, 1, kMaxSlideKernel, "Rows and columns of every filter: it need not be square.");
  pair("stride (rows, cols)", &o.sh, &o.sw, 1, 4, "How many cells the window moves between outputs.");
  pair("padding (rows, cols)", &o.ph, &o.pw, 0, 3, "Rings of zeros added around the image before sliding.");
  pair("dilation (rows, cols)", &o.dh, &o.dw, 1, 3, "Taps this many cells apart: a dilated kernel sees wider.");
  ImGui::Separator();
  ImGui::Checkbox("a click paints", &sl.paint);
  ImGui::SameLine();
  HelpMarker(
      "On: a click or drag on the image paints the value below. Off: a click selects the cell to type its value.");
  if (sl.paint) {
    ImGui::SetNextItemWidth(FitWidth(140, "paint value"));
    ImGui::SliderInt("paint value", &sl.paint_value, -9, 9);
  }
  ImGui::SetNextItemWidth(FitWidth(140, "pixel"));
  char label[48];
  std::snprintf(label, sizeof label, "pixel (%d, %d)###pixel", sl.selected_row, sl.selected_col);
  int& px = o.pixel(sl.selected_row, sl.selected_col);
  if (ImGui::InputInt(label, &px)) px = std::clamp(px, -kMaxSlideValue, kMaxSlideValue);
  std::snprintf(label, sizeof label, "filter %d (%d, %d)###weight", sl.selected_filter + 1, sl.selected_u,
                sl.selected_v);
  ImGui::SetNextItemWidth(FitWidth(140, label));
  int& w = o.weight(sl.selected_filter, sl.selected_u, sl.selected_v);
  if (ImGui::InputInt(label, &w)) w = std::clamp(w, -kMaxSlideValue, kMaxSlideValue);
  ImGui::SameLine();
  HelpMarker("Click a cell of the image (with painting off) or of a filter, then type its value here.");
  if (ImGui::Button("Clear the image"))
    for (int& v : o.image) v = 0;
  ImGui::SameLine();
  if (ImGui::Button("The lecture's example")) o = ConvSlideSettings{};
  ImGui::EndDisabled();
}

void draw_slide_tab(ConvLabState& s, LabContext& ctx) {
  ConvSlideState& sl = s.slide;
  Panes panes("conv_slide", 330, 380);
  if (ctx.shown("settings")) draw_slide_settings(sl, ctx);
  panes.next();
  draw_formula(sl, ctx);
  const ConvSlideSettings& o = sl.settings;
  if (sl.valid) {
    if (ShortcutButton(sl.playing ? "Pause##slide" : "Play##slide", kPlayPauseKey)) sl.playing = !sl.playing;
    ctx.probes.item("slide_play");
    ImGui::SameLine();
    if (ShortcutButton("Step##slide", kStepKey)) {
      sl.playing = false;
      if (++sl.cell >= sl.geometry.out_cells()) sl.cell = 0, sl.filter = (sl.filter + 1) % o.filters;
    }
    ctx.probes.item("slide_step");
    char where[64];
    std::snprintf(where, sizeof where, "window at (%d, %d) of output %d", sl.cell / sl.geometry.out_width,
                  sl.cell % sl.geometry.out_width, sl.filter + 1);
    SameLineIfFits(ImGui::CalcTextSize(where).x);
    ImGui::TextUnformatted(where);
  }
  const float px = slide_cell_px(o.width + 2 * o.pw + o.kw + 2, 1.0f);
  ImGui::BeginGroup();
  draw_input_grid(sl, ctx, px);
  ImGui::EndGroup();
  for (int f = 0; f < o.filters; ++f) {
    SameLineIfFits(px * float(o.kw) + 8, 16);
    draw_filter_grid(sl, ctx, f, px);
  }
  if (!sl.valid) return;
  ImGui::PushTextWrapPos(0);
  ImGui::Text("output %d at (%d, %d) = Σ weight · pixel over the window = %s", sl.filter + 1,
              sl.cell / sl.geometry.out_width, sl.cell % sl.geometry.out_width, products_text(sl).c_str());
  ImGui::PopTextWrapPos();
  const float out_px = slide_cell_px(sl.geometry.out_width, 1.0f);
  for (int f = 0; f < o.filters; ++f) {
    if (f) SameLineIfFits(out_px * float(sl.geometry.out_width) + 8, 16);
    draw_output_grid(sl, ctx, f, out_px);
  }
  MutedText(
      "Hover an output cell to move the window there. Each output is the dot product of the filter with the "
      "patch under it: large where the patch looks like the filter.");
}

// [SECTION] filters on a digit: update --------------------------------------------------------

constexpr int kSide = 28;
constexpr int kPooled = kSide / 2;

// The slot's filter (1, k·k): a named kernel, the painted kernel as it is, or the patch with
// its mean taken off (so it
// responds to the pattern, not to ink alone), scaled to unit length.
RowMatrixXf slot_filter(DigitFilter f, const ConvDigitState& d, int slot, int& side) {
  if (f == DigitFilter::Painted) {
    side = kPaintedSide;
    RowMatrixXf w(1, kPaintedSide * kPaintedSide);  // (1, 9)
    for (int k = 0; k < kPaintedSide * kPaintedSide; ++k) w(0, k) = float(d.settings.painted[size_t(slot)][size_t(k)]);
    return w;
  }
  if (f != DigitFilter::Patch) {
    side = 3;
    return kernel_filter(NamedKernel(int(f)));
  }
  side = kPatchSide;
  RowMatrixXf w(1, kPatchSide * kPatchSide);  // (1, 25)
  for (int u = 0; u < kPatchSide; ++u)
    for (int v = 0; v < kPatchSide; ++v)
      w(0, u * kPatchSide + v) =
          float(d.digit[size_t((d.settings.patch_row + u) * kSide + d.settings.patch_col + v)]) / 255.0f;
  w.array() -= w.mean();
  const float norm = w.norm();
  if (norm > 0) w /= norm;
  return w;
}

void compute_slot(ConvDigitState& d, int slot, const RowMatrixXf& X, Host& host) {
  ConvDigitMaps& m = d.maps[slot];
  m.filter = slot_filter(d.settings.slots[size_t(slot)], d, slot, m.side);
  const int pad = m.side / 2;  // "same": the map keeps the digit's 28 × 28
  const ConvGeometry g = conv_geometry(1, kSide, kSide, 1, {m.side, m.side, 1, 1, pad, pad, 1, 1});
  ConvWorkspace ws;
  conv2d_forward(g, X, m.filter, Eigen::VectorXf::Zero(1), m.conv, ws);
  m.relu = m.conv.cwiseMax(0.0f);
  const PoolGeometry pg = pool_geometry(1, kSide, kSide, {2, 2, 2, 2});
  max_pool_forward(pg, d.settings.relu ? m.relu : m.conv, m.pooled, m.argmax);
  const float scale = std::max(1e-6f, m.conv.cwiseAbs().maxCoeff());
  upload_feature_maps(m.conv_view, m.conv.data(), 1, kSide, kSide, host, scale);
  upload_feature_maps(m.relu_view, m.relu.data(), 1, kSide, kSide, host, scale);
  upload_feature_maps(m.pooled_view, m.pooled.data(), 1, kPooled, kPooled, host, scale);
  upload_feature_maps(m.filter_view, m.filter.data(), 1, m.side, m.side, host);
}

void update_digit(ConvDigitState& d, LabContext& ctx) {
  const DataState& data = ctx.data;
  ConvDigitSettings& o = d.settings;
  o.patch_row = std::clamp(o.patch_row, 0, kSide - kPatchSide),
  o.patch_col = std::clamp(o.patch_col, 0, kSide - kPatchSide);
  if (data.ready()) o.mnist_index = std::clamp(o.mnist_index, 0, data.test.count - 1);
  const ConvDigitKey key{o, d.drawn, d.drawn ? d.canvas.version : -1, data.generation};
  if (key == d.key) return;
  d.key = key;
  d.has_digit = false;
  if (d.drawn) {
    if (canvas_empty(d.canvas)) return;
    d.digit = preprocess_like_mnist(d.canvas.ink, d.canvas.size, d.canvas.size);
  } else {
    if (!data.ready()) return;
    const auto px = data.test.image(o.mnist_index);
    d.digit.assign(px.begin(), px.end());
  }
  d.has_digit = true;
  std::vector<uint32_t> rgba(d.digit.size());
  for (size_t k = 0; k < d.digit.size(); ++k) rgba[k] = ink_rgba(d.digit[k]);
  ctx.host.update_texture(d.digit_texture, rgba.data(), kSide, kSide);
  RowMatrixXf X(1, kSide * kSide);  // (1, 784) in [0, 1]
  for (int k = 0; k < kSide * kSide; ++k) X(0, k) = float(d.digit[size_t(k)]) / 255.0f;
  for (int slot = 0; slot < kDigitSlots; ++slot) compute_slot(d, slot, X, ctx.host);
}

// [SECTION] filters on a digit: drawing -------------------------------------------------------

void draw_digit_source(ConvDigitState& d, LabContext& ctx) {
  ConvDigitSettings& o = d.settings;
  ImGui::BeginDisabled(ctx.locked);
  int source = d.drawn ? 1 : 0;
  if (ImGui::RadioButton("an MNIST test image", &source, 0)) d.drawn = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("my drawing", &source, 1)) d.drawn = true;
  ctx.probes.item("digit_drawn");
  if (!d.drawn && ctx.data.ready()) {
    ImGui::SetNextItemWidth(FitWidth(180, "test image"));
    ImGui::SliderInt("test image", &o.mnist_index, 0, ctx.data.test.count - 1);
  }
  ImGui::EndDisabled();
  if (d.drawn) {
    DrawCanvas("conv_canvas", d.canvas, 196, 11.0f, false, ctx.host);
    ctx.probes.item("digit_canvas");
    if (ShortcutButton("Clear##conv", kClearKey)) canvas_clear(d.canvas);
    ImGui::SameLine();
    if (ShortcutButton("Undo##conv", kUndoKey)) canvas_undo(d.canvas);
  }
  if (!d.has_digit) {
    MutedText(d.drawn ? "Draw a digit: every filter's map appears on the right." : "The MNIST images are loading…");
    return;
  }
  // The 28 × 28 the filters see, the patch outlined; a click moves the patch.
  const float px = 5;
  ImGui::TextUnformatted("What the filters see (28 × 28)");
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(d.digit_texture.id, ImVec2(px * kSide, px * kSide));
  ctx.probes.item("digit_image");
  const bool uses_patch = std::count(o.slots.begin(), o.slots.end(), DigitFilter::Patch) > 0;
  if (uses_patch) {
    const ImVec2 p(origin.x + px * float(o.patch_col), origin.y + px * float(o.patch_row));
    ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + px * kPatchSide, p.y + px * kPatchSide),
                                        IM_COL32(230, 140, 0, 255), 0, 0, 2.0f);
    if (ImGui::IsItemHovered() && ImGui::IsMouseDown(ImGuiMouseButton_Left) && !ctx.locked) {
      const ImVec2 m = ImGui::GetIO().MousePos;
      o.patch_row = std::clamp(int((m.y - origin.y) / px) - kPatchSide / 2, 0, kSide - kPatchSide);
      o.patch_col = std::clamp(int((m.x - origin.x) / px) - kPatchSide / 2, 0, kSide - kPatchSide);
    }
    MutedText("Click the digit to move the orange patch: used as a filter, it finds the places that look like it.");
  }
}

void draw_digit_settings(ConvDigitState& d, LabContext& ctx) {
  ConvDigitSettings& o = d.settings;
  ImGui::BeginDisabled(ctx.locked);
  for (int slot = 0; slot < kDigitSlots; ++slot) {
    char label[24];
    std::snprintf(label, sizeof label, "filter %d", slot + 1);
    ImGui::SetNextItemWidth(FitWidth(EnumComboWidth<DigitFilter>(kFilterChoices), label));
    EnumCombo<DigitFilter>(label, o.slots[size_t(slot)], kFilterChoices);
  }
  ImGui::Checkbox("ReLU", &o.relu);
  ImGui::SameLine();
  HelpMarker("max(0, x) after each convolution: negative responses (blue) become 0.");
  ImGui::SameLine();
  ImGui::Checkbox("max-pool 2 × 2", &o.pool);
  ImGui::SameLine();
  HelpMarker("Keeps the largest of every 2 × 2 window (stride 2): 28 × 28 → 14 × 14, no parameters to learn.");
  ImGui::EndDisabled();
}

// The slot's painted kernel as 3 × 3 number cells: drag sideways to change one, double-click
// (or Ctrl+click) to type it; arrows and Enter reach them by keyboard.
void draw_painted_editor(ConvDigitState& d, LabContext& ctx, int slot) {
  PaintedKernel& k = d.settings.painted[size_t(slot)];
  ImGui::BeginDisabled(ctx.locked);
  const float cell = ImGui::CalcTextSize("−9").x + 2 * ImGui::GetStyle().FramePadding.x + 6;
  for (int u = 0; u < kPaintedSide; ++u)
    for (int v = 0; v < kPaintedSide; ++v) {
      if (v) ImGui::SameLine(0, 2);
      ImGui::PushID((slot * kPaintedSide + u) * kPaintedSide + v);
      ImGui::SetNextItemWidth(cell);
      ImGui::DragInt("##weight", &k[size_t(u * kPaintedSide + v)], 0.1f, -kMaxPaintedValue, kMaxPaintedValue, "%d",
                     ImGuiSliderFlags_AlwaysClamp);
      if (slot == 0 && u == 0 && v == 0) ctx.probes.item("digit_painted0");
      ImGui::PopID();
    }
  ImGui::EndDisabled();
}

// One slot's row: the filter, its map, after ReLU, after pooling, and the parameters of each.
void draw_slot(ConvDigitState& d, LabContext& ctx, int slot) {
  const ConvDigitSettings& o = d.settings;
  ConvDigitMaps& m = d.maps[slot];
  const float map_px = 3;
  ImGui::BeginGroup();
  ImGui::Text("filter %d (%d × %d)", slot + 1, m.side, m.side);
  FeatureMapTile(m.filter_view, 0, 84.0f / float(m.side));
  if (ImGui::IsItemHovered()) {
    std::string w;
    for (int k = 0; k < int(m.filter.cols()); ++k) w += (k % m.side ? " " : (k ? "\n" : "")) + fixed(m.filter(0, k), 2);
    ImGui::SetTooltip("%s", w.c_str());
  }
  if (o.slots[size_t(slot)] == DigitFilter::Painted) draw_painted_editor(d, ctx, slot);
  ImGui::Text("%d + 1 parameters", m.side * m.side);
  ImGui::EndGroup();
  SameLineIfFits(kSide * map_px + 8, 12);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("feature map");
  FeatureMapTile(m.conv_view, 0, map_px);
  if (slot == 0) ctx.probes.item("digit_map0");
  ImGui::Text("(28, 28)");
  ImGui::EndGroup();
  if (o.relu) {
    SameLineIfFits(kSide * map_px + 8, 12);
    ImGui::BeginGroup();
    ImGui::TextUnformatted("ReLU");
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    FeatureMapTile(m.relu_view, 0, map_px);
    // The hovered pooled cell's window, and its winner.
    if (d.hovered_slot == slot && d.hovered_cell >= 0) {
      const int i = d.hovered_cell / kPooled, j = d.hovered_cell % kPooled;
      const int win = m.argmax[size_t(d.hovered_cell)];
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImVec2 p(origin.x + map_px * float(2 * j), origin.y + map_px * float(2 * i));
      dl->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + 2 * map_px + 1, p.y + 2 * map_px + 1), kInkColor);
      const ImVec2 q(origin.x + map_px * float(win % kSide), origin.y + map_px * float(win / kSide));
      dl->AddRectFilled(q, ImVec2(q.x + map_px, q.y + map_px), IM_COL32(230, 140, 0, 255));
    }
    ImGui::TextUnformatted("0 parameters");
    ImGui::EndGroup();
  }
  if (!o.pool) return;
  SameLineIfFits(kPooled * 6.0f + 8, 12);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("max-pool");
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (FeatureMapTile(m.pooled_view, 0, 6.0f)) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const int i = std::clamp(int((mouse.y - origin.y) / 6.0f), 0, kPooled - 1);
    const int j = std::clamp(int((mouse.x - origin.x) / 6.0f), 0, kPooled - 1);
    d.hovered_slot = slot, d.hovered_cell = i * kPooled + j;
    const RowMatrixXf& before = o.relu ? m.relu : m.conv;
    std::string window;
    for (int u = 0; u < 2; ++u)
      for (int v = 0; v < 2; ++v)
        window += (window.empty() ? "" : ", ") + fixed(before(0, (2 * i + u) * kSide + 2 * j + v), 2);
    ImGui::SetTooltip("max(%s) = %s\nthe other 3 values of the window are thrown away", window.c_str(),
                      fixed(m.pooled(0, i * kPooled + j), 2).c_str());
  } else if (d.hovered_slot == slot) {
    d.hovered_slot = -1, d.hovered_cell = -1;
  }
  if (slot == 0) ctx.probes.item("digit_pooled0");
  ImGui::Text("(14, 14), 0 parameters");
  ImGui::EndGroup();
}

void draw_digit_tab(ConvLabState& s, LabContext& ctx) {
  ConvDigitState& d = s.digit;
  if (!d.drawn && !draw_data_needed(ctx)) return;
  Panes panes("conv_digit", 300, 420);
  draw_digit_source(d, ctx);
  if (ctx.shown("settings")) draw_digit_settings(d, ctx);
  panes.next();
  if (!d.has_digit) return;
  MutedText(
      "Each filter slides over the digit (padding keeps 28 × 28): red where the patch under it looks like the "
      "filter, blue where it looks like its opposite. Hover a pooled cell to see the window it kept.");
  for (int slot = 0; slot < kDigitSlots; ++slot) {
    if (slot) ImGui::Separator();
    draw_slot(d, ctx, slot);
  }
}

}  // namespace

// [SECTION] the lab -------------------------------------------------------------------------------

namespace {

// The Train tab's CNN once it has finished healthy, for the Why tab's plots.
const Cnn* finished_cnn(const ConvTrainState& t) {
  return t.trainer && t.trainer->done() && t.trainer->failure().empty() ? &t.trainer->cnn() : nullptr;
}

}  // namespace

void update_conv_lab(ConvLabState& s, LabContext& ctx) {
  if (s.tab == ConvTab::Slide) update_slide(s.slide, ctx);  // its animation wakes no other tab
  if (s.tab == ConvTab::Digit) update_digit(s.digit, ctx);
  update_conv_train(s.train, ctx, 12.0, s.tab == ConvTab::Train);
  update_conv_why(s.why, ctx, finished_cnn(s.train), 12.0, s.tab == ConvTab::Why);
}

void background_conv_lab(ConvLabState& s, LabContext& ctx) {
  update_conv_train(s.train, ctx, 12.0, false);
  update_conv_why(s.why, ctx, finished_cnn(s.train), 12.0, false);
}

void draw_conv_lab(ConvLabState& s, LabContext& ctx) {
  LabHeading(ctx.fonts.heading, "Convolution",
             ctx.shown("summary") ? "A filter slides over the image; its dot product with each patch says how much "
                                    "the patch looks like it. Stack them, pool, and train the stack."
                                  : nullptr);
  static constexpr const char* kTabNames[] = {"Sliding filter", "Filters on a digit", "Train a CNN", "Why convolution"};
  if (!LabTabs("conv_tabs", kTabNames, s.tab, s.select_tab)) return;
  switch (s.tab) {
    case ConvTab::Slide: draw_slide_tab(s, ctx); break;
    case ConvTab::Digit: draw_digit_tab(s, ctx); break;
    case ConvTab::Train: draw_conv_train_tab(s.train, ctx); break;
    case ConvTab::Why: draw_conv_why_tab(s.why, ctx); break;
  }
}

nlohmann::json conv_state_json(const ConvLabState& s) {
  const ConvSlideState& sl = s.slide;
  nlohmann::json slide = {{"valid", sl.valid}, {"error", sl.error}, {"playing", sl.playing}};
  if (sl.valid) {
    const ConvGeometry& g = sl.geometry;
    slide["shape"] = {sl.settings.filters, g.out_height, g.out_width};
    slide["cell"] = {sl.cell / g.out_width, sl.cell % g.out_width};
    slide["filter"] = sl.filter;
    slide["value"] = sl.output(0, Eigen::Index(sl.filter) * g.out_cells() + sl.cell);
    slide["output"] = std::vector<float>(sl.output.data(), sl.output.data() + sl.output.size());
    slide["products"] = products_text(sl);
  } else {
    slide["shape"] = nlohmann::json::array();
  }
  const ConvDigitState& d = s.digit;
  nlohmann::json maps = nlohmann::json::array();
  for (const ConvDigitMaps& m : d.maps)
    maps.push_back({{"side", m.side},
                    {"filter", std::vector<float>(m.filter.data(), m.filter.data() + m.filter.size())},
                    {"conv_max", m.conv.size() ? double(m.conv.maxCoeff()) : 0.0},
                    {"conv_min", m.conv.size() ? double(m.conv.minCoeff()) : 0.0},
                    {"pooled", m.pooled.size()},
                    {"pooled_max", m.pooled.size() ? double(m.pooled.maxCoeff()) : 0.0}});
  return {{"tab", int(s.tab)},
          {"slide", slide},
          {"digit", {{"has_digit", d.has_digit}, {"drawn", d.drawn}, {"maps", maps}, {"hovered_cell", d.hovered_cell}}},
          {"train", conv_train_json(s.train)},
          {"why", conv_why_json(s.why)}};
}

}  // namespace implay::app
