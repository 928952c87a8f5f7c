// cli_util.hpp — small helpers the subcommands share: option validators with clear messages,
// number formatting for tables and JSON, the accuracy line and confusion-matrix table of the
// `eval` commands, the --save path check, and timing.
#pragma once
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/eval/metrics.hpp"

namespace implay::cli {

// Every count option has a documented range, enforced at parse time so that no size computed
// from it can overflow. (CLI::Range / PositiveNumber would do, but CLI11 2.1.2 words their
// failure as "not in range 0.000000 to 1797693134862315..." and lets NaN through.)
inline CLI::Validator integer_in(long long minimum, long long maximum) {
  return CLI::Validator(
      [minimum, maximum](std::string& text) -> std::string {
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc::result_out_of_range)
          return text + " is more than " + std::to_string(maximum) + ", the most allowed";
        if (error != std::errc() || end != text.data() + text.size()) return "\"" + text + "\" is not an integer";
        if (value < minimum) return text + " is less than " + std::to_string(minimum);
        if (value > maximum) return text + " is more than " + std::to_string(maximum) + ", the most allowed";
        return {};
      },
      "INT in " + std::to_string(minimum) + ".." + std::to_string(maximum));
}

// "%g" of a bound, for messages and help.
inline std::string bound_text(double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", x);
  return text;
}

// Every floating option goes through this one validator: a finite decimal number (NaN, inf and
// values beyond float's range are refused) within [minimum, maximum], or (minimum, maximum] when
// above_minimum is set. Defaults: any finite float.
inline CLI::Validator finite_number(double minimum = -3.4e38, double maximum = 3.4e38, bool above_minimum = false) {
  const std::string range = (above_minimum ? "(" : "[") + bound_text(minimum) + ", " + bound_text(maximum) + "]";
  return CLI::Validator(
      [minimum, maximum, above_minimum, range](std::string& text) -> std::string {
        std::string_view t = text;
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);
        double value = 0;
        const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), value);
        if (t.empty() || (error != std::errc() && error != std::errc::result_out_of_range) ||
            end != t.data() + t.size())
          return "\"" + text + "\" is not a number";
        if (error == std::errc::result_out_of_range || !std::isfinite(value) || std::fabs(value) > 3.4028234e38)
          return "\"" + text + "\" is not a finite number (allowed: " + range + ")";
        if (above_minimum && !(value > minimum)) return text + " is not greater than " + bound_text(minimum);
        if (!above_minimum && value < minimum) return text + " is less than " + bound_text(minimum);
        if (value > maximum) return text + " is more than " + bound_text(maximum) + ", the most allowed";
        return {};
      },
      "NUMBER in " + range);
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

inline std::string pad_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

// The C × C confusion matrix (row = true class, column = predicted) as the `eval` commands print
// it, each row ending with the class's recall (diagonal / row sum; "-" for a class without examples).
inline std::string confusion_table(const Eigen::MatrixXi& confusion) {
  const int c = int(confusion.rows());
  const int width = std::max(6, int(std::to_string(std::max(confusion.maxCoeff(), c - 1)).size()) + 2);
  const Eigen::VectorXd recall = per_class_accuracy(confusion);  // (C)
  std::string out = "confusion matrix (rows: true class, columns: predicted class; recall = diagonal / row sum):\n";
  out += "true\\pred";
  for (int p = 0; p < c; ++p) out += pad_left(std::to_string(p), size_t(width));
  out += "   recall\n";
  for (int t = 0; t < c; ++t) {
    out += pad_left(std::to_string(t), 9);
    for (int p = 0; p < c; ++p) out += pad_left(std::to_string(confusion(t, p)), size_t(width));
    out += std::isnan(recall[t]) ? std::string("        -") : pad_left(fixed4(recall[t]), 9);
    out += '\n';
  }
  return out;
}

// "0.9812 (9812/10000)": an accuracy with the count it was measured on.
inline std::string accuracy_text(double accuracy, int count) {
  const long long correct = std::llround(accuracy * count);
  return fixed4(accuracy) + " (" + std::to_string(correct) + "/" + std::to_string(count) + ")";
}

// What the `eval` commands print after their model line: the data, the accuracy and the
// confusion matrix of `confusion` (C, C) on `count` examples.
inline std::string eval_report(const std::string& data_name, int count, const Eigen::MatrixXi& confusion) {
  return "data " + data_name + ": " + std::to_string(count) +
         " examples\naccuracy: " + accuracy_text(accuracy(confusion), count) + "\n" + confusion_table(confusion);
}

// The folder of --save must exist before minutes of training, not after. Throws implay::Error.
inline void check_save_path(const std::string& save) {
  const std::filesystem::path dir = std::filesystem::path(save).parent_path();
  if (!dir.empty() && !std::filesystem::is_directory(dir))
    throw Error(save + ": cannot save there: folder " + dir.string() + " does not exist");
  if (std::filesystem::is_directory(save)) throw Error(save + ": is a folder; name a model file");
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace implay::cli
