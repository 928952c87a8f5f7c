// registry.cpp — the lab registry: one row per lab, in navigation order. The only file that
// names every lab; app.cpp walks this table. Adding a lab is a folder under app/labs/ and a row
// here (docs/ARCHITECTURE.md, "Adding a lab").
#include <string_view>

#include "app/lab.hpp"
#include "app/labs/conv_lab.hpp"
#include "app/labs/data_lab.hpp"
#include "app/labs/knn_lab.hpp"
#include "app/labs/linear_lab.hpp"
#include "app/labs/nn_lab.hpp"
#include "app/labs/prob_lab.hpp"
#include "app/labs/roc_lab.hpp"
#include "app/labs/sketch_lab.hpp"

namespace implay::app {

namespace {

// [SECTION] "Try this": each lab's first tasks ------------------------------------------------
// What a newcomer does first and what to look for, in the lecture's words; a task may name the
// tab it happens on. Kept here, next to the rows, so the lessons of all labs read as one list.

constexpr const char* kKnnTry[] = {
    "2-D points: set k = 1 and drag one point across the boundary. Why does a single point flip a whole "
    "region around it?",
    "Raise k to 15: islands around outliers vanish and the boundary smooths. Which points are now "
    "misclassified by the very training set they belong to?",
    "MNIST: draw a 7 and switch the metric from L2 to cosine. Do the nearest images change? Their "
    "distances show what each metric measures.",
    "Cross-validation of k: run it and find the k with the best mean accuracy. Is k = 1 ever best, and "
    "how wide is the ± 1 std band around it?",
    "Pixel distance ≠ perception: every edit sits at the same L2 distance from the digit. Which ones "
    "would you still read as the same digit?",
};

constexpr const char* kLinearTry[] = {
    "2-D points: drag a class's arrow and watch its shaded side turn. The arrow is w: the class's score "
    "w·x + b grows along it.",
    "Press Play and watch the lines settle. Switch the loss from hinge to softmax: does the data loss "
    "still reach 0 once every point is right?",
    "Raise λ: the weights shrink and the lines loosen. At what λ does the accuracy start to fall?",
    "MNIST: train on raw pixels at a slow speed and watch the first epoch's loss fall. Then read the "
    "confusion matrix: which two digits does the model mix up most? Click that cell to see them.",
    "Softmax vs SVM: make one score much larger than the rest. The hinge loss stops at 0, cross-entropy "
    "never quite does: why?",
};

constexpr const char* kSketchTry[] = {
    "Draw & complete: draw the top half of a digit and read the left map: where does the model expect "
    "ink next?",
    "Scribble something that is not a digit: the right map lights up where the sketch surprised the "
    "model, and log p falls.",
    "Set the temperature to 0, then to 1.5, and press Re-sample: the most likely pixels versus coin flips.",
    "The chain rule: hover the running log p curve. Which pixels cost the most nats, and why do the "
    "first ones cost almost nothing?",
    "Pick NADE as the model (it trains in the page) and compare its log p of your sketch with the context "
    "counts'. Fewer nats: a model that expected your digit.",
};

constexpr const char* kRocTry[] = {
    "1-D toy: drag the threshold from right to left and watch the dot climb the ROC curve: each step up "
    "is a positive let in, each step right a negative.",
    "Lower the separation of A to 0.2: the histograms overlap and the curve falls to the diagonal. What "
    "AUC does a coin flip get?",
    "Compare with the second classifier: where do the two curves cross, and which would you pick if "
    "false positives were expensive?",
    "MNIST: score 3 against 8 and compare raw pixels with HoG features. Which gives the larger AUC?",
};

constexpr const char* kProbTry[] = {
    "Tables & the chain rule: click a row and check that the chain rule's product equals its joint "
    "probability.",
    "Edit one count and watch every probability move: they are all fractions of the same total.",
    "Cross-entropy by hand: drag q of the true class towards 0. How fast does −log q grow, and where "
    "does the clip at ε stop it?",
    "Bayes, MAP and MLE: raise the prior of one hypothesis until MAP and MLE disagree. Which question "
    "does each one answer?",
};

constexpr const char* kNnTry[] = {
    "Pick the \"linear\" preset and press Play: on the 3-arm spiral the best lines stay near 50 %. Then pick "
    "\"16 ReLU\": how many epochs until the test accuracy passes 95 %?",
    "Hover the neurons of the graph: each one's map shows where it fires. Which neurons draw which arm's edge?",
    "Neuron by neuron: with 6 neurons, switch one off and watch a piece of the boundary go. Drag its line back "
    "into place by hand.",
    "Switch ReLU to linear: why can no number of layers bend the boundary now? Then set SGD with a learning "
    "rate of 1: the lab stops at the step where the loss turns to NaN.",
    "MNIST: train 784-100-10 and draw a digit. Which hidden units fire for it, and what do their weight "
    "images look for? Beat the linear lab's test accuracy.",
};

constexpr const char* kConvTry[] = {
    "Sliding filter: the (6, 8) image under two (2, 2) filters gives (2, 5, 7). Set the stride to 2 and the "
    "padding to 1: predict the new shape from the formula, then hover the output cells to check.",
    "Filters on a digit: compare the horizontal and vertical edge maps of a 7. Which strokes light up in each? "
    "Then move the orange patch onto a stroke's end: where else does that filter light up?",
    "Train a CNN: press Train and watch the first layer's filters turn from noise into strokes and edges. Then "
    "draw a digit and read its maps layer by layer.",
    "Why convolution: guess which net suffers when every image's pixels are shuffled the same way, then run the "
    "experiment and read the table.",
    "Turn the digit with the rotate slider until the CNN changes its mind. Now shift it instead: what happens "
    "to the maps, and to the prediction?",
};

// Gives each row its "Try this" tasks, by key.
std::vector<LabRow> with_try_this(std::vector<LabRow> rows) {
  for (LabRow& row : rows) {
    const std::string_view key = row.key;
    if (key == "knn") row.try_this = kKnnTry;
    if (key == "linear") row.try_this = kLinearTry;
    if (key == "sketch") row.try_this = kSketchTry;
    if (key == "roc") row.try_this = kRocTry;
    if (key == "prob") row.try_this = kProbTry;
    if (key == "nn") row.try_this = kNnTry;
    if (key == "conv") row.try_this = kConvTry;
  }
  return rows;
}

}  // namespace

const std::vector<LabRow>& lab_registry() {
  static const std::vector<LabRow> rows = with_try_this({
      lab_row<KnnLabState>("knn", "kNN",
                           "Nearest neighbours: tune k and the distance metric on 2-D points and on MNIST.", 2,
                           {.url_table = knn_url_table,
                            .update = update_knn_lab,
                            .background = background_knn_lab,
                            .draw = draw_knn_lab,
                            .state_json = knn_state_json}),
      lab_row<LinearLabState>(
          "linear", "Linear classifier",
          "Scores s = Wx + b trained live with the multiclass SVM (hinge) loss and softmax cross-entropy.", 3,
          {.url_table = linear_url_table,
           .update = update_linear_lab,
           .background = background_linear_lab,
           .draw = draw_linear_lab,
           .state_json = linear_state_json}),
      lab_row<SketchLabState>(
          "sketch", "Sketch model",
          "The autoregressive pixel model p(x) = Π p(xᵢ | x₍<ᵢ₎): draw, and see what it expects next.", 4,
          {.url_table = sketch_url_table,
           .start = start_sketch_lab,
           .update = update_sketch_lab,
           .draw = draw_sketch_lab,
           .state_json = sketch_state_json,
           .on_file = sketch_on_file}),
      lab_row<RocLabState>("roc", "ROC & AUC",
                           "Thresholds trade true positives for false positives: ROC curves and AUC.", 5,
                           {.url_table = roc_url_table,
                            .apply_url = apply_roc_url,
                            .update = update_roc_lab,
                            .background = background_roc_lab,
                            .draw = draw_roc_lab,
                            .state_json = roc_state_json}),
      lab_row<ProbLabState>(
          "prob", "Probability & losses",
          "Joint and conditional tables, the chain rule, cross-entropy and BCE by hand.", 5,
          {.url_table = prob_url_table, .start = start_prob_lab, .draw = draw_prob_lab, .state_json = prob_state_json}),
      lab_row<NnLabState>("nn", "Neural net",
                          "A small network learns the spiral \"tendril\" problem a linear model cannot.", 9,
                          {.url_table = nn_url_table,
                           .update = update_nn_lab,
                           .background = background_nn_lab,
                           .draw = draw_nn_lab,
                           .state_json = nn_state_json}),
      lab_row<ConvLabState>("conv", "Convolution", "Filters, feature maps and max-pooling on real digits.", 10,
                            {.url_table = conv_url_table,
                             .update = update_conv_lab,
                             .background = background_conv_lab,
                             .draw = draw_conv_lab,
                             .state_json = conv_state_json}),
      lab_row<DataLabState>("data", "MNIST data", "The 70,000 handwritten digits every lab learns from.", 1,
                            {.update = update_data_lab, .draw = draw_data_lab}, LabGroup::Data),
  });
  return rows;
}

}  // namespace implay::app
