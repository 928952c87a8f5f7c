// csv.hpp — labelled CSV tables: each row is an integer class label (0..255) followed by numeric
// features, as MNIST-in-CSV and scikit-learn exports are laid out. Parsing works on text in memory
// (tests, the browser) or on a file (the CLI); the result feeds the k-NN search in knn.hpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace implay {

// The accepted format, in full:
//  - fields are separated by commas; spaces and tabs around a field are ignored; no quoting
//    (a quoted field is simply not a number, so only a header line may contain one);
//  - the first column is the class label: an integer 0..255 ("3" or "3.0", not "3.5", "-1", "256");
//  - the other columns are features: decimal numbers ("0", "-1.5", "2.5e-3") within ±1e15; NaN,
//    infinities, hex, empty fields and larger values are rejected, so a later distance (a sum of
//    squares in float) never sees or makes a non-finite value;
//  - the first non-blank line is a header when none of its fields is a number (a first row with
//    numbers and a stray word is an error naming its line and column, not a header);
//  - blank lines are skipped; "\n" and "\r\n" line ends both work; a UTF-8 byte order mark is ignored;
//  - every row has the same number of fields (header included): at least a label and one feature.
inline constexpr double kMaxCsvFeature = 1e15;  // |feature| ≤ this: D · (2e15)² fits a float for D < 8·10⁷

struct LabeledCsv {
  int rows = 0;                     // N data rows
  int dim = 0;                      // D features per row (columns − 1)
  std::vector<float> features;      // (N, D) row-major float
  std::vector<uint8_t> labels;      // (N) class labels 0..255
  bool features_are_u8 = false;     // every feature is an integer in 0..255 (e.g. MNIST pixels),
                                    // so the exact uint8 kernels apply (see features_u8())
  std::vector<std::string> header;  // (D + 1) column names from the header line; empty if none

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

// Reads the file (read_file_bytes) and parses it; errors name the path.
LabeledCsv load_labeled_csv(const std::string& path);

// The pieces other CSV readers (roc.hpp's label,score files) share with this one, so that every
// CSV in the project accepts the same numbers and splits lines the same way.
// The fields of one line, split at commas, spaces and tabs around each trimmed: (C) views into line.
void split_csv_fields(std::string_view line, std::vector<std::string_view>& fields);
// A field in the strict decimal syntax above ("-1.5", "2.5e-3"; not "nan", "inf", "0x10", ""), as a
// double; nullopt otherwise (and for a value beyond double's range).
std::optional<double> parse_csv_number(std::string_view field);
// Calls on_line(line_number, line) for every line of text (numbered from 1, "\r\n" and "\n"
// ends, the end stripped); a UTF-8 byte order mark at the start is skipped.
template <class OnLine>
void for_each_csv_line(std::string_view text, OnLine&& on_line) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(++line_number, line);
  }
}

}  // namespace implay
