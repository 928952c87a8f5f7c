// binary_io.hpp — the little-endian byte writer and the bounds-checked reader behind the core's
// model files (pixel/pixel_model_io.cpp, nn/mlp.cpp): every read first checks that the bytes are
// there, so a size read from a file is compared with the bytes present before anything is
// allocated, and a short file is reported as truncated, naming the source.
#pragma once
#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace implay {

// Appends little-endian u32 and bit-exact f32 values to `out`.
struct ByteWriter {
  std::vector<uint8_t> out;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void u32(uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(uint8_t(v >> (8 * k)));
  }
  void f32(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    u32(bits);
  }
};

// Reads `in` from `pos` on. Errors name `source` (a path or a URL) and `what` ("NADE pixel model").
struct ByteReader {
  std::span<const uint8_t> in;
  const std::string& source;
  const char* what;
  size_t pos = 0;

  size_t remaining() const { return in.size() - pos; }
  // Throws implay::Error "truncated <what> file" unless n more bytes are there.
  void need(size_t n) const {
    if (remaining() < n)
      throw Error(source + ": truncated " + what + " file (" + std::to_string(in.size()) + " bytes, needs at least " +
                  std::to_string(pos + n) + ")");
  }
  uint32_t u32() {
    need(4);
    const uint8_t* p = in.data() + pos;
    pos += 4;
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
  }
  float f32() {
    const uint32_t bits = u32();
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  // The next n bytes (checked) as a view into `in`.
  std::span<const uint8_t> take(size_t n) {
    need(n);
    const std::span<const uint8_t> out = in.subspan(pos, n);
    pos += n;
    return out;
  }
  // Throws implay::Error unless every byte was read.
  void end() const {
    if (pos != in.size())
      throw Error(source + ": " + std::to_string(in.size() - pos) + " unexpected bytes after the " + what + " data");
  }
};

// Bytes as a quoted string for messages (a file's wrong magic): printable ASCII as it is, other
// bytes as \xNN.
inline std::string printable_bytes(std::span<const uint8_t> bytes) {
  std::string s = "\"";
  for (uint8_t b : bytes) {
    if (b >= 32 && b < 127) {
      s += char(b);
    } else {
      static const char* hex = "0123456789abcdef";
      s += "\\x";
      s += hex[b >> 4];
      s += hex[b & 15];
    }
  }
  return s + "\"";
}

// A loaded model with a NaN or an infinity would give NaN scores everywhere: refuse it, naming
// the first bad parameter. params: (P).
inline void check_finite_params(const Eigen::Ref<const Eigen::VectorXf>& params, const std::string& source,
                                const char* what) {
  for (Eigen::Index k = 0; k < params.size(); ++k)
    if (!std::isfinite(params[k]))
      throw Error(source + ": " + what + " parameter " + std::to_string(k) + " is " +
                  (std::isnan(params[k]) ? "NaN" : "infinite") + " (a diverged training run?); refusing the model");
}

}  // namespace implay
