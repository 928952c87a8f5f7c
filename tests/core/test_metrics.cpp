// test_metrics.cpp — argmax with ties, the confusion matrix (rows = true class) and accuracy of
// core/eval/metrics.hpp on a hand-counted example, and their error messages.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/eval/metrics.hpp"

using namespace implay;

TEST_CASE("argmax_rows: the first of equal scores wins") {
  Eigen::MatrixXf s(3, 3);
  s << 1, 3, 3,    //
      -1, -2, -3,  //
      0, 0, 0;
  CHECK(argmax_rows(s) == std::vector<int>{1, 0, 0});
}

TEST_CASE("confusion matrix and accuracy of 6 hand-counted predictions") {
  const std::vector<int> predicted = {0, 1, 1, 2, 2, 0};
  const std::vector<uint8_t> labels = {0, 1, 2, 2, 2, 1};
  const Eigen::MatrixXi m = confusion_matrix(predicted, labels, 3);
  Eigen::MatrixXi expected(3, 3);
  expected << 1, 0, 0,  // class 0: one example, right
      1, 1, 0,          // class 1: one right, one called 0
      0, 1, 2;          // class 2: two right, one called 1
  CHECK(m == expected);
  CHECK(accuracy(m) == doctest::Approx(4.0 / 6));
  CHECK(accuracy(predicted, labels) == doctest::Approx(4.0 / 6));
  const Eigen::VectorXd recall = per_class_accuracy(m);
  CHECK(recall[0] == 1.0);
  CHECK(recall[1] == 0.5);
  CHECK(recall[2] == doctest::Approx(2.0 / 3));
  CHECK(std::isnan(per_class_accuracy(confusion_matrix(predicted, labels, 4))[3]));
  CHECK(accuracy(Eigen::MatrixXi::Zero(2, 2)) == 0.0);
}

TEST_CASE("confusion matrix errors name the bad value") {
  std::string message;
  try {
    confusion_matrix(std::vector<int>{0, 5}, std::vector<uint8_t>{0, 1}, 3);
  } catch (const Error& e) {
    message = e.what();
  }
  CHECK(message == "confusion matrix: prediction 5 of example 1 is outside 0..2");
  message.clear();
  try {
    confusion_matrix(std::vector<int>{0}, std::vector<uint8_t>{0, 1}, 3);
  } catch (const Error& e) {
    message = e.what();
  }
  CHECK(message == "confusion matrix: 1 predictions but 2 labels");
}
