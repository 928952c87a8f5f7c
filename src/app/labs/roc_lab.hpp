// roc_lab.hpp — the ROC & AUC lab's state: a discriminator (a 1-D toy with two score
// distributions, or MNIST digit A vs digit B scored by logistic classifiers trained in place),
// a threshold, and a second classifier for comparison. roc_lab.cpp draws; core/eval/roc.hpp computes.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/roc.hpp"
#include "core/eval/score_toy.hpp"

namespace implay::app {

struct LabContext;
class UrlParams;

enum class RocSource { Toy, Mnist };

// One scorer's scores on the same examples, and its curve.
struct ScoredSet {
  std::string name;
  std::vector<double> scores;  // (n)
  std::vector<int> labels;     // (n) 1 = positive
  RocCurve curve;
  bool valid = false;
};

struct RocLabState {
  RocSource source = RocSource::Toy;
  bool select_tab = true;
  ScoreToyParams toy{1.5, 1.0, 200, 200, 1};  // classifier A of the toy
  float toy_b_separation = 0.7f;              // classifier B: same spread, less separation
  int digit_a = 3, digit_b = 8;               // MNIST: positives are digit A, negatives digit B
  int mnist_generation = -1;                  // DataState::generation the classifiers were trained on
  ScoredSet a, b;                             // the two classifiers compared
  bool compare = true;                        // draw B's curve as well
  double threshold = 0.75;
  int hovered_segment = -1;
  std::string error;
};

// ?mode=toy|mnist&threshold=0.5&separation=1.5&spread=1&a=3&b=8
void apply_roc_url(RocLabState& s, UrlParams& params);
void draw_roc_lab(RocLabState& s, LabContext& ctx);
nlohmann::json roc_state_json(const RocLabState& s);

}  // namespace implay::app
