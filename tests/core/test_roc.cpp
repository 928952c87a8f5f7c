// test_roc.cpp — the ROC curve, AUC and threshold metrics of core/eval/roc.hpp: the lecture's 4
// positives / 5 negatives, ties, and AUC values computed once with scikit-learn's roc_auc_score
// (1.x, Debian python3-sklearn) and stored here as numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/eval/roc.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {
// 4 positives, 5 negatives, scores decreasing: P P N P | N N P | N N.
const std::vector<int> kLectureLabels = {1, 1, 0, 1, 0, 0, 1, 0, 0};
const std::vector<double> kLectureScores = {0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3};
}  // namespace

TEST_CASE("lecture example: TPR 3/4 at FPR 1/5, then 4/4 at 3/5") {
  const ThresholdMetrics a = metrics_at_threshold(kLectureScores, kLectureLabels, 0.8);
  CHECK(a.tp == 3);
  CHECK(a.tp + a.fn == 4);
  CHECK(a.fp == 1);
  CHECK(a.fp + a.tn == 5);
  CHECK(a.tpr == doctest::Approx(0.75));
  CHECK(a.fpr == doctest::Approx(0.2));
  CHECK(a.precision == doctest::Approx(0.75));
  CHECK(a.accuracy == doctest::Approx(7.0 / 9));
  CHECK(a.confusion() == std::array<std::array<int, 2>, 2>{{{4, 1}, {1, 3}}});
  const ThresholdMetrics b = metrics_at_threshold(kLectureScores, kLectureLabels, 0.5);
  CHECK(b.tp == 4);
  CHECK(b.fn == 0);
  CHECK(b.fp == 3);
  CHECK(b.tn == 2);
  CHECK(b.tpr == 1.0);
  CHECK(b.fpr == doctest::Approx(0.6));
}

TEST_CASE("lecture example: curve points and AUC equal scikit-learn's") {
  const RocCurve c = roc_curve(kLectureScores, kLectureLabels);
  CHECK(c.positives == 4);
  CHECK(c.negatives == 5);
  // sklearn roc_curve(drop_intermediate=False): fpr, tpr.
  const std::vector<double> fpr = {0.0, 0.0, 0.0, 0.2, 0.2, 0.4, 0.6, 0.6, 0.8, 1.0};
  const std::vector<double> tpr = {0.0, 0.25, 0.5, 0.5, 0.75, 0.75, 0.75, 1.0, 1.0, 1.0};
  REQUIRE(c.points.size() == fpr.size());
  CHECK(std::isinf(c.points[0].threshold));
  for (size_t k = 0; k < fpr.size(); ++k) {
    CHECK(c.points[k].fpr == doctest::Approx(fpr[k]));
    CHECK(c.points[k].tpr == doctest::Approx(tpr[k]));
  }
  CHECK(c.points[4].threshold == 0.8);
  CHECK(c.points[4].tp == 3);
  CHECK(c.points[4].fp == 1);
  CHECK(c.auc == doctest::Approx(0.8).epsilon(1e-12));  // roc_auc_score: 0.8
}

TEST_CASE("tied scores form one diagonal step; AUC equals scikit-learn's") {
  const std::vector<int> y = {1, 0, 0, 1, 1, 1, 0};
  const std::vector<double> s = {0.5, 0.5, 0.2, 0.8, 0.5, 0.2, 0.9};
  const RocCurve c = roc_curve(s, y);
  // sklearn: fpr (0, 1/3, 1/3, 2/3, 1), tpr (0, 0, 1/4, 3/4, 1), AUC 0.45833333333333337.
  REQUIRE(c.points.size() == 5);
  CHECK(c.points[3].threshold == 0.5);
  CHECK(c.points[3].tp == 3);
  CHECK(c.points[3].fp == 2);
  CHECK(c.points[3].fpr == doctest::Approx(2.0 / 3));
  CHECK(c.points[3].tpr == doctest::Approx(0.75));
  CHECK(c.auc == doctest::Approx(0.45833333333333337).epsilon(1e-12));

  const std::vector<int> y2 = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0};
  const std::vector<double> s2 = {0.1, 0.4, 0.35, 0.8, 0.7, 0.4, 0.2, 0.9, 0.35, 0.35, 0.6, 0.05};
  CHECK(roc_auc(s2, y2) == doctest::Approx(0.7638888888888888).epsilon(1e-12));  // sklearn
  CHECK(roc_curve(s2, y2).points.size() == 10);

  // Every score tied: one step from (0,0) to (1,1), AUC ½ (sklearn: 0.5).
  const RocCurve flat = roc_curve(std::vector<double>{0.3, 0.3, 0.3, 0.3}, std::vector<int>{1, 0, 1, 0});
  CHECK(flat.points.size() == 2);
  CHECK(flat.auc == 0.5);
}

TEST_CASE("precision is NaN when nothing is predicted positive") {
  const ThresholdMetrics m = metrics_at_threshold(kLectureScores, kLectureLabels, 2.0);
  CHECK(m.tp == 0);
  CHECK(m.fp == 0);
  CHECK(std::isnan(m.precision));
  CHECK(m.accuracy == doctest::Approx(5.0 / 9));
}

TEST_CASE("degenerate ROC input is an implay::Error naming the problem") {
  const std::vector<double> two = {0.1, 0.2};
  CHECK(error_of([&] { roc_curve(two, std::vector<int>{1, 1}); }).find("every label is 1") != std::string::npos);
  CHECK(error_of([&] { roc_curve(two, std::vector<int>{0, 0}); }).find("every label is 0") != std::string::npos);
  CHECK(error_of([&] { roc_curve(std::vector<double>{}, std::vector<int>{}); }).find("no examples") !=
        std::string::npos);
  CHECK(error_of([&] { roc_curve(two, std::vector<int>{0, 2}); }) == "ROC: label 2 of example 2 is not 0 or 1");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(error_of([&] {
          roc_curve(std::vector<double>{nan, 0.2}, std::vector<int>{0, 1});
        }) == "ROC: score of example 1 is NaN (scores must be finite numbers)");
  CHECK(error_of([&] { roc_curve(two, std::vector<int>{0}); }) == "ROC: 2 scores but 1 labels (one label per score)");
  CHECK(error_of([&] {
          metrics_at_threshold(two, std::vector<int>{1, 1}, 0.5);
        }).find("every label is 1") != std::string::npos);
}

TEST_CASE("parse_roc_csv: header in any order, no header, and every bad row named by line") {
  const RocData d = parse_roc_csv("\xEF\xBB\xBFid,score,label\r\n7,0.9,1\r\n\r\n8,0.1,0\r\n", "r.csv");
  CHECK(d.labels == std::vector<int>{1, 0});
  CHECK(d.scores == std::vector<double>{0.9, 0.1});
  CHECK(parse_roc_csv("1,0.5\n0,0.25\n", "r.csv").scores == std::vector<double>{0.5, 0.25});
  using implay::testing::error_of;
  // A duplicated label column used to win silently.
  CHECK(error_of([] { parse_roc_csv("label,score,label\n1,0.5,0\n", "dup.csv"); }) ==
        "dup.csv: line 1: the header names a column label twice (columns 1 and 3)");
  CHECK(error_of([] { parse_roc_csv("label,value\n1,0.5\n", "h.csv"); }) ==
        "h.csv: line 1: the header needs columns named label and score (e.g. \"label,score\")");
  // A first row with a number is data, not a header.
  CHECK(error_of([] { parse_roc_csv("1,abc\n", "m.csv"); }) == "m.csv: line 1: score \"abc\" is not a finite number");
  CHECK(error_of([] { parse_roc_csv("label,score\n2,0.5\n", "l.csv"); }) == "l.csv: line 2: label \"2\" is not 0 or 1");
  CHECK(error_of([] { parse_roc_csv("label,score\n1,nan\n", "n.csv"); }) ==
        "n.csv: line 2: score \"nan\" is not a finite number");
  CHECK(error_of([] { parse_roc_csv("label,score\n1,0.5,3\n", "w.csv"); }) ==
        "w.csv: line 2: has 3 values, expected 2");
  CHECK(error_of([] { parse_roc_csv("label,score\n", "e.csv"); }) ==
        "e.csv: no data rows (expected a header label,score and one row per example)");
}
