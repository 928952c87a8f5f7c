// confusion_matrix.hpp — a classifier's confusion matrix on the MNIST test images, as every lab
// that trains on MNIST shows it (linear, neural net; next the CNN): counts shaded by size, the
// diagonal green, and a clicked cell's test images beside it. The lab sets the predictions in
// its update step; the widget only draws them.
#pragma once
#include <span>
#include <vector>

#include <Eigen/Core>

#include "app/host.hpp"
#include "app/probes.hpp"
#include "app/widgets/digits.hpp"
#include "core/data/idx.hpp"

namespace implay::app {

// A clicked cell and the matrix it was counted for.
struct ConfusionCellKey {
  int true_class = -1, predicted = -1;
  int version = -1;  // ConfusionView::version
  bool operator==(const ConfusionCellKey&) const = default;
};

struct ConfusionView {
  Eigen::MatrixXi counts;      // (C, C): (true class, predicted class); empty until set
  std::vector<int> predicted;  // (M) the class the model gives each test image
  double accuracy = -1;        // trace / sum; −1 until set
  int version = 0;             // counts the matrices set, so a clicked cell is recounted
  ConfusionCellKey wanted, shown;
  std::vector<int> cell_images;  // test indices in the shown cell, in test order
  Atlas cell_atlas;
  Texture cell_texture;
  bool empty() const { return counts.size() == 0; }
};

inline constexpr int kConfusionCellImages = 24;  // test images shown for a clicked cell

// A new matrix from the model's predictions (M) on test images labelled `labels` (M).
void set_confusion(ConfusionView& v, std::vector<int> predicted, std::span<const uint8_t> labels, int num_classes);
// No matrix (a new model is being trained); the clicked cell is kept for the next one.
void clear_confusion(ConfusionView& v);
// Update step: the clicked cell's test images, again when the matrix changed.
void update_confusion_cell(ConfusionView& v, const LabeledImages& test, Host& host);
// Draws the matrix (probe `probe_name`: cell (t, p) spans [(p + 1)/(C + 1), (p + 2)/(C + 1)) of
// its width, rows alike) and, with `images`, the clicked cell's images (a click asks for them).
// `what` names what was counted ("test images", "test points").
void ConfusionMatrix(ConfusionView& v, Probes& probes, const char* probe_name, const char* what = "test images",
                     bool images = true);

}  // namespace implay::app
