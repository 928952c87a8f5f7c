// loss_curves.hpp — the live training curves of every trainer the labs run (linear MNIST, the
// neural net's 2-D and MNIST tabs): both losses (softmax cross-entropy and multiclass hinge,
// measured whatever is optimized) and the accuracy, on training data and, where there is one,
// a held-out set. It draws what the lab sampled; it computes nothing.
#pragma once
#include <span>

#include "imgui.h"

namespace implay::app {

// One point of a curve: the measures of one data set after `epoch` epochs.
struct LossSample {
  double epoch = 0;          // epochs of training so far (fractional)
  double cross_entropy = 0;  // mean softmax cross-entropy
  double hinge = 0;          // mean multiclass hinge (Δ = 1)
  double accuracy = 0;
};

struct LossCurvesOptions {
  double max_epoch = 1;    // the x axis runs to at least this
  bool log_scale = false;  // losses as log₁₀
  const char* train_label = "training probe";
  const char* held_label = "test";  // what the held-out values are of
  float height = 230;               // CSS px of each plot
  float min_width = 300;            // below twice this (and a gap) the plots stack
};

// The loss plot and the accuracy plot, side by side or one under the other: `train` solid,
// `held` (a validation or test set, often sampled less often; may be empty) faint in the loss
// plot and marked in the accuracy plot. Hover a plot for the numbers of the nearest samples.
// Does nothing while `train` is empty.
void LossCurves(const char* id, std::span<const LossSample> train, std::span<const LossSample> held,
                const LossCurvesOptions& options);

}  // namespace implay::app
