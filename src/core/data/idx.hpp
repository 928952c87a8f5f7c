// idx.hpp — the IDX file format of MNIST (big-endian header: magic, dimensions, then bytes) and
// a labelled image set built from an images file and a labels file. Parsing works on bytes in
// memory, so the browser (bytes from fetch) and the CLI (bytes from a file) share it.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace implay {

// An unsigned-byte IDX array (type code 0x08), the only element type MNIST uses.
struct IdxArray {
  std::vector<int> dims;      // e.g. (60000, 28, 28) for images, (60000) for labels
  std::vector<uint8_t> data;  // (product of dims) in row-major order
};

// The most data an IDX file may declare (MNIST's training images are 47 MB) and the most pixels
// one image of a labelled set may have: anything larger is refused before it is allocated.
inline constexpr uint64_t kMaxIdxBytes = uint64_t(256) << 20;  // 256 MiB
inline constexpr int kMaxImagePixels = 1 << 20;                // e.g. 1024 × 1024

// Throws implay::Error "<source>: images of RxC pixels; at most ..." past kMaxImagePixels.
void check_image_pixels(int rows, int cols, const std::string& source);

// Parses IDX bytes. `source` names the data in error messages (a path or a URL).
// Throws implay::Error for a wrong magic number, an unsupported element type, a header that
// declares more than kMaxIdxBytes, or data shorter or longer than the header says.
IdxArray parse_idx_u8(std::span<const uint8_t> bytes, const std::string& source);

// The bytes of an unsigned-byte IDX file (header + data), the inverse of parse_idx_u8.
// Throws implay::Error when the data size differs from the product of dims or there are not 1..4 dims.
std::vector<uint8_t> serialize_idx_u8(const IdxArray& array);

// Bytes in the IDX header and data that `prefix` (the first bytes of an IDX file) declares, or
// nothing when prefix is too short to tell or is not an IDX header. For a decoder (gunzip) that
// must stop before inflating more than the file can hold.
std::optional<uint64_t> idx_declared_size(std::span<const uint8_t> prefix);

// The largest file read whole into memory.
inline constexpr uint64_t kMaxFileBytes = uint64_t(1) << 30;  // 1 GiB

// Reads a whole regular file. Throws implay::Error naming the path when it is missing or
// unreadable, is a folder or a device (/dev/zero), or is larger than max_bytes (the message
// gives the limit); the size is checked before anything is allocated.
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes = kMaxFileBytes);

// Writes bytes to a file, replacing it. Throws implay::Error naming the path when it cannot be
// opened or when writing or closing fails (a full disk, /dev/full): a model is saved whole or
// the command fails.
void write_file_bytes(const std::string& path, std::span<const uint8_t> bytes);

// Images with one label each, as MNIST ships them.
struct LabeledImages {
  int count = 0;                // N
  int rows = 0, cols = 0;       // 28 x 28 for MNIST
  std::vector<uint8_t> pixels;  // (N, rows * cols) row-major, 0 = background, 255 = ink
  std::vector<uint8_t> labels;  // (N) class labels 0..9

  int dim() const { return rows * cols; }
  bool empty() const { return count == 0; }
  std::span<const uint8_t> image(int i) const { return {pixels.data() + size_t(i) * size_t(dim()), size_t(dim())}; }
  // The first n images (or all, if n >= count): default subsets and "training-set size".
  LabeledImages first(int n) const;
};

// Checks the pair (images: 3 dims of at most kMaxImagePixels a picture, labels: 1 dim, equal
// counts) and joins them. Throws implay::Error naming both sources when counts differ.
LabeledImages make_labeled_images(IdxArray images, IdxArray labels, const std::string& images_source,
                                  const std::string& labels_source);

// Reads and joins two raw IDX files.
LabeledImages load_idx_pair(const std::string& images_path, const std::string& labels_path);

// Per-class counts of labels: (num_classes).
std::vector<int> count_labels(std::span<const uint8_t> labels, int num_classes);

}  // namespace implay
