// png_files.cpp — see png_files.hpp. stb_image decodes, stb_image_write encodes into memory, and
// the core's write_file_bytes puts the bytes on disk with every error checked.
#include "platform/png_files.hpp"

#include <memory>

#include "core/error.hpp"
#include "core/idx.hpp"

// stb (Debian's libstb-dev, a SYSTEM include: its own warnings are not ours).
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_MAX_DIMENSIONS 65536
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

namespace implay {
namespace {

// stb's terse reasons ("bad IHDR len", "outofdata") in words a user can act on.
std::string png_problem(const char* reason) {
  const std::string r = reason ? reason : "unknown";
  if (r == "unknown image type" || r == "not PNG") return "not a PNG image";
  if (r == "outofdata" || r == "no IDAT" || r == "bad zlib header" || r == "bad codelengths" ||
      r == "bad huffman code" || r == "bad dist" || r == "bad size" || r == "read past buffer")
    return "truncated or corrupt PNG data (" + r + ")";
  return "corrupt PNG (" + r + ")";
}

}  // namespace

GreyImage decode_png_grey(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() > size_t(1) << 30) throw Error(source + ": too large for a PNG read here");
  const int length = int(bytes.size());
  int w = 0, h = 0, channels = 0;
  // The header first: refuse a huge image before stb allocates for it.
  if (!stbi_info_from_memory(bytes.data(), length, &w, &h, &channels))
    throw Error(source + ": not a readable PNG image: " + png_problem(stbi_failure_reason()));
  if (w < 1 || h < 1 || int64_t(w) * int64_t(h) > kMaxPngPixels)
    throw Error(source + ": PNG of " + std::to_string(w) + "x" + std::to_string(h) + " pixels; at most " +
                std::to_string(kMaxPngPixels) + " pixels are accepted");
  // Grey + alpha (stb converts any PNG colour type), then composite on white.
  stbi_uc* ga = stbi_load_from_memory(bytes.data(), length, &w, &h, &channels, 2);
  if (!ga) throw Error(source + ": not a readable PNG image: " + png_problem(stbi_failure_reason()));
  std::unique_ptr<stbi_uc, void (*)(void*)> owned(ga, stbi_image_free);
  GreyImage out;
  out.width = w;
  out.height = h;
  out.pixels.resize(size_t(w) * size_t(h));
  for (size_t k = 0; k < out.pixels.size(); ++k) {
    const unsigned grey = ga[2 * k], alpha = ga[2 * k + 1];
    out.pixels[k] = uint8_t((grey * alpha + 255u * (255u - alpha) + 127u) / 255u);  // over white
  }
  return out;
}

void write_png_grey(const std::string& path, const GreyImage& image) {
  if (image.width < 1 || image.height < 1 || int64_t(image.width) * int64_t(image.height) > kMaxPngPixels)
    throw Error(path + ": cannot write a PNG of " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                " pixels (1.." + std::to_string(kMaxPngPixels) + " pixels)");
  if (image.pixels.size() != size_t(image.width) * size_t(image.height))
    throw Error(path + ": image of " + std::to_string(image.pixels.size()) + " pixels for " +
                std::to_string(image.width) + "x" + std::to_string(image.height));
  std::vector<uint8_t> png;
  const auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    out->insert(out->end(), static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(append, &png, image.width, image.height, 1, image.pixels.data(), image.width))
    throw Error(path + ": cannot encode the PNG");
  write_file_bytes(path, png);
}

}  // namespace implay
