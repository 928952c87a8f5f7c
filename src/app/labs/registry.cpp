// registry.cpp — the lab registry: one row per lab, in navigation order. The only file that
// names every lab; app.cpp walks this table. Adding a lab is a folder under app/labs/ and a row
// here (docs/ARCHITECTURE.md, "Adding a lab").
#include "app/lab.hpp"
#include "app/labs/data_lab.hpp"
#include "app/labs/knn_lab.hpp"
#include "app/labs/linear_lab.hpp"
#include "app/labs/prob_lab.hpp"
#include "app/labs/roc_lab.hpp"
#include "app/labs/sketch_lab.hpp"

namespace implay::app {

const std::vector<LabRow>& lab_registry() {
  static const std::vector<LabRow> rows = {
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
      {"nn", "Neural net", "A small network learns the spiral \"tendril\" problem a linear model cannot.", 9},
      {"conv", "Convolution", "Filters, feature maps and max-pooling on real digits.", 10},
      lab_row<DataLabState>("data", "MNIST data", "The 70,000 handwritten digits every lab learns from.", 1,
                            {.update = update_data_lab, .draw = draw_data_lab}, LabGroup::Data),
  };
  return rows;
}

}  // namespace implay::app
