// checked.hpp — size arithmetic that cannot overflow, and sizes worded for messages. A product
// of sizes that come from a file is computed with checked_mul before anything is allocated: an
// overflow is reported as implay::Error naming what was being sized, never wrapped around.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace implay {

// a · b, or implay::Error "<what>: a × b is too large" when the product does not fit size_t.
inline size_t checked_mul(size_t a, size_t b, std::string_view what) {
  size_t out = 0;
  if (__builtin_mul_overflow(a, b, &out))
    throw Error(std::string(what) + ": " + std::to_string(a) + " × " + std::to_string(b) + " is too large");
  return out;
}

// A size for messages: "3000 bytes" below 1 MiB, else "47.3 MiB" / "256 MiB".
inline std::string mib_text(uint64_t bytes) {
  if (bytes < (uint64_t(1) << 20)) return std::to_string(bytes) + " bytes";
  char text[48];
  const double mib = double(bytes) / double(uint64_t(1) << 20);
  std::snprintf(text, sizeof(text), mib == double(uint64_t(mib)) ? "%.0f MiB" : "%.1f MiB", mib);
  return text;
}

}  // namespace implay
