// csv.hpp — labelled CSV tables: each row is an integer class label (0..255) followed by numeric
// features, as MNIST-in-CSV and scikit-learn exports are laid out. Parsing works on text in memory
// (tests, the browser) or on a file (the CLI); the result feeds the k-NN search in knn.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace implay {

// The accepted format, in full:
//  - fields are separated by commas; spaces and tabs around a field are ignored; no quoting
//    (a quoted field is simply not a number, so only a header line may contain one);
//  - the first column is the class label: an integer 0..255 ("3" or "3.0", not "3.5", "-1", "256");
//  - the other columns are features: decimal numbers ("0", "-1.5", "2.5e-3"); NaN, infinities,
//    hex and empty fields are rejected, so a later distance never sees a non-finite value;
//  - the first non-blank line is a header when any of its fields is not a number;
//  - blank lines are skipped; "\n" and "\r\n" line ends both work; a UTF-8 byte order mark is ignored;
//  - every row has the same number of fields (header included): at least a label and one feature.
struct LabeledCsv {
  int rows = 0;                      // N data rows
  int dim = 0;                       // D features per row (columns − 1)
  std::vector<float> features;       // (N, D) row-major float
  std::vector<uint8_t> labels;       // (N) class labels 0..255
  bool features_are_u8 = false;      // every feature is an integer in 0..255 (e.g. MNIST pixels),
                                     // so the exact uint8 kernels apply (see features_u8())
  std::vector<std::string> header;   // (D + 1) column names from the header line; empty if none

  // Highest label + 1 (0 when there are no rows): the number of classes a vote needs.
  int num_classes() const;
  // The features as uint8: (N, D) row-major. Only meaningful when features_are_u8.
  std::vector<uint8_t> features_u8() const;
};

// Parses CSV text. `source` names the data in error messages (a path, or e.g. "<memory>").
// Throws implay::Error "<source>: line L: ..." (L 1-based, counting blank lines) for a ragged row
// ("line 7 has 3 values, expected 5 like line 2"), a value that is not a number (quoted), a bad
// label (negative, not an integer, above 255), and for text with no data rows at all.
LabeledCsv parse_labeled_csv(std::string_view text, const std::string& source);

// Reads the file with std::ifstream and parses it; errors name the path.
LabeledCsv load_labeled_csv(const std::string& path);

}  // namespace implay
