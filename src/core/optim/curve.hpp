// curve.hpp — the training curve a trainer records as it goes (LinearTrainer of
// linear/linear_train.hpp, the pixel-model trainers of pixel/pixel_trainer.hpp, next the MLP and
// the CNN), so that what the CLI prints after each epoch and what a lab plots come from one place.
// A point holds the trainer's own measures of the training and the validation data at a
// (fractional) epoch; each trainer documents its Measures.
#pragma once

namespace implay {

template <class Measures>
struct CurvePoint {
  double epoch = 0;         // epochs trained when measured: minibatches done / minibatches per epoch
  bool epoch_end = false;   // true: the evaluation after a whole epoch (epoch 0: before training),
                            // validation included; false: a point in between, recorded every
                            // `curve_every` minibatches when the trainer's options ask for them
  float learning_rate = 0;  // α of the minibatches just before (the first α for epoch 0)
  Measures train{};         // on the training data
  Measures validation{};    // on the validation set (each trainer says what "not measured" is)
};

}  // namespace implay
