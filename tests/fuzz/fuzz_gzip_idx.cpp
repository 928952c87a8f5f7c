// fuzz_gzip_idx.cpp — libFuzzer target for io/data_files.hpp's decode_data_bytes (the CLI's
// and desktop app's .gz data files: inflate with a cap, multi-member) followed by parse_idx_u8,
// as read_data_file's callers do. Any bytes either decode and parse or throw implay::Error; bytes
// without the gzip magic pass through unchanged, and no output exceeds kMaxIdxBytes (a small
// .gz must not inflate to gigabytes: -malloc_limit_mb catches a cap that comes too late).
#include <vector>

#include "core/data/idx.hpp"
#include "fuzz_support.hpp"
#include "io/data_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto input = implay::fuzz::as_bytes(data, size);
  const auto decoded = implay::fuzz::accepted([&] { return implay::decode_data_bytes(input, implay::fuzz::kSource); });
  if (!decoded) return 0;
  FUZZ_CHECK(decoded->size() <= implay::kMaxIdxBytes);
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (!gzip) FUZZ_CHECK(*decoded == std::vector<uint8_t>(input.begin(), input.end()));
  const auto array = implay::fuzz::accepted([&] { return implay::parse_idx_u8(*decoded, implay::fuzz::kSource); });
  if (array) FUZZ_CHECK(implay::serialize_idx_u8(*array) == *decoded);
  return 0;
}
