// format.hpp — small text helpers for the UI: thousands separators and JSON string literals.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

namespace implay::app {

// 60000 -> "60,000"
inline std::string thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// "1 sketch", "2 sketches", "0 sketches": a count with the noun it counts, plural right.
inline std::string counted(long long n, const char* one, const char* many) {
  return thousands(n) + " " + (n == 1 ? one : many);
}

// A measured value with its precision kept: whole numbers from 100 up ("1523"), otherwise 3
// significant digits ("0.0421", "1.3e-05"), so a cosine distance of 0.004 never reads "0".
inline std::string significant(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : "%.3g", v);
  return buf;
}

// v with `digits` decimals: fixed(0.9312, 1) = "0.9", for read-outs built as strings.
inline std::string fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// A JSON string literal with quotes; control characters become spaces (for state_json).
inline std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20)
      out += ' ';
    else
      out += c;
  }
  return out + "\"";
}

}  // namespace implay::app
