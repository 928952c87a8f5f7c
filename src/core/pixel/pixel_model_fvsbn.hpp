// pixel_model_fvsbn.hpp — minibatch training of the FVSBN of pixel_model.hpp on binarized
// images, in bounded slices through SlicedPixelTrainer (pixel_trainer.hpp, shared with NADE's
// trainer), so the browser's main loop trains without threads. train_fvsbn() runs it to the end.
#pragma once
#include <vector>

#include "core/pixel/pixel_model.hpp"
#include "core/pixel/pixel_trainer.hpp"

namespace implay {

// Defaults measured on binarized MNIST (60 000 train / 10 000 test, pixel ≥ 128), mean test
// −log p(x) in nats after epochs 1, 2, 3: α = 0.02: 80.65, 77.67, 76.59; α = 0.01: 82.80,
// 78.87, 77.64; α = 0.05: 86.15, 80.61, 78.04; α = 0.003: 98.91, 90.91, 88.09 (for scale: the
// independent baseline 205.85, 10-neighbour context counts 83.30). 3 epochs with a 10 000-image
// evaluation after each: 4.2 s natively (9.5 s with the earlier dense GEMM kernels); one epoch
// alone 1.6–2.2 s in headless Chromium (bench/browser/sketch_run.mjs; one busy 2-core machine).
// Adam with α = 0.02 halved after every epoch, B = 100, 3 epochs (PixelTrainSchedule's defaults
// but for α).
struct FvsbnTrainOptions : PixelTrainSchedule {
  FvsbnTrainOptions() { learning_rate = 2e-2f; }
  float init_alpha = 1.0f;  // b starts at the logits of the α-smoothed pixel frequencies, W = 0
};

// Views `train` and `validation` (they must outlive the trainer and stay unchanged).
class FvsbnTrainer final : public SlicedPixelTrainer {
 public:
  // Throws implay::Error for an empty training set, validation images of another size,
  // batch_size < 1, epochs < 0 or learning_rate ≤ 0.
  FvsbnTrainer(const BinaryImages& train, const FvsbnTrainOptions& options, const BinaryImages* validation = nullptr);
  FvsbnTrainer(BinaryImages&&, const FvsbnTrainOptions&, const BinaryImages* = nullptr) = delete;

  const FvsbnModel& model() const override { return model_; }

 private:
  double minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) override;
  Eigen::VectorXf& parameters() override { return model_.params; }
  FvsbnModel model_;
};

FvsbnModel train_fvsbn(const BinaryImages& train, const FvsbnTrainOptions& options,
                       const BinaryImages* validation = nullptr, std::vector<TrainEpochStats>* history = nullptr);

}  // namespace implay
