// fuzz_idx.cpp — libFuzzer target for core/data/idx.hpp's parse_idx_u8 (MNIST files, sketch sets,
// anything a user drops on the page). Any bytes either parse or throw implay::Error; an array
// that parses holds exactly the bytes its dims promise and serializes back to the very input
// (IDX has one encoding per array).
#include <vector>

#include "core/data/idx.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto array = implay::fuzz::accepted([&] { return implay::parse_idx_u8(input, implay::fuzz::kSource); });
  if (!array) return 0;
  size_t expected = 1;
  for (int n : array->dims) expected *= size_t(n);
  FUZZ_CHECK(array->data.size() == expected);
  // Not caught: the writer refusing what the reader accepted is a finding too.
  FUZZ_CHECK(implay::serialize_idx_u8(*array) == std::vector<uint8_t>(input.begin(), input.end()));
  return 0;
}
