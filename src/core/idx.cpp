// idx.cpp — IDX parsing and the labelled image set (see idx.hpp).
#include "core/idx.hpp"

#include <fstream>
#include <sstream>

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

IdxArray parse_idx_u8(std::span<const uint8_t> bytes, const std::string& source) {
  // Magic: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions.
  if (bytes.size() < 4)
    throw Error(source + ": not an IDX file (only " + std::to_string(bytes.size()) + " bytes, the header alone needs 4)");
  const uint32_t magic = read_be32(bytes.data());
  const int ndims = bytes[3];
  if (bytes[0] != 0 || bytes[1] != 0 || ndims < 1 || ndims > 4)
    throw Error(source + ": wrong magic number " + hex32(magic) +
                " (an IDX file of unsigned bytes starts with 0x00000801 for labels or 0x00000803 for images)");
  if (bytes[2] != 0x08)
    throw Error(source + ": IDX element type " + hex32(bytes[2]) + " is not supported (only 0x08, unsigned bytes)");
  const size_t header = 4 + 4 * size_t(ndims);
  if (bytes.size() < header)
    throw Error(source + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes, expected " +
                std::to_string(header) + ")");
  IdxArray out;
  uint64_t expected = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint32_t n = read_be32(bytes.data() + 4 + 4 * d);
    if (n > (1u << 28)) throw Error(source + ": implausible IDX dimension " + std::to_string(n));
    out.dims.push_back(int(n));
    expected *= n;
    if (expected > (uint64_t(1) << 32)) throw Error(source + ": IDX data too large");
  }
  const size_t have = bytes.size() - header;
  if (have < expected)
    throw Error(source + ": truncated data: the header promises " + std::to_string(expected) + " bytes, the file has " +
                std::to_string(have));
  if (have > expected)
    throw Error(source + ": " + std::to_string(have - expected) + " unexpected bytes after the " +
                std::to_string(expected) + " the header promises");
  out.data.assign(bytes.begin() + header, bytes.end());
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

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file (missing or unreadable)");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path + ": read error");
  return bytes;
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
