// metrics.cpp — argmax, confusion matrix, accuracy (see metrics.hpp).
#include "core/eval/metrics.hpp"

#include <limits>
#include <string>

#include "core/error.hpp"

namespace implay {

std::vector<int> argmax_rows(const Eigen::Ref<const Eigen::MatrixXf>& scores) {
  std::vector<int> out(size_t(scores.rows()), 0);  // (N)
  for (Eigen::Index i = 0; i < scores.rows(); ++i) {
    int best = 0;
    for (Eigen::Index j = 1; j < scores.cols(); ++j)
      if (scores(i, j) > scores(i, best)) best = int(j);  // strict: a tie keeps the smaller class
    out[size_t(i)] = best;
  }
  return out;
}

Eigen::MatrixXi confusion_matrix(std::span<const int> predicted, std::span<const uint8_t> labels, int num_classes) {
  if (num_classes < 1) throw Error("confusion matrix: " + std::to_string(num_classes) + " classes (need at least 1)");
  if (predicted.size() != labels.size())
    throw Error("confusion matrix: " + std::to_string(predicted.size()) + " predictions but " +
                std::to_string(labels.size()) + " labels");
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(num_classes, num_classes);  // (C, C) true × predicted
  for (size_t i = 0; i < labels.size(); ++i) {
    if (predicted[i] < 0 || predicted[i] >= num_classes)
      throw Error("confusion matrix: prediction " + std::to_string(predicted[i]) + " of example " + std::to_string(i) +
                  " is outside 0.." + std::to_string(num_classes - 1));
    if (labels[i] >= num_classes)
      throw Error("confusion matrix: label " + std::to_string(labels[i]) + " of example " + std::to_string(i) +
                  " is outside 0.." + std::to_string(num_classes - 1));
    ++counts(labels[i], predicted[i]);
  }
  return counts;
}

double accuracy(const Eigen::MatrixXi& confusion) {
  const long long total = confusion.cast<long long>().sum();
  return total == 0 ? 0.0 : double(confusion.trace()) / double(total);
}

Eigen::VectorXd per_class_accuracy(const Eigen::MatrixXi& confusion) {
  Eigen::VectorXd out(confusion.rows());  // (C)
  for (Eigen::Index t = 0; t < confusion.rows(); ++t) {
    const long long row = confusion.row(t).cast<long long>().sum();
    out[t] = row == 0 ? std::numeric_limits<double>::quiet_NaN() : double(confusion(t, t)) / double(row);
  }
  return out;
}

}  // namespace implay
