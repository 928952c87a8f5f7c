// roc.cpp — ROC curve, AUC and threshold metrics, and the label,score CSV reader; see roc.hpp.
#include "core/eval/roc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "core/data/csv.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"

namespace implay {
namespace {

// Counts the positives and negatives after checking the input; throws implay::Error.
void check_binary_scores(std::span<const double> scores, std::span<const int> labels, int& positives, int& negatives) {
  if (scores.empty()) throw Error("ROC: no examples (need scores and 0/1 labels)");
  if (scores.size() != labels.size())
    throw Error("ROC: " + std::to_string(scores.size()) + " scores but " + std::to_string(labels.size()) +
                " labels (one label per score)");
  positives = negatives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1)
      throw Error("ROC: label " + std::to_string(labels[i]) + " of example " + std::to_string(i + 1) +
                  " is not 0 or 1");
    if (!std::isfinite(scores[i]))
      throw Error("ROC: score of example " + std::to_string(i + 1) + " is " +
                  (std::isnan(scores[i]) ? "NaN" : "infinite") + " (scores must be finite numbers)");
    (labels[i] == 1 ? positives : negatives) += 1;
  }
  if (positives == 0 || negatives == 0)
    throw Error(std::string("ROC: every label is ") + (positives == 0 ? "0" : "1") +
                " — need at least one positive and one negative (TPR = TP/P and FPR = FP/N)");
}

}  // namespace

RocCurve roc_curve(std::span<const double> scores, std::span<const int> labels) {
  RocCurve curve;
  check_binary_scores(scores, labels, curve.positives, curve.negatives);
  std::vector<size_t> order(scores.size());  // (n) indices by decreasing score
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  const double p = curve.positives, n = curve.negatives;
  curve.points.push_back({std::numeric_limits<double>::infinity(), 0, 0, 0.0, 0.0});
  int tp = 0, fp = 0;
  for (size_t k = 0; k < order.size();) {
    const double threshold = scores[order[k]];
    // Every example tied at this score crosses the threshold together: one step.
    for (; k < order.size() && scores[order[k]] == threshold; ++k) (labels[order[k]] == 1 ? tp : fp) += 1;
    const RocPoint point{threshold, tp, fp, tp / p, fp / n};
    const RocPoint& last = curve.points.back();
    curve.auc += 0.5 * (point.fpr - last.fpr) * (point.tpr + last.tpr);
    curve.points.push_back(point);
  }
  return curve;
}

double roc_auc(std::span<const double> scores, std::span<const int> labels) { return roc_curve(scores, labels).auc; }

ThresholdMetrics metrics_at_threshold(std::span<const double> scores, std::span<const int> labels, double threshold) {
  int positives = 0, negatives = 0;
  check_binary_scores(scores, labels, positives, negatives);
  ThresholdMetrics m;
  m.threshold = threshold;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool predicted = scores[i] >= threshold;
    if (labels[i] == 1)
      (predicted ? m.tp : m.fn) += 1;
    else
      (predicted ? m.fp : m.tn) += 1;
  }
  m.tpr = double(m.tp) / positives;
  m.fpr = double(m.fp) / negatives;
  m.precision = m.tp + m.fp > 0 ? double(m.tp) / (m.tp + m.fp) : std::numeric_limits<double>::quiet_NaN();
  m.accuracy = double(m.tp + m.tn) / double(scores.size());
  return m;
}

RocData parse_roc_csv(std::string_view text, const std::string& source) {
  RocData data;
  std::vector<std::string_view> fields;  // (C) of the current line
  int label_column = 0, score_column = 1;
  size_t columns = 0;  // 0 until the first non-blank line
  for_each_csv_line(text, [&](int line_number, std::string_view line) {
    split_csv_fields(line, fields);
    if (fields.size() == 1 && fields[0].empty()) return;  // blank
    const std::string where = source + ": line " + std::to_string(line_number) + ": ";
    if (columns == 0) {
      columns = fields.size();
      const bool header = std::none_of(fields.begin(), fields.end(),
                                       [](std::string_view f) { return parse_csv_number(f).has_value(); });
      if (header) {
        label_column = score_column = -1;
        for (size_t i = 0; i < fields.size(); ++i) {
          for (auto [name, column] : {std::pair{"label", &label_column}, std::pair{"score", &score_column}}) {
            if (fields[i] != name) continue;
            if (*column >= 0)
              throw Error(where + "the header names a column " + name + " twice (columns " +
                          std::to_string(*column + 1) + " and " + std::to_string(i + 1) + ")");
            *column = int(i);
          }
        }
        if (label_column < 0 || score_column < 0)
          throw Error(where + "the header needs columns named label and score (e.g. \"label,score\")");
        return;
      }
      if (columns < 2) throw Error(where + "expected two columns, label,score");
    }
    if (fields.size() != columns)
      throw Error(where + "has " + std::to_string(fields.size()) + " values, expected " + std::to_string(columns));
    const std::string_view label_text = fields[size_t(label_column)], score_text = fields[size_t(score_column)];
    const std::optional<double> label = parse_csv_number(label_text);
    if (!label || (*label != 0 && *label != 1))
      throw Error(where + "label \"" + std::string(label_text.substr(0, 40)) + "\" is not 0 or 1");
    const std::optional<double> score = parse_csv_number(score_text);
    if (!score) throw Error(where + "score \"" + std::string(score_text.substr(0, 40)) + "\" is not a finite number");
    data.labels.push_back(int(*label));
    data.scores.push_back(*score);
  });
  if (data.labels.empty())
    throw Error(source + ": no data rows (expected a header label,score and one row per example)");
  return data;
}

RocData load_roc_csv(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return parse_roc_csv(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

}  // namespace implay
