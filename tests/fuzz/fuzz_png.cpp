// fuzz_png.cpp — libFuzzer target for io/png_files.hpp's decode_png_grey (`implay ar
// complete --image`: stb_image behind a size check). Any bytes either decode or throw
// implay::Error; an image that decodes has width × height grey pixels, at most kMaxPngPixels.
#include "fuzz_support.hpp"
#include "io/png_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto image = implay::fuzz::accepted(
      [&] { return implay::decode_png_grey(implay::fuzz::as_bytes(data, size), implay::fuzz::kSource); });
  if (!image) return 0;
  FUZZ_CHECK(image->width >= 1 && image->height >= 1);
  FUZZ_CHECK(int64_t(image->width) * image->height <= implay::kMaxPngPixels);
  FUZZ_CHECK(image->pixels.size() == size_t(image->width) * size_t(image->height));
  return 0;
}
