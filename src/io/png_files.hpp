// png_files.hpp — PNG in and out for the CLI (and the fuzz target): decoding to grey with the
// alpha channel composited on white, and writing grey images, through Debian's stb. Sizes are
// checked before anything is decoded or allocated; errors name the file.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace implay {

// The largest PNG decoded or written: 16.8 M pixels (4096 × 4096).
inline constexpr int64_t kMaxPngPixels = int64_t(1) << 24;

struct GreyImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // (height, width) row-major, 0 = black, 255 = white
};

// A PNG's pixels as grey (colour averaged as stb does), transparent parts composited on white,
// so a drawing on a transparent background reads as that drawing on paper. `source` names the
// bytes in messages. Throws implay::Error for bytes that are not a PNG, a truncated or corrupt
// one, and one larger than kMaxPngPixels.
GreyImage decode_png_grey(std::span<const uint8_t> bytes, const std::string& source);

// Writes a grey PNG (write_file_bytes: a full disk or a missing folder is an error naming path).
// Throws implay::Error for an empty image, one larger than kMaxPngPixels, or pixels of the wrong size.
void write_png_grey(const std::string& path, const GreyImage& image);

}  // namespace implay
