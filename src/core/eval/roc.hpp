// roc.hpp — the ROC curve of a binary scorer: one point per distinct score threshold, its area
// (AUC, trapezoid rule, equal to scikit-learn's roc_auc_score, ties included), and the counts at one
// threshold (TP, FP, TN, FN and the 2x2 confusion matrix) as integers, so a UI can print "3/4".
// Neighbours: metrics.hpp (multi-class confusion matrix), information.hpp, probability.hpp.
#pragma once
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace implay {

// Decision rule everywhere here: predict positive (1) when score >= threshold.
struct RocPoint {
  double threshold = 0;  // +infinity for the first point (nothing predicted positive)
  int tp = 0;            // positives with score >= threshold
  int fp = 0;            // negatives with score >= threshold
  double tpr = 0;        // TP / P = TP / (TP + FN), the recall
  double fpr = 0;        // FP / N = FP / (FP + TN)
};

struct RocCurve {
  int positives = 0;             // P, examples labelled 1
  int negatives = 0;             // N, examples labelled 0
  std::vector<RocPoint> points;  // (distinct scores + 1): (0,0) at +inf, then the thresholds in
                                 // decreasing order; the last (the lowest score) is (1,1)
  double auc = 0;                // Σ ½ (fpr[k] − fpr[k−1]) (tpr[k] + tpr[k−1])
};

// scores: (n) finite, labels: (n) each 0 or 1, at least one of each. Tied scores form one step
// (a diagonal segment), which is what makes the trapezoid AUC equal P(s+ > s−) + ½ P(s+ = s−).
// Throws implay::Error for empty input, mismatched lengths, a label not 0/1, a NaN or infinite
// score, or labels all equal (TPR or FPR would divide by zero).
RocCurve roc_curve(std::span<const double> scores, std::span<const int> labels);

// The area alone (same checks as roc_curve).
double roc_auc(std::span<const double> scores, std::span<const int> labels);

struct ThresholdMetrics {
  double threshold = 0;
  int tp = 0, fp = 0, tn = 0, fn = 0;  // counts; tp + fn = P, fp + tn = N
  double tpr = 0;                      // tp / (tp + fn)
  double fpr = 0;                      // fp / (fp + tn)
  double precision = 0;                // tp / (tp + fp); NaN when nothing is predicted positive
  double accuracy = 0;                 // (tp + tn) / n
  // Rows: true class 0, 1; columns: predicted class 0, 1 (as metrics.hpp): {{tn, fp}, {fn, tp}}.
  std::array<std::array<int, 2>, 2> confusion() const { return {{{tn, fp}, {fn, tp}}}; }
};

// Counts when predicting 1 for score >= threshold (same checks as roc_curve).
ThresholdMetrics metrics_at_threshold(std::span<const double> scores, std::span<const int> labels, double threshold);

// A scorer's output as the CLI reads it: one example a row.
struct RocData {
  std::vector<int> labels;     // (n) 0 or 1
  std::vector<double> scores;  // (n) finite
};

// A label,score CSV (csv.hpp's numbers and splitting): a header naming the columns `label` and
// `score` once each, in any order, other columns ignored — a header is a first line with no
// number in it — or no header and the two columns label,score. Blank lines are skipped; CRLF and
// a UTF-8 byte order mark work. `source` names the text in messages. Throws implay::Error
// "<source>: line L: ..." for a bad row, a header without (or with two) label or score columns,
// and for text without data rows.
RocData parse_roc_csv(std::string_view text, const std::string& source);
// Reads the file (idx.hpp's read_file_bytes) and parses it; errors name the path.
RocData load_roc_csv(const std::string& path);

}  // namespace implay
