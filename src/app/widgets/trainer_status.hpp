// trainer_status.hpp — what a tab that trains a net on MNIST in the page shows under its Train
// button: how many images are loaded (and the offer of the full set), the preparation's
// progress, then the trainer's progress, epoch and batch, examples/s and the latest test
// accuracy. Shared by the Neural net lab's MNIST tab and the Convolution lab's CNN tab.
#pragma once
#include <string>
#include <vector>

#include "app/widgets/loss_curves.hpp"
#include "core/nn/minibatch_trainer.hpp"

namespace implay::app {

struct LabContext;

// The loaded set, "Load all 60,000 / 10,000" while only the subset is there, the error if any,
// and while preparing `converted` of `to_convert` images.
void MnistTrainData(LabContext& ctx, const std::string& error, int converted, int to_convert);

// Progress (probe `probe`), epoch and batch, examples/s over `train_seconds` of compute, and the
// test accuracy after the latest epoch.
void TrainerProgress(LabContext& ctx, const MinibatchTrainer& trainer, double train_seconds, const char* probe);

// Appends the trainer's curve points from `taken` on to the plotted curves (held: the points
// with a validation evaluation) and advances `taken`.
void take_curve_points(const MinibatchTrainer& trainer, size_t& taken, std::vector<LossSample>& train,
                       std::vector<LossSample>& held);

}  // namespace implay::app
