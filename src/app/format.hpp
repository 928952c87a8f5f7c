// format.hpp — small text helpers for the UI: thousands separators, fractions like "3/4 = 0.75".
#pragma once
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

}  // namespace implay::app
