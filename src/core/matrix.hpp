// matrix.hpp — the Eigen types the core's learning code shares (losses.hpp, linear.hpp,
// features.hpp). Samples are rows everywhere: a data set is (N, D) with one example per row.
#pragma once
#include <Eigen/Core>

namespace implay {

// Row-major float matrix: one example is one contiguous row, so a minibatch is gathered by
// copying B rows of D floats (a column-major (N, D) matrix would scatter every example over D
// cache lines) and a class template (a row of W) is one contiguous image.
using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace implay
