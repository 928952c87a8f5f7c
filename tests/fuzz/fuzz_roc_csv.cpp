// fuzz_roc_csv.cpp — libFuzzer target for core/eval/roc.hpp's parse_roc_csv (the CLI's `roc --input`
// files: a scorer's label,score output). Any text either parses or throws implay::Error; what
// parses is n labels of 0/1 and n finite scores, and goes on to roc_curve / roc_auc as `implay roc`
// does (a single class is rejected with implay::Error): the curve runs from (0, 0) to (1, 1)
// without falling back, and the AUC lies in [0, 1] and agrees with roc_auc.
#include <cmath>

#include "core/eval/roc.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = implay::fuzz::accepted(
      [&] { return implay::parse_roc_csv(implay::fuzz::as_text(data, size), implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::RocData& roc = *parsed;
  FUZZ_CHECK(!roc.labels.empty() && roc.labels.size() == roc.scores.size());
  for (int y : roc.labels) FUZZ_CHECK(y == 0 || y == 1);
  for (double s : roc.scores) FUZZ_CHECK(std::isfinite(s));
  const auto curve = implay::fuzz::accepted([&] { return implay::roc_curve(roc.scores, roc.labels); });
  if (!curve) return 0;
  // The documented shape: (0, 0) at +inf first, (1, 1) last, rates never falling.
  const auto& points = curve->points;
  FUZZ_CHECK(points.size() >= 2 && std::isinf(points.front().threshold));
  FUZZ_CHECK(points.front().tpr == 0 && points.front().fpr == 0 && points.back().tpr == 1 && points.back().fpr == 1);
  for (size_t k = 1; k < points.size(); ++k)
    FUZZ_CHECK(points[k].tpr >= points[k - 1].tpr && points[k].fpr >= points[k - 1].fpr);
  FUZZ_CHECK(curve->auc >= 0 && curve->auc <= 1);
  FUZZ_CHECK(implay::roc_auc(roc.scores, roc.labels) == curve->auc);
  return 0;
}
