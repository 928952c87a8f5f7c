// idx.cpp — IDX parsing and the labelled image set (see idx.hpp).
#include "core/data/idx.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/checked.hpp"
#include "core/error.hpp"

namespace implay {
namespace {

uint32_t read_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

std::string hex32(uint32_t v) {
  std::ostringstream s;
  s << "0x" << std::hex;
  s.width(8);
  s.fill('0');
  s << v;
  return s.str();
}

}  // namespace

namespace {

// What an IDX header declares: dims (ndims of them) and the bytes of header and payload.
struct IdxHeader {
  std::vector<int> dims;
  size_t header_bytes = 0;
  uint64_t payload_bytes = 0;
};

// Reads and checks the header in `bytes` (which need hold only the header). Throws implay::Error
// naming `source` for a wrong magic number or type, a truncated header, or a payload over
// kMaxIdxBytes — checked dimension by dimension, so the product cannot overflow.
IdxHeader read_idx_header(std::span<const uint8_t> bytes, const std::string& source) {
  // Magic: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions.
  if (bytes.size() < 4)
    throw Error(source + ": not an IDX file (only " + std::to_string(bytes.size()) +
                " bytes, the header alone needs 4)");
  const uint32_t magic = read_be32(bytes.data());
  const int ndims = bytes[3];
  if (bytes[0] != 0 || bytes[1] != 0 || ndims < 1 || ndims > 4)
    throw Error(source + ": wrong magic number " + hex32(magic) +
                " (an IDX file of unsigned bytes starts with 0x00000801 for labels or 0x00000803 for images)");
  if (bytes[2] != 0x08)
    throw Error(source + ": IDX element type " + hex32(bytes[2]) + " is not supported (only 0x08, unsigned bytes)");
  IdxHeader h;
  h.header_bytes = 4 + 4 * size_t(ndims);
  if (bytes.size() < h.header_bytes)
    throw Error(source + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes, expected " +
                std::to_string(h.header_bytes) + ")");
  h.payload_bytes = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint32_t n = read_be32(bytes.data() + 4 + 4 * d);
    // Each factor is at most 2^32 and the running product at most kMaxIdxBytes (2^28): no overflow.
    h.payload_bytes *= n;
    if (h.payload_bytes > kMaxIdxBytes) {
      std::string shape;
      for (int e = 0; e < ndims; ++e) {
        if (e) shape += " × ";
        shape += std::to_string(read_be32(bytes.data() + 4 + 4 * e));
      }
      throw Error(source + ": the IDX header declares " + shape + " bytes, more than the " + mib_text(kMaxIdxBytes) +
                  " an IDX file may hold here");
    }
    h.dims.push_back(int(n));  // n ≤ kMaxIdxBytes unless a later dimension is 0
  }
  for (const int n : h.dims)
    if (h.payload_bytes == 0 && uint32_t(n) > uint32_t(kMaxIdxBytes))
      throw Error(source + ": implausible IDX dimension " + std::to_string(uint32_t(n)) + " next to a dimension of 0");
  return h;
}

}  // namespace

std::optional<uint64_t> idx_declared_size(std::span<const uint8_t> prefix) {
  if (prefix.size() < 4 || prefix[0] != 0 || prefix[1] != 0 || prefix[2] != 0x08 || prefix[3] < 1 || prefix[3] > 4)
    return std::nullopt;
  if (prefix.size() < 4 + 4 * size_t(prefix[3])) return std::nullopt;
  try {
    const IdxHeader h = read_idx_header(prefix, "");
    return uint64_t(h.header_bytes) + h.payload_bytes;
  } catch (const Error&) {
    return std::nullopt;  // too large: the parser says so, naming the source
  }
}

void check_image_pixels(int rows, int cols, const std::string& source) {
  if (uint64_t(rows) * uint64_t(cols) > uint64_t(kMaxImagePixels))
    throw Error(source + ": images of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels; at most " +
                std::to_string(kMaxImagePixels) + " pixels an image are accepted");
}

IdxArray parse_idx_u8(std::span<const uint8_t> bytes, const std::string& source) {
  IdxHeader h = read_idx_header(bytes, source);
  const size_t have = bytes.size() - h.header_bytes;
  if (have < h.payload_bytes)
    throw Error(source + ": truncated data: the header promises " + std::to_string(h.payload_bytes) +
                " bytes, the file has " + std::to_string(have));
  if (have > h.payload_bytes)
    throw Error(source + ": " + std::to_string(have - h.payload_bytes) + " unexpected bytes after the " +
                std::to_string(h.payload_bytes) + " the header promises");
  IdxArray out;
  out.dims = std::move(h.dims);
  out.data.assign(bytes.begin() + ptrdiff_t(h.header_bytes), bytes.end());
  return out;
}

std::vector<uint8_t> serialize_idx_u8(const IdxArray& array) {
  if (array.dims.empty() || array.dims.size() > 4)
    throw Error("an IDX array has 1..4 dimensions, not " + std::to_string(array.dims.size()));
  uint64_t expected = 1;
  for (int n : array.dims) {
    if (n < 0) throw Error("negative IDX dimension " + std::to_string(n));
    expected *= uint64_t(n);
  }
  if (expected != array.data.size())
    throw Error("IDX dimensions promise " + std::to_string(expected) + " bytes, the data has " +
                std::to_string(array.data.size()));
  std::vector<uint8_t> out = {0, 0, 0x08, uint8_t(array.dims.size())};
  for (int n : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(uint32_t(n) >> shift));
  out.insert(out.end(), array.data.begin(), array.data.end());
  return out;
}

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) throw Error(path + ": cannot open file (missing or unreadable)");
  if (std::filesystem::is_directory(status)) throw Error(path + ": is a folder, not a file");
  if (!std::filesystem::is_regular_file(status))
    throw Error(path + ": not a regular file (a device or a pipe); name a file on disk");
  const uint64_t size = std::filesystem::file_size(path, error);
  if (error) throw Error(path + ": cannot read its size (" + error.message() + ")");
  if (size > max_bytes)
    throw Error(path + ": " + mib_text(size) + ", more than the " + mib_text(max_bytes) + " a file may have here");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file (missing or unreadable)");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  if (size_t(in.gcount()) != bytes.size()) throw Error(path + ": read error (the file shrank while it was read?)");
  return bytes;
}

void write_file_bytes(const std::string& path, std::span<const uint8_t> bytes) {
  if (std::filesystem::is_directory(path)) throw Error(path + ": is a folder; name a file to write");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) throw Error(path + ": cannot write there (" + std::strerror(errno) + ")");
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), file);
  const int write_errno = errno;
  // fclose flushes: a full disk often shows only here.
  const bool closed = std::fclose(file) == 0;
  if (written != bytes.size() || !closed)
    throw Error(path + ": writing failed after " + std::to_string(written) + " of " + std::to_string(bytes.size()) +
                " bytes (" + std::strerror(written != bytes.size() ? write_errno : errno) + ")");
}

LabeledImages LabeledImages::first(int n) const {
  if (n >= count) return *this;
  LabeledImages out;
  out.count = n < 0 ? 0 : n;
  out.rows = rows;
  out.cols = cols;
  out.pixels.assign(pixels.begin(), pixels.begin() + size_t(out.count) * size_t(dim()));
  out.labels.assign(labels.begin(), labels.begin() + out.count);
  return out;
}

LabeledImages make_labeled_images(IdxArray images, IdxArray labels, const std::string& images_source,
                                  const std::string& labels_source) {
  if (images.dims.size() != 3)
    throw Error(images_source + ": expected an images file with 3 dimensions (count, rows, cols), found " +
                std::to_string(images.dims.size()));
  if (labels.dims.size() != 1)
    throw Error(labels_source + ": expected a labels file with 1 dimension, found " +
                std::to_string(labels.dims.size()));
  if (images.dims[0] != labels.dims[0])
    throw Error("mismatched counts: " + images_source + " has " + std::to_string(images.dims[0]) + " images but " +
                labels_source + " has " + std::to_string(labels.dims[0]) + " labels");
  check_image_pixels(images.dims[1], images.dims[2], images_source);
  LabeledImages out;
  out.count = images.dims[0];
  out.rows = images.dims[1];
  out.cols = images.dims[2];
  out.pixels = std::move(images.data);
  out.labels = std::move(labels.data);
  return out;
}

LabeledImages load_idx_pair(const std::string& images_path, const std::string& labels_path) {
  const auto image_bytes = read_file_bytes(images_path);
  const auto label_bytes = read_file_bytes(labels_path);
  return make_labeled_images(parse_idx_u8(image_bytes, images_path), parse_idx_u8(label_bytes, labels_path),
                             images_path, labels_path);
}

std::vector<int> count_labels(std::span<const uint8_t> labels, int num_classes) {
  std::vector<int> counts(size_t(num_classes), 0);
  for (uint8_t l : labels)
    if (l < num_classes) ++counts[l];
  return counts;
}

}  // namespace implay
