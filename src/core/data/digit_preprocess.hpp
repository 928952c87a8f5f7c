// digit_preprocess.hpp — turning a digit drawn on the UI canvas into an MNIST-like 28×28 image
// the way LeCun et al. made MNIST: crop the ink's bounding box, scale it (aspect kept) so its
// larger side is 20 px with area averaging, then place it so the centre of mass of the ink sits
// at the image centre. Also the soft round brush the canvas (and the browser tests) draw with.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace implay {

// Coordinates, everywhere in this file: pixel indices. Pixel (row y, column x) of a (H, W)
// image is centred at the point (x, y); it covers [x - ½, x + ½] × [y - ½, y + ½]. So the centre
// of a 28×28 image's pixel grid is (13.5, 13.5), and MNIST puts the centre of mass at (14, 14)
// (measured on the 10 000 MNIST test digits: mean centre of mass (14.008, 13.993)).
// A UI mapping a mouse position to canvas pixels uses x = (mouse_x - left) / pixel_size - 0.5.

// A canvas pixel counts as ink (for the bounding box) when ink > this: half a grey level, i.e.
// anything that would show as a non-zero byte. A higher threshold crops the soft edges of the
// strokes: on MNIST digits upscaled ×10, 0.02 already changes 180 of 10 000, 0.1 changes 1 716.
inline constexpr float kMinInk = 0.5f / 255.0f;

// Options of preprocess_like_mnist; the defaults are MNIST's.
struct MnistPreprocessParams {
  float ink_threshold = kMinInk;  // a canvas pixel is ink (for the bounding box) when ink > this
  int box_size = 20;              // larger side of the scaled ink box (MNIST: 20)
  int image_size = 28;            // side of the square output (MNIST: 28); centre of mass → size / 2
};

// Bounding box of the ink, half-open: columns [x0, x1), rows [y0, y1). Empty when no pixel is ink.
struct InkBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// Centre of mass of an image: x = Σ v·x / Σ v, y = Σ v·y / Σ v in pixel-index coordinates (see
// above). mass = Σ v in the image's units (ink in [0,1] or bytes 0..255); x = y = 0 when mass = 0.
struct CenterOfMass {
  double x = 0, y = 0;
  double mass = 0;
};

// Everything preprocess_like_mnist computes, for the UI to show step by step.
struct MnistPreprocessSteps {
  InkBox box;                      // ink on the canvas; empty → `image` is all zeros
  int scaled_width = 0;            // box size after scaling: the larger side is box_size,
  int scaled_height = 0;           //   the smaller one round(side · box_size / larger), ≥ 1
  std::vector<float> scaled;       // (scaled_height, scaled_width) ink in [0,1], area-averaged
  CenterOfMass scaled_com;         // of `scaled`, in its own pixel coordinates
  int offset_x = 0, offset_y = 0;  // where scaled pixel (0, 0) lands in the output image
  std::vector<uint8_t> image;      // (image_size, image_size) row-major, 0 = background
};

// Ink bounding box. canvas: (height, width) row-major ink in [0,1].
// Throws implay::Error when canvas.size() != width · height or a side is not positive.
InkBox ink_bounding_box(std::span<const float> canvas, int width, int height, float ink_threshold = kMinInk);

// image: (height, width) row-major. Throws implay::Error on mismatched sizes.
CenterOfMass center_of_mass(std::span<const float> image, int width, int height);
CenterOfMass center_of_mass(std::span<const uint8_t> image, int width, int height);

// Area-averaging (box-filter) resize of a (height, width) image to (out_height, out_width): each
// output pixel is the mean of the input over the rectangle it covers, partial pixels weighted by
// the overlapping area: out(i, j) = Σ_{y,x} a_y(i) · a_x(j) · in(y, x) / (fy · fx), where
// fx = width / out_width, fy = height / out_height, and a_x(j) = |[j·fx, (j+1)·fx) ∩ [x, x+1)|.
// Shrinking averages (anti-aliasing); enlarging by an integer factor repeats each pixel.
// image: (height, width) row-major; returns (out_height, out_width). Values clamped to [0,1]
// (NaN → 0). Throws implay::Error on mismatched or non-positive sizes.
std::vector<float> resize_area_average(std::span<const float> image, int width, int height, int out_width,
                                       int out_height);

// The MNIST recipe, every step kept. canvas: (height, width) row-major ink in [0,1], any size
// (280×280, 28×28, ...). Steps:
//  1. box = ink_bounding_box(canvas); an empty canvas (no pixel above ink_threshold) gives an
//     all-zero image (there is nothing to centre; the UI should say "draw a digit" instead).
//  2. scale the box by s = box_size / max(w, h) to round(w·s) × round(h·s) (≥ 1) pixels with
//     resize_area_average (pixels inside the box below the threshold are kept: they are the
//     soft edge of the strokes).
//  3. offset = floor(image_size/2 − com + ½) per axis (the rounded centre-of-mass shift, ties
//     upward), so the output's centre of mass is within ½ px of (image_size/2, image_size/2);
//     pixels shifted outside the image are dropped.
//  4. bytes = round(255 · ink).
// Throws implay::Error on mismatched sizes or box_size outside 1..image_size.
MnistPreprocessSteps preprocess_like_mnist_steps(std::span<const float> canvas, int width, int height,
                                                 const MnistPreprocessParams& params = {});

// Just the image: (image_size, image_size) = (28, 28) row-major uint8, 0 = background, 255 = ink.
std::vector<uint8_t> preprocess_like_mnist(std::span<const float> canvas, int width, int height,
                                           const MnistPreprocessParams& params = {});

// Paints a thick anti-aliased segment from (x0, y0) to (x1, y1) (pixel-index coordinates, see the
// top of this file) with a soft round brush of the given radius, in pixels:
//   d = distance from the pixel centre to the segment,  coverage = clamp(radius + ½ − d, 0, 1),
//   ink = max(ink, coverage)
// so pixels within radius − ½ are solid, the edge fades over one pixel, and overlapping strokes
// never darken beyond 1. A zero-length segment paints a dot. Parts off the canvas are clipped.
// canvas: (height, width) row-major ink in [0,1]. Throws implay::Error on mismatched sizes.
void draw_stroke(std::span<float> canvas, int width, int height, float x0, float y0, float x1, float y1, float radius);

}  // namespace implay
