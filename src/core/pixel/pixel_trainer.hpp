// pixel_trainer.hpp — what the trained pixel models' trainers share (FVSBN: pixel_model_fvsbn.hpp,
// NADE: pixel_model_nade.hpp): their schedule of minibatches, epochs and optimizer
// (optim/optimizer.hpp), the per-epoch record, the PixelModelTrainer interface the lab drives, and
// SlicedPixelTrainer, which runs all of it in bounded slices (step(max_units)) like
// linear_train.hpp's LinearTrainer, so the browser's main loop trains without threads.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "core/optim/curve.hpp"
#include "core/optim/optimizer.hpp"
#include "core/pixel/pixel_model.hpp"

namespace implay {

inline constexpr int kMaxPixelModelEpochs = 100;     // an MNIST epoch takes seconds: 100 is hours
inline constexpr int kMaxPixelModelBatch = 1 << 16;  // B

// What FvsbnTrainOptions and NadeTrainOptions share: the optimizer (Adam by default, α decayed
// after every epoch) and the minibatch schedule.
struct PixelTrainSchedule : OptimizerOptions {
  int batch_size = 100;     // B images per update (the last batch takes N mod B)
  int epochs = 3;           // passes over the reshuffled training set
  uint64_t seed = 1;        // every epoch's shuffle (and a model's initial weights)
  int validation_rows = 0;  // validation images evaluated after each epoch: 0 = all
  int curve_every = 0;      // also put a point on curve() every this many minibatches (0: only
                            // the epochs' ends)
};

struct TrainEpochStats {
  int epoch = 0;              // epochs completed (0 = before training)
  double train_nll = 0;       // mean of the minibatch losses during the epoch, nats per image
                              // (NaN for epoch 0)
  double validation_nll = 0;  // mean −log p(x) on the validation rows (NaN when there are none)
  float learning_rate = 0;    // α used during the epoch
};

// One point of PixelModelTrainer::curve(), in nats per image:
//  - train: the mean −log p(x) of this epoch's minibatches so far (their losses as trained on,
//    before each one's update); at an epoch_end point the whole epoch's, TrainEpochStats::train_nll;
//  - validation: the mean −log p(x) on the validation rows at epoch_end points; NaN between
//    them and when there is no validation set.
// epoch_end points come one per history() entry; points in between every
// PixelTrainSchedule::curve_every minibatches when it is > 0.
using PixelCurvePoint = CurvePoint<double>;

// The one interface the lab drives the trained pixel models (FVSBN, NADE) through.
class PixelModelTrainer {
 public:
  virtual ~PixelModelTrainer() = default;
  // At most max_units units: one unit is a training minibatch or one evaluation block of B
  // validation images. Returns done().
  virtual bool step(int max_units) = 0;
  virtual bool done() const = 0;
  virtual int epoch() const = 0;  // epochs completed
  virtual int batch() const = 0;  // minibatches done in this epoch
  virtual int batches_per_epoch() const = 0;
  virtual float progress() const = 0;  // 0..1
  virtual const PixelModel& model() const = 0;
  virtual const std::vector<TrainEpochStats>& history() const = 0;  // after each epoch
  virtual const std::vector<float>& batch_losses() const = 0;       // every minibatch's L
  virtual const std::vector<PixelCurvePoint>& curve() const = 0;    // in the order recorded
  // Why training stopped early: empty while it is healthy. A NaN or infinite loss or parameter
  // stops it (done() becomes true) with a message naming the epoch, the minibatch and the
  // learning rate; model() is then the last good one, from before the step that broke it.
  virtual const std::string& failure() const = 0;
};

// The machinery both trainers share: shuffled minibatches, the optimizer on the flat parameter
// vector, validation after each epoch, all in bounded slices. A derived trainer builds its model,
// calls allocate_optimizer() and supplies the loss.
class SlicedPixelTrainer : public PixelModelTrainer {
 public:
  bool step(int max_units) final;
  bool done() const final { return done_; }
  int epoch() const final { return epoch_; }
  int batch() const final { return batch_; }
  int batches_per_epoch() const final { return batches_per_epoch_; }
  float progress() const final;
  const std::vector<TrainEpochStats>& history() const final { return history_; }
  const std::vector<float>& batch_losses() const final { return batch_losses_; }
  const std::vector<PixelCurvePoint>& curve() const final { return curve_; }
  const std::string& failure() const final { return failure_; }

 protected:
  // Throws implay::Error (naming `model_name`) for an empty training set, validation images of
  // another size, batch_size outside 1..kMaxPixelModelBatch, epochs outside
  // 0..kMaxPixelModelEpochs or a learning rate that is not finite and > 0.
  SlicedPixelTrainer(const BinaryImages& train, const PixelTrainSchedule& schedule, const BinaryImages* validation,
                     const char* model_name);
  void allocate_optimizer(Eigen::Index num_params);  // gradient and optimizer state, zero
  // Mean loss of the minibatch x (B, D) column-major 0/1, its gradient into grad (P).
  virtual double minibatch_loss(const Eigen::MatrixXf& x, Eigen::Ref<Eigen::VectorXf> grad) = 0;
  virtual Eigen::VectorXf& parameters() = 0;  // (P) the model's flat parameters

 private:
  void train_one_batch();
  void finish_epoch();
  void fail(const char* what);  // restores last_good_, records failure_, stops
  const char* model_name_;
  const BinaryImages* train_;
  const BinaryImages* validation_;
  PixelTrainSchedule schedule_;
  ScheduledOptimizer optimizer_;  // the rule's state and α of the current epoch
  std::vector<int32_t> order_;    // (N) this epoch's order
  Eigen::MatrixXf batch_x_;       // (B, D) column-major 0/1
  Eigen::VectorXf grad_;          // (P) gradient
  Eigen::VectorXf last_good_;     // (P) the parameters before the latest update
  uint64_t shuffle_seed_ = 0;
  bool done_ = false, evaluating_ = false;
  int epoch_ = 0, batch_ = 0, batches_per_epoch_ = 0;
  int eval_rows_ = 0, eval_next_ = 0;
  double eval_sum_ = 0, epoch_loss_sum_ = 0;
  long long units_done_ = 0, units_total_ = 0;
  std::vector<TrainEpochStats> history_;
  std::vector<PixelCurvePoint> curve_;
  std::vector<float> batch_losses_;
  std::string failure_;
};

// Steps a trainer to the end; its per-epoch history into *history when given. Throws
// implay::Error with trainer.failure() when training diverged.
void run_to_end(PixelModelTrainer& trainer, std::vector<TrainEpochStats>* history);

}  // namespace implay
