// csv.cpp — the labelled CSV loader (see csv.hpp): lines → fields → checked numbers.
// Numbers are validated by hand first (a strict decimal syntax), then converted: plain small
// integers directly (MNIST-style pixel files are mostly those), anything else with strtod.
#include "core/data/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/data/idx.hpp"
#include "core/error.hpp"

namespace implay {
namespace {

using std::to_string;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True for [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?: the numbers a CSV writer
// emits. strtod alone would also take "nan", "inf", "0x1p3" and leading spaces, none of which
// should silently become a feature.
bool is_decimal_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

// The value of a field that passed is_decimal_number.
double decimal_value(std::string_view s) {
  // Fast path: up to 9 plain digits are exact in an int (pixels, labels, counts).
  if (s.size() <= 9 && std::all_of(s.begin(), s.end(), is_digit)) {
    int value = 0;
    for (char c : s) value = value * 10 + (c - '0');
    return double(value);
  }
  // strtod needs a terminated string; the view points into the middle of the file's text.
  char small[64];
  std::string large;
  const char* text = small;
  if (s.size() < sizeof(small)) {
    std::memcpy(small, s.data(), s.size());
    small[s.size()] = '\0';
  } else {
    large.assign(s);
    text = large.c_str();
  }
  return std::strtod(text, nullptr);
}

}  // namespace

void split_csv_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(trim(line.substr(start)));
      return;
    }
    fields.push_back(trim(line.substr(start, comma - start)));
    start = comma + 1;
  }
}

std::optional<double> parse_csv_number(std::string_view field) {
  if (!is_decimal_number(field)) return std::nullopt;
  const double value = decimal_value(field);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

namespace {

std::string quoted(std::string_view s) {
  constexpr size_t kShown = 40;  // a runaway field (a whole binary line) is cut, not dumped
  if (s.size() > kShown) return "\"" + std::string(s.substr(0, kShown)) + "...\"";
  return "\"" + std::string(s) + "\"";
}

std::string values(size_t n) { return to_string(n) + (n == 1 ? " value" : " values"); }

}  // namespace

int LabeledCsv::num_classes() const {
  int highest = -1;
  for (uint8_t label : labels) highest = std::max<int>(highest, label);
  return highest + 1;
}

std::vector<uint8_t> LabeledCsv::features_u8() const {
  std::vector<uint8_t> out(features.size());  // (N, D)
  std::transform(features.begin(), features.end(), out.begin(),
                 [](float x) { return uint8_t(std::clamp(x, 0.0f, 255.0f)); });
  return out;
}

LabeledCsv parse_labeled_csv(std::string_view text, const std::string& source) {
  // Excel and some Windows tools start UTF-8 files with a byte order mark (for_each_csv_line skips it).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // An IDX or gzip file handed over by mistake: say so instead of "line 2 has 1 value".
  const size_t probe = std::min<size_t>(text.size(), 4096);
  if (const size_t zero = text.substr(0, probe).find('\0'); zero != std::string_view::npos)
    throw Error(source + ": not a text file (a zero byte at offset " + to_string(zero) +
                "); expected CSV text: a label, then features, per line");

  LabeledCsv out;
  std::vector<std::string_view> fields;  // (C) fields of the current line
  size_t columns = 0;                    // C = D + 1, fixed by the first non-blank line
  int reference_line = 0;                // the line that fixed C, named in ragged-row errors
  bool reference_is_header = false;
  bool all_u8 = true;
  for_each_csv_line(text, [&](int line_number, std::string_view line) {
    if (trim(line).empty()) return;

    split_csv_fields(line, fields);
    const std::string where = source + ": line " + to_string(line_number);
    if (columns == 0) {
      if (fields.size() < 2)
        throw Error(where + " has " + values(fields.size()) +
                    "; a labelled CSV needs a label and at least one feature per row");
      columns = fields.size();
      reference_line = line_number;
      // A header names its columns: no field of it is a number. A first row with some numbers
      // and some text is a data row with a typo, reported below, not a header to drop.
      if (std::none_of(fields.begin(), fields.end(), is_decimal_number)) {
        reference_is_header = true;
        out.header.assign(fields.begin(), fields.end());
        return;
      }
    } else if (fields.size() != columns) {
      throw Error(where + " has " + values(fields.size()) + ", expected " + to_string(columns) + " like line " +
                  to_string(reference_line) + (reference_is_header ? " (the header)" : ""));
    }

    // Column 1: the class label.
    const std::string_view label_text = fields[0];
    if (!is_decimal_number(label_text))
      throw Error(where + ": label " + quoted(label_text) + " is not a number (expected a class 0..255)");
    const double label = decimal_value(label_text);
    if (label != std::floor(label))
      throw Error(where + ": label " + quoted(label_text) + " is not an integer (expected a class 0..255)");
    if (label < 0) throw Error(where + ": label " + quoted(label_text) + " is negative (expected a class 0..255)");
    if (label > 255) throw Error(where + ": label " + quoted(label_text) + " is above 255 (expected a class 0..255)");
    out.labels.push_back(uint8_t(label));

    // Columns 2..C: the features.
    for (size_t c = 1; c < columns; ++c) {
      const std::string_view field = fields[c];
      const std::string at = where + ", column " + to_string(c + 1) + ": ";
      if (field.empty()) throw Error(at + "empty value (expected a number)");
      if (!is_decimal_number(field)) throw Error(at + quoted(field) + " is not a number");
      const double value = decimal_value(field);
      if (!(std::fabs(value) <= kMaxCsvFeature))
        throw Error(at + quoted(field) +
                    " is too large: features must lie within ±1e15 (their squared distances "
                    "must fit a float)");
      all_u8 = all_u8 && value >= 0 && value <= 255 && value == std::floor(value);
      out.features.push_back(float(value));
    }
    ++out.rows;
  });

  if (columns == 0) throw Error(source + ": empty file: no data rows (blank lines only)");
  if (out.rows == 0) throw Error(source + ": no data rows: only a header on line " + to_string(reference_line));
  out.dim = int(columns - 1);
  out.features_are_u8 = all_u8;
  return out;
}

LabeledCsv load_labeled_csv(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return parse_labeled_csv(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

}  // namespace implay
