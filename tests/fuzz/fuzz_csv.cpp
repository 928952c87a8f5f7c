// fuzz_csv.cpp — libFuzzer target for core/data/csv.hpp's parse_labeled_csv (the CLI's --train/--test
// files, tables dropped on the page). Any text either parses or throws implay::Error; a table
// that parses has consistent shapes and only finite features, which the k-NN kernels rely on.
#include <cmath>

#include "core/data/csv.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = implay::fuzz::accepted(
      [&] { return implay::parse_labeled_csv(implay::fuzz::as_text(data, size), implay::fuzz::kSource); });
  if (!parsed) return 0;
  const implay::LabeledCsv& csv = *parsed;
  FUZZ_CHECK(csv.rows >= 1 && csv.dim >= 1);
  FUZZ_CHECK(csv.features.size() == size_t(csv.rows) * size_t(csv.dim));
  FUZZ_CHECK(csv.labels.size() == size_t(csv.rows));
  FUZZ_CHECK(csv.header.empty() || csv.header.size() == size_t(csv.dim) + 1);
  for (float f : csv.features) FUZZ_CHECK(std::isfinite(f));
  if (csv.features_are_u8) FUZZ_CHECK(csv.features_u8().size() == csv.features.size());
  FUZZ_CHECK(csv.num_classes() >= 1 && csv.num_classes() <= 256);
  return 0;
}
