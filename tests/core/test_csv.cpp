// test_csv.cpp — the labelled CSV loader (core/data/csv.hpp): real numbers in, the same numbers out;
// header detection, blank lines, CRLF, the uint8 flag; and every error with its line number.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/csv.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {

std::string parse_error(std::string_view text) {
  return error_of([&] { parse_labeled_csv(text, "t.csv"); });
}

}  // namespace

TEST_CASE("parse_labeled_csv reads labels and float features row-major") {
  const LabeledCsv csv = parse_labeled_csv("3,0.5,-1.25,2e-3\n0,10,1.5E2,-0\n7,+4,.5,6.\n", "mem");
  CHECK(csv.rows == 3);
  CHECK(csv.dim == 3);
  CHECK(csv.labels == std::vector<uint8_t>{3, 0, 7});
  REQUIRE(csv.features.size() == 9);
  // (3, 3): row 0, row 1, row 2
  CHECK(csv.features[0] == 0.5f);
  CHECK(csv.features[1] == -1.25f);
  CHECK(csv.features[2] == doctest::Approx(0.002));
  CHECK(csv.features[3] == 10.0f);
  CHECK(csv.features[4] == 150.0f);
  CHECK(csv.features[5] == 0.0f);
  CHECK(csv.features[6] == 4.0f);
  CHECK(csv.features[7] == 0.5f);
  CHECK(csv.features[8] == 6.0f);
  CHECK_FALSE(csv.features_are_u8);  // 0.5 and negatives
  CHECK(csv.header.empty());
  CHECK(csv.num_classes() == 8);
}

TEST_CASE("parse_labeled_csv flags all-integer 0..255 features as uint8 and converts them exactly") {
  const LabeledCsv csv = parse_labeled_csv("5,0,128,255\n9,17,0,3\n", "mem");
  CHECK(csv.features_are_u8);
  CHECK(csv.features_u8() == std::vector<uint8_t>{0, 128, 255, 17, 0, 3});
  // One value out of 0..255 or with a fraction clears the flag; the label column never counts.
  CHECK_FALSE(parse_labeled_csv("5,0,256\n", "mem").features_are_u8);
  CHECK_FALSE(parse_labeled_csv("5,0,-1\n", "mem").features_are_u8);
  CHECK_FALSE(parse_labeled_csv("5,0,2.5\n", "mem").features_are_u8);
  CHECK(parse_labeled_csv("200,1.0,2\n", "mem").features_are_u8);  // "1.0" is the integer 1
}

TEST_CASE("parse_labeled_csv detects a header when the first line is not all numbers") {
  const LabeledCsv csv = parse_labeled_csv("label, x , y\n1,2,3\n0,4,5\n", "mem");
  CHECK(csv.header == std::vector<std::string>{"label", "x", "y"});
  CHECK(csv.rows == 2);
  CHECK(csv.labels == std::vector<uint8_t>{1, 0});
  CHECK(csv.features == std::vector<float>{2, 3, 4, 5});
  // A numeric first line is data, not a header.
  CHECK(parse_labeled_csv("1,2,3\n", "mem").header.empty());
}

TEST_CASE("parse_labeled_csv skips blank lines and handles CRLF, a missing final newline and a BOM") {
  const LabeledCsv csv = parse_labeled_csv("\xEF\xBB\xBFlabel,a\r\n\r\n1, 2.5\r\n  \r\n\t\n2,3", "mem");
  CHECK(csv.header == std::vector<std::string>{"label", "a"});
  CHECK(csv.rows == 2);
  CHECK(csv.labels == std::vector<uint8_t>{1, 2});
  CHECK(csv.features == std::vector<float>{2.5f, 3.0f});
}

TEST_CASE("parse_labeled_csv accepts labels written as integral numbers and the extremes 0 and 255") {
  const LabeledCsv csv = parse_labeled_csv("0,1\n255,2\n3.0,3\n", "mem");
  CHECK(csv.labels == std::vector<uint8_t>{0, 255, 3});
  CHECK(csv.num_classes() == 256);
}

TEST_CASE("parse_labeled_csv names a ragged row with both line numbers") {
  // Line 1 blank, line 2 fixes 5 values, line 7 has 3: blank lines still count.
  CHECK(parse_error("\n1,2,3,4,5\n1,2,3,4,5\n\n1,2,3,4,5\n1,2,3,4,5\n1,2,3\n") ==
        "t.csv: line 7 has 3 values, expected 5 like line 2");
  CHECK(parse_error("1,2\n1,2,3\n") == "t.csv: line 2 has 3 values, expected 2 like line 1");
  CHECK(parse_error("label,a,b\n1,2\n") == "t.csv: line 2 has 2 values, expected 3 like line 1 (the header)");
  CHECK(parse_error("1,2,3\n1,2,3,\n") == "t.csv: line 2 has 4 values, expected 3 like line 1");
  CHECK(parse_error("7\n") ==
        "t.csv: line 1 has 1 value; a labelled CSV needs a label and at least one feature per row");
}

TEST_CASE("parse_labeled_csv quotes a value that is not a number, with line and column") {
  CHECK(parse_error("1,2,3\n0,4,abc\n") == "t.csv: line 2, column 3: \"abc\" is not a number");
  CHECK(parse_error("1,2,3\n0,,3\n") == "t.csv: line 2, column 2: empty value (expected a number)");
  CHECK(parse_error("1,2\n0,nan\n") == "t.csv: line 2, column 2: \"nan\" is not a number");
  CHECK(parse_error("1,2\n0,inf\n") == "t.csv: line 2, column 2: \"inf\" is not a number");
  CHECK(parse_error("1,2\n0,0x10\n") == "t.csv: line 2, column 2: \"0x10\" is not a number");
  CHECK(parse_error("1,2\n0,1e\n") == "t.csv: line 2, column 2: \"1e\" is not a number");
  CHECK(parse_error("1,2\n0,\"3\"\n") == "t.csv: line 2, column 2: \"\"3\"\" is not a number");
  CHECK(parse_error("1,2\n0,1e39\n") ==
        "t.csv: line 2, column 2: \"1e39\" is too large: features must lie within ±1e15 (their squared distances must "
        "fit a float)");
}

TEST_CASE("parse_labeled_csv rejects labels that are negative, not integers, above 255 or not numbers") {
  CHECK(parse_error("1,2\n-1,2\n") == "t.csv: line 2: label \"-1\" is negative (expected a class 0..255)");
  CHECK(parse_error("1,2\n2.5,2\n") == "t.csv: line 2: label \"2.5\" is not an integer (expected a class 0..255)");
  CHECK(parse_error("1,2\n256,2\n") == "t.csv: line 2: label \"256\" is above 255 (expected a class 0..255)");
  CHECK(parse_error("label,x\ncat,2\n") == "t.csv: line 2: label \"cat\" is not a number (expected a class 0..255)");
}

TEST_CASE("parse_labeled_csv rejects text without data rows, and binary files") {
  CHECK(parse_error("") == "t.csv: empty file: no data rows (blank lines only)");
  CHECK(parse_error("\n \r\n\n") == "t.csv: empty file: no data rows (blank lines only)");
  CHECK(parse_error("label,x,y\n\n") == "t.csv: no data rows: only a header on line 1");
  using namespace std::string_view_literals;
  CHECK(parse_error("\0\0\x08\x01rest"sv).find("not a text file (a zero byte at offset 0)") != std::string::npos);
}

TEST_CASE("load_labeled_csv reads a file and names it in errors") {
  CHECK(error_of([] { load_labeled_csv("/nonexistent/data.csv"); }) ==
        "/nonexistent/data.csv: cannot open file (missing or unreadable)");
  const std::string path = "test_csv_roundtrip.csv";  // in the test's working directory
  {
    std::ofstream out(path, std::ios::binary);
    out << "label,a\r\n4,1.5\r\n2,x\r\n";
  }
  CHECK(error_of([&] { load_labeled_csv(path); }) == path + ": line 3, column 2: \"x\" is not a number");
  {
    std::ofstream out(path, std::ios::binary);
    out << "label,a\r\n4,1.5\r\n";
  }
  const LabeledCsv csv = load_labeled_csv(path);
  CHECK(csv.rows == 1);
  CHECK(csv.features == std::vector<float>{1.5f});
  std::remove(path.c_str());
}

TEST_CASE("a first row with numbers and a stray word is data with an error, not a header to drop") {
  // "1,2,x,4" used to be taken as a header and silently dropped.
  CHECK(parse_error("1,2,x,4\n0,1,2,3\n") == "t.csv: line 1, column 3: \"x\" is not a number");
  // A header has no number at all.
  CHECK(parse_labeled_csv("label,a,b,c\n1,2,3,4\n", "mem").rows == 1);
}

TEST_CASE("features whose squares would overflow a float are refused; the largest allowed stays finite") {
  CHECK(parse_error("1,2\n0,1.9e19\n") ==
        "t.csv: line 2, column 2: \"1.9e19\" is too large: features must lie within ±1e15 (their squared distances "
        "must fit a float)");
  const LabeledCsv ok = parse_labeled_csv("0,1e15,-1e15\n1,-1e15,1e15\n", "mem");
  const float dx = ok.features[0] - ok.features[2], dy = ok.features[1] - ok.features[3];
  CHECK(std::isfinite(dx * dx + dy * dy));
}

TEST_CASE("parse_csv_number is the strict decimal syntax; split_csv_fields trims") {
  CHECK(parse_csv_number("-1.5e3") == std::optional<double>(-1500));
  CHECK(parse_csv_number(".5") == std::optional<double>(0.5));
  for (const char* bad : {"nan", "inf", "0x10", "", "1e999", "1,5", " "})
    CHECK_FALSE(parse_csv_number(bad).has_value());
  std::vector<std::string_view> fields;
  split_csv_fields(" a ,\tb,,c ", fields);
  CHECK(fields == std::vector<std::string_view>{"a", "b", "", "c"});
}
