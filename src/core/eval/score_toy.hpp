// score_toy.hpp — the ROC lab's 1-D toy discriminator: scores of positives and negatives drawn
// from two normal distributions whose separation and spread the student drags.
#pragma once
#include <cstdint>
#include <vector>

namespace implay {

struct ScoreToyParams {
  double separation = 1.5;  // mean of positives minus mean of negatives (negatives at 0)
  double spread = 1.0;      // standard deviation of both classes, > 0
  int positives = 200;      // P examples with label 1
  int negatives = 200;      // N examples with label 0
  uint64_t seed = 1;
};

struct ScoreToy {
  std::vector<double> scores;  // (P + N) positives first
  std::vector<int> labels;     // (P + N) 1 for positives, 0 for negatives
};

// Throws implay::Error for spread <= 0 or non-positive counts.
ScoreToy make_score_toy(const ScoreToyParams& params);

}  // namespace implay
