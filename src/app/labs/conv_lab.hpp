// conv_lab.hpp — the Convolution lab's state: the lecture's sliding filter on a small image you
// edit (the shape formula with its numbers, the products at the window), a bank of filters on a
// digit (feature maps, ReLU, max-pool and its winners) and the small CNN trained on MNIST in the
// page (conv_train.hpp), and the lecture's claims about flattening, shifts and rotations as
// experiments (conv_why.hpp). conv_lab.cpp draws; core/conv/ computes every map.
#pragma once
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/host.hpp"
#include "app/labs/conv_train.hpp"
#include "app/labs/conv_why.hpp"
#include "app/widgets/draw_canvas.hpp"
#include "app/widgets/feature_maps.hpp"
#include "core/conv/conv2d.hpp"
#include "core/conv/kernels.hpp"
#include "core/matrix.hpp"

namespace implay::app {

struct LabContext;
template <class State>
struct UrlTable;

enum class ConvTab { Slide, Digit, Train, Why };

// [SECTION] the sliding filter ---------------------------------------------------------------

inline constexpr int kMaxSlideSide = 16;    // H, W of the small image
inline constexpr int kMaxSlideKernel = 5;   // kh, kw
inline constexpr int kMaxSlideFilters = 4;  // F
inline constexpr int kMaxSlideValue = 99;   // |value| of a pixel or a weight (whole numbers)

// The small image and its filters, whole numbers so every sum is exact, kept at the largest
// size (the top-left H × W and kh × kw are in use: shrinking and growing again keeps the values).
// The default is the lecture's shape, a (6, 8) image under two (2, 2) filters → (2, 5, 7): a
// bright block on a dark ground and the two edge detectors that find its sides.
struct ConvSlideSettings {
  int height = 6, width = 8;                                                    // H, W
  int filters = 2;                                                              // F
  int kh = 2, kw = 2;                                                           // the filters' rows and columns
  int sh = 1, sw = 1;                                                           // stride
  int ph = 0, pw = 0;                                                           // zero padding
  int dh = 1, dw = 1;                                                           // dilation
  std::array<int, kMaxSlideSide* kMaxSlideSide> image = default_slide_image();  // (16, 16)
  std::array<int, kMaxSlideFilters* kMaxSlideKernel* kMaxSlideKernel> weights = default_slide_weights();  // (4, 5, 5)
  bool operator==(const ConvSlideSettings&) const = default;

  int& pixel(int r, int c) { return image[size_t(r * kMaxSlideSide + c)]; }
  int pixel(int r, int c) const { return image[size_t(r * kMaxSlideSide + c)]; }
  int& weight(int f, int u, int v) { return weights[size_t((f * kMaxSlideKernel + u) * kMaxSlideKernel + v)]; }
  int weight(int f, int u, int v) const { return weights[size_t((f * kMaxSlideKernel + u) * kMaxSlideKernel + v)]; }
  ConvParams params() const { return {kh, kw, sh, sw, ph, pw, dh, dw}; }
  static std::array<int, kMaxSlideSide * kMaxSlideSide> default_slide_image();
  static std::array<int, kMaxSlideFilters * kMaxSlideKernel * kMaxSlideKernel> default_slide_weights();
};

struct ConvSlideState {
  ConvSlideSettings settings;
  ConvSlideSettings computed;  // the settings `output` is of
  bool fresh = true;           // nothing computed yet
  bool valid = false;          // the geometry is possible (else `error` says why)
  std::string error;
  ConvGeometry geometry;
  RowMatrixXf output;  // (1, F·oh·ow) the reference cross-correlation, exact on whole numbers
  int filter = 0;      // the filter whose products are shown
  int cell = 0;        // the output cell i·ow + j the window is at
  bool playing = false;
  double next_move = 0;                                     // FrameClock::seconds of the next step while playing
  int selected_row = 0, selected_col = 0;                   // the image cell whose value is typed
  int selected_filter = 0, selected_u = 0, selected_v = 0;  // the weight whose value is typed
  bool paint = true;  // a click or drag on the image paints paint_value (else selects)
  int paint_value = 1;
};

// [SECTION] filters on a digit ---------------------------------------------------------------

// A slot of the bank: a named kernel (core/conv/kernels.hpp, in its order), a patch of the
// digit used as the filter (the dot product as similarity), or a 3 × 3 kernel the student paints.
enum class DigitFilter {
  EdgeHorizontal,
  EdgeVertical,
  EdgeDiagonal,
  EdgeAntiDiagonal,
  SobelX,
  SobelY,
  BoxBlur,
  Gaussian,
  Sharpen,
  Laplacian,
  Patch,
  Painted
};
inline constexpr int kDigitSlots = 4;
inline constexpr int kPatchSide = 5;
inline constexpr int kPaintedSide = 3;
inline constexpr int kMaxPaintedValue = 9;                           // |weight| of a painted kernel (whole numbers)
using PaintedKernel = std::array<int, kPaintedSide * kPaintedSide>;  // (3, 3) row-major

struct ConvDigitSettings {
  int mnist_index = 0;  // which test image
  std::array<DigitFilter, kDigitSlots> slots = {DigitFilter::EdgeHorizontal, DigitFilter::EdgeVertical,
                                                DigitFilter::Laplacian, DigitFilter::Patch};
  bool relu = true;
  bool pool = true;                   // max-pool 2 × 2, stride 2
  int patch_row = 8, patch_col = 10;  // top-left of the 5 × 5 patch on the 28 × 28 digit
  // Each slot's painted kernel (used when the slot is Painted): a vertical line to start with.
  std::array<PaintedKernel, kDigitSlots> painted = {
      PaintedKernel{-1, 2, -1, -1, 2, -1, -1, 2, -1}, PaintedKernel{-1, 2, -1, -1, 2, -1, -1, 2, -1},
      PaintedKernel{-1, 2, -1, -1, 2, -1, -1, 2, -1}, PaintedKernel{-1, 2, -1, -1, 2, -1, -1, 2, -1}};
  bool operator==(const ConvDigitSettings&) const = default;
};

// One slot's maps: the convolution (28, 28) ("same" padding), after ReLU, after pooling (14, 14).
struct ConvDigitMaps {
  RowMatrixXf filter;           // (1, k·k)
  int side = 3;                 // k
  RowMatrixXf conv, relu;       // (1, 28·28)
  RowMatrixXf pooled;           // (1, 14·14), of relu (or conv when ReLU is off)
  std::vector<int32_t> argmax;  // (14·14) index in the 28 × 28 map of each window's winner
  FeatureMaps conv_view, relu_view, pooled_view, filter_view;
};

struct ConvDigitKey {
  ConvDigitSettings settings;
  bool drawn = false;
  int canvas_version = -1, data_generation = -1;
  bool operator==(const ConvDigitKey&) const = default;
};

struct ConvDigitState {
  ConvDigitSettings settings;
  bool drawn = false;  // the student's drawing, not an MNIST test image
  DrawCanvasState canvas;
  std::vector<uint8_t> digit;  // (28, 28) the image the filters see (MNIST's preprocessing of a drawing)
  Texture digit_texture;
  ConvDigitMaps maps[kDigitSlots];
  ConvDigitKey key;
  bool has_digit = false;
  int hovered_slot = -1, hovered_cell = -1;  // a pooled cell under the mouse: its window is marked
};

struct ConvLabState {
  ConvTab tab = ConvTab::Slide;
  bool select_tab = true;
  ConvSlideState slide;
  ConvDigitState digit;
  ConvTrainState train;
  ConvWhyState why;
};

// ?lab=conv&mode=slide&h=6&w=8&kh=2&kw=2&stride_rows=1…: what the address holds; hide= panels.
const UrlTable<ConvLabState>& conv_url_table();
// The output and the window, the digit's maps, a slice of CNN training. No ImGui calls.
void update_conv_lab(ConvLabState& s, LabContext& ctx);
// While another lab is shown: the CNN keeps training.
void background_conv_lab(ConvLabState& s, LabContext& ctx);
void draw_conv_lab(ConvLabState& s, LabContext& ctx);
// window.implay.state().conv: the output shape, the window, the maps, the CNN's progress.
nlohmann::json conv_state_json(const ConvLabState& s);

}  // namespace implay::app
