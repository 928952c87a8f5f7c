// roc_lab.hpp — the ROC & AUC lab's state: a discriminator (a 1-D toy with two score
// distributions, or MNIST digit A vs digit B scored by logistic classifiers trained in place),
// a threshold, and a second classifier for comparison. roc_lab.cpp draws; core/eval/roc.hpp computes,
// core/linear/ trains the classifiers (a sliced job: a bounded amount per frame).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/roc.hpp"
#include "core/eval/score_toy.hpp"
#include "core/linear/features.hpp"
#include "core/linear/linear_train.hpp"

namespace implay::app {

struct LabContext;
class UrlParams;
template <class State>
struct UrlTable;

enum class RocSource { Toy, Mnist };

// One scorer's scores on the same examples, and its curve.
struct ScoredSet {
  std::string name;
  std::vector<double> scores;  // (n)
  std::vector<int> labels;     // (n) 1 = positive
  RocCurve curve;
  bool valid = false;
};

// The inputs of the toy's two score sets: a change redraws them.
struct RocToyKey {
  double separation = -1, spread = -1;  // of A (B has the same spread)
  float b_separation = -1;
  bool operator==(const RocToyKey&) const = default;
};

// What the MNIST classifiers are trained on: a change restarts the training job.
struct RocMnistKey {
  int digit_a = -1, digit_b = -1;
  int generation = -1;  // DataState::generation
  bool operator==(const RocMnistKey&) const = default;
};

// One logistic classifier being built: its features extracted a slice of rows at a time, then
// trained a few minibatches at a time.
struct RocClassifierJob {
  std::string name;
  FeatureExtractor extractor;
  RowMatrixXf train_x, test_x;             // (N, F), (T, F), filled row by row
  int train_rows = 0, test_rows = 0;       // rows extracted so far
  std::unique_ptr<LinearTrainer> trainer;  // views train_x once it is complete
};

// Training the two classifiers of digit A vs digit B, raw pixels then HoG, in frame slices. The
// same options, seed and data order as one train_linear() call, so the curves are the same.
struct RocTrainJob {
  RocMnistKey key;
  LabeledImages train, test;        // the two digits' images, labels 1 = A, 0 = B
  RocClassifierJob classifiers[2];  // raw pixels, HoG
  int current = 0;                  // the classifier being built (2: done)
  double ms = 0;                    // compute time so far
  double longest_slice_ms = 0;      // the longest frame slice
};

struct RocLabState {
  RocSource source = RocSource::Toy;
  RocSource shown_source = RocSource::Toy;  // the source of the curves in a, b
  bool select_tab = true;
  ScoreToyParams toy{1.5, 1.0, 200, 200, 1};    // classifier A of the toy
  float toy_b_separation = 0.7f;                // classifier B: same spread, less separation
  RocToyKey toy_key;                            // what a, b show in the toy
  int digit_a = 3, digit_b = 8;                 // MNIST: positives are digit A, negatives digit B
  RocMnistKey mnist_key;                        // what a, b show on MNIST (or the job trains for)
  std::unique_ptr<RocTrainJob> job;             // the classifiers being trained, if any
  double job_ms = 0, job_longest_slice_ms = 0;  // of the last finished job
  ScoredSet a, b;                               // the two classifiers compared
  bool compare = true;                          // draw B's curve as well
  double threshold = 0.75;
  int hovered_segment = -1;
  std::string error;
};

// ?mode=toy|mnist&threshold=0.5&separation=1.5&spread=1&a=3&b=8: what the address holds.
const UrlTable<RocLabState>& roc_url_table();
void apply_roc_url(RocLabState& s, UrlParams& params);  // after the table: b is not a
// Redraws the toy or advances the MNIST training job by one bounded slice: before draw.
void update_roc_lab(RocLabState& s, LabContext& ctx);
void background_roc_lab(RocLabState& s, LabContext& ctx);  // a running job keeps going
void draw_roc_lab(RocLabState& s, LabContext& ctx);
nlohmann::json roc_state_json(const RocLabState& s);

}  // namespace implay::app
