// draw_canvas.hpp — a drawing canvas for digits: mouse or touch strokes with a round pen,
// eraser, undo and clear. The ink lives at a higher resolution than MNIST's 28×28 so the
// MNIST-style preprocessing (core/digit_preprocess) sees smooth strokes; a faint 28×28 grid
// shows the cells the classifier will see.
#pragma once
#include <vector>

#include "app/host.hpp"
#include "imgui.h"

namespace implay::app {

struct Stroke {
  std::vector<ImVec2> points;  // in canvas pixels
  float radius = 10.0f;        // pen radius in canvas pixels
  bool erase = false;
};

struct DrawCanvasState {
  int size = 280;               // the ink is (size, size); 10 canvas pixels per MNIST pixel
  std::vector<float> ink;       // (size, size) row-major ink in [0, 1]
  std::vector<Stroke> strokes;  // every stroke since the last clear, for undo
  int version = 0;              // bumps whenever the ink changes
  Texture texture;
  int texture_version = -1;
  bool drawing = false;  // a stroke is in progress
};

// Starts empty at the given resolution.
void canvas_reset(DrawCanvasState& s, int size = 280);
void canvas_clear(DrawCanvasState& s);
void canvas_undo(DrawCanvasState& s);
bool canvas_empty(const DrawCanvasState& s);
// Appends a stroke point, painting the segment from the previous point (core::draw_stroke).
void canvas_stroke_to(DrawCanvasState& s, ImVec2 p, bool new_stroke, float radius, bool erase);

// The widget: shows the ink at (display x display) CSS pixels and turns mouse drags into
// strokes. Returns true when the ink changed this frame. grid_cells > 0 draws a faint grid.
bool DrawCanvas(const char* id, DrawCanvasState& s, float display, float pen_radius, bool erase, Host& host,
                int grid_cells = 28);

}  // namespace implay::app
