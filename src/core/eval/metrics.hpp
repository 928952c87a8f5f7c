// metrics.hpp — classification metrics shared by the labs: argmax predictions from scores,
// accuracy and the confusion matrix. (The k-NN lab's accuracy over label spans is defined in
// knn.cpp and declared again here, so linear code need not include knn.hpp.)
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

namespace implay {

// Predicted class of each row of scores (N, C): the argmax, ties → the smallest class
// (numpy's argmax rule). Returns (N).
std::vector<int> argmax_rows(const Eigen::Ref<const Eigen::MatrixXf>& scores);

// Counts (C, C): entry (t, p) = examples of true class t predicted as p. Rows sum to the class
// counts, the diagonal holds the correct predictions. predicted (N), labels (N).
// Throws implay::Error for different lengths or a class outside 0..C−1 (naming it).
Eigen::MatrixXi confusion_matrix(std::span<const int> predicted, std::span<const uint8_t> labels, int num_classes);

// Fraction correct: trace / sum of a confusion matrix (C, C); 0 when it is empty.
double accuracy(const Eigen::MatrixXi& confusion);
// Fraction of predicted (N) equal to labels (N); 0 for N = 0. (Defined in knn.cpp.)
double accuracy(std::span<const int> predicted, std::span<const uint8_t> labels);

// Recall of each class (C): diagonal / row sum, i.e. the fraction of class t's examples
// classified as t; NaN for a class without examples.
Eigen::VectorXd per_class_accuracy(const Eigen::MatrixXi& confusion);

}  // namespace implay
