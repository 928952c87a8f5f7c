// fuzz_support.hpp — what the libFuzzer targets in tests/fuzz/ share: the fuzz bytes as a span
// or as text, accepted() for "parse or reject", and FUZZ_CHECK for properties beyond "does not
// crash" (a parse that succeeds must round-trip). Only implay::Error, the core's one way to reject
// bad input, is caught: any other exception escapes to libFuzzer and is a finding.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace implay::fuzz {

// What error messages name the input as.
inline const std::string kSource = "<fuzz input>";

inline std::span<const uint8_t> as_bytes(const uint8_t* data, size_t size) { return {data, size}; }
inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// parse() when it accepts the input; std::nullopt when it rejects it with implay::Error.
template <class Parse>
auto accepted(Parse&& parse) -> std::optional<decltype(parse())> {
  try {
    return parse();
  } catch (const implay::Error&) {
    return std::nullopt;
  }
}

// A broken property is a finding like a crash: abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace implay::fuzz

#define FUZZ_CHECK(cond) ((cond) ? void(0) : ::implay::fuzz::fail(#cond, __FILE__, __LINE__))
