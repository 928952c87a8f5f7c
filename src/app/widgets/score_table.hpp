// score_table.hpp — a model's class scores for one input (a drawn digit) as a table: each
// class's score sⱼ, its softmax probability as a bar, and its hinge term against the top class.
// Shared by the labs that classify a drawing with a trained model (linear, neural net).
#pragma once
#include <Eigen/Core>

namespace implay::app {

// Draws nothing when `scores` is empty. The top class is marked.
void ClassScoreTable(const char* id, const Eigen::VectorXf& scores);

}  // namespace implay::app
