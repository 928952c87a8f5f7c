// cli_util.hpp — small helpers the subcommands share: option validators with clear messages,
// number formatting for tables and JSON, and timing.
#pragma once
#include <CLI/CLI.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace implay::cli {

// An integer option that must be at least `minimum`. CLI::PositiveNumber would do, but CLI11
// 2.1.2 words its failure as "not in range 0.000000 to 1797693134862315...".
inline CLI::Validator integer_at_least(int minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        int value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) return "\"" + text + "\" is not an integer";
        if (value < minimum) return text + " is less than " + std::to_string(minimum);
        return {};
      },
      "INT>=" + std::to_string(minimum));
}

// The float as the shortest decimal that reads back to it (0.1f → 0.1, not 0.10000000149...):
// nlohmann::json stores doubles, and a float widened to double prints all its binary digits.
inline double shortest_decimal(float value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  return std::strtod(std::string(text, result.ptr).c_str(), nullptr);
}

// Four decimals; a value that rounds to zero prints as 0.0000, never -0.0000.
inline std::string fixed4(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4f", std::abs(x) < 0.00005 ? 0.0 : x);
  return text;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace implay::cli
