// png_files.cpp — see png_files.hpp. stb_image decodes, stb_image_write encodes into memory, and
// the core's write_file_bytes puts the bytes on disk with every error checked.
#include "io/png_files.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "core/data/idx.hpp"
#include "core/error.hpp"

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
  const std::string r = reason && *reason ? reason : "stb gave no reason";
  if (r == "unknown image type" || r == "not PNG") return "not a PNG image";
  if (r == "outofdata" || r == "no IDAT" || r == "bad zlib header" || r == "bad codelengths" ||
      r == "bad huffman code" || r == "bad dist" || r == "bad size" || r == "read past buffer")
    return "truncated or corrupt PNG data (" + r + ")";
  return "corrupt PNG (" + r + ")";
}

uint32_t read_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Walks the chunks before stb sees them: Debian's stb_image 2.27 grows its buffer to an IDAT
// chunk's declared length before checking those bytes exist (41 bytes asked it for 1.3 GB; the
// fuzz target found it). Every chunk must fit in the bytes present, the first must be a 13-byte
// IHDR, and IEND must come. Returns the width and height of IHDR.
std::pair<uint32_t, uint32_t> check_png_chunks(std::span<const uint8_t> bytes, const std::string& source) {
  static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 8 || !std::equal(kSignature, kSignature + 8, bytes.begin()))
    throw Error(source + ": not a readable PNG image: its first bytes are not the PNG signature");
  size_t pos = 8;
  uint32_t width = 0, height = 0;
  bool first = true;
  while (true) {
    if (bytes.size() - pos < 12)
      throw Error(source + ": truncated PNG: it ends after " + std::to_string(bytes.size()) +
                  " bytes, before its IEND chunk");
    const uint64_t length = read_be32(bytes.data() + pos);
    const std::string type(reinterpret_cast<const char*>(bytes.data() + pos + 4), 4);
    if (length + 12 > bytes.size() - pos)
      throw Error(source + ": truncated PNG: its " + type + " chunk declares " + std::to_string(length) +
                  " bytes, the file has " + std::to_string(bytes.size() - pos - 12) + " left");
    if (first) {
      if (type != "IHDR" || length != 13) throw Error(source + ": corrupt PNG: it does not start with a header chunk");
      width = read_be32(bytes.data() + pos + 8);
      height = read_be32(bytes.data() + pos + 12);
      first = false;
    }
    pos += size_t(length) + 12;
    if (type == "IEND") return {width, height};
  }
}

}  // namespace

GreyImage decode_png_grey(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() > size_t(1) << 30) throw Error(source + ": too large for a PNG read here");
  const int length = int(bytes.size());
  // The chunks and the header first: refuse a huge or truncated image before stb allocates for it.
  const auto [declared_w, declared_h] = check_png_chunks(bytes, source);
  if (declared_w < 1 || declared_h < 1 || uint64_t(declared_w) * uint64_t(declared_h) > uint64_t(kMaxPngPixels))
    throw Error(source + ": PNG of " + std::to_string(declared_w) + "x" + std::to_string(declared_h) +
                " pixels; at most " + std::to_string(kMaxPngPixels) + " pixels are accepted");
  int w = 0, h = 0, channels = 0;
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
