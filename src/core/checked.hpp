// checked.hpp — size arithmetic that cannot overflow. Every size that comes from a file or an
// option (counts × dimensions, header + payload) is computed here before anything is allocated;
// an overflow is reported as implay::Error naming what was being sized, never wrapped around.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
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

// a + b, or implay::Error as checked_mul.
inline size_t checked_add(size_t a, size_t b, std::string_view what) {
  size_t out = 0;
  if (__builtin_add_overflow(a, b, &out))
    throw Error(std::string(what) + ": " + std::to_string(a) + " + " + std::to_string(b) + " is too large");
  return out;
}

// A count that must fit an int (the core indexes rows and pixels with int): implay::Error otherwise.
inline int checked_int(size_t n, std::string_view what) {
  if (n > size_t(std::numeric_limits<int>::max()))
    throw Error(std::string(what) + ": " + std::to_string(n) + " is more than " +
                std::to_string(std::numeric_limits<int>::max()));
  return int(n);
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
