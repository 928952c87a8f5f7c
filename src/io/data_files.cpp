// data_files.cpp — see data_files.hpp. zlib does the gunzip; the core parses the bytes.
#include "io/data_files.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"

namespace implay {
namespace {

bool starts_like_gzip(std::span<const uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// Every gzip member of `in`, inflated into a buffer that grows by doubling but never past
// `limit` + 1 bytes: the limit is learnt from the IDX header as soon as its bytes are out.
std::vector<uint8_t> gunzip_limited(std::span<const uint8_t> in, const std::string& source) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(source + ": cannot start the gzip decoder");
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  uint64_t limit = kMaxIdxBytes + 4 + 4 * 4;  // until the header is known: the largest IDX file
  bool limit_from_header = false;
  std::vector<uint8_t> out(std::min<size_t>(std::max<size_t>(in.size() * 4, 4096), size_t(limit) + 1));
  size_t produced = 0;
  zs.next_in = const_cast<Bytef*>(in.data());
  // zlib counts input in uInt: feed at most 1 GiB at a time (read_file_bytes caps files at that).
  zs.avail_in = uInt(std::min<size_t>(in.size(), size_t(1) << 30));
  for (;;) {
    if (produced == out.size()) {
      if (produced > limit) break;
      out.resize(size_t(std::min<uint64_t>(uint64_t(out.size()) * 2, limit + 1)));
    }
    zs.next_out = out.data() + produced;
    zs.avail_out = uInt(out.size() - produced);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced = out.size() - zs.avail_out;
    if (!limit_from_header) {
      if (const auto declared = idx_declared_size(std::span<const uint8_t>(out.data(), produced))) {
        limit = *declared;
        limit_from_header = true;
      } else if (produced >= 4 + 4 * 4) {
        break;  // not an IDX header: the parser names the magic number
      }
    }
    if (produced > limit) break;
    if (rc == Z_STREAM_END) {
      // Another member may follow (gzip files can be concatenated); anything else is an error.
      const size_t consumed = size_t(zs.next_in - in.data());
      if (consumed == in.size()) break;
      if (!starts_like_gzip(in.subspan(consumed)))
        throw Error(source + ": " + std::to_string(in.size() - consumed) + " bytes after the end of the gzip data");
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue;  // needs room: grown above
    if (rc != Z_OK)
      throw Error(source + ": corrupt or truncated gzip data (" +
                  (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) + ")");
    if (zs.avail_in == 0 && zs.avail_out != 0) throw Error(source + ": truncated gzip data");
  }
  if (limit_from_header && produced > limit)
    throw Error(source + ": the gzip data expands past the " + std::to_string(limit) +
                " bytes its IDX header declares (header and data)");
  out.resize(produced);
  return out;
}

std::string find_file(const std::string& dir, const std::string& name) {
  for (const std::string& candidate : {dir + "/" + name, dir + "/" + name + ".gz"})
    if (std::filesystem::exists(candidate)) return candidate;
  throw Error("data file " + name + "(.gz) not found in " + dir +
              " (run scripts/build to stage MNIST, or set IMPLAY_DATA to a folder with the MNIST IDX files)");
}

}  // namespace

std::vector<uint8_t> decode_data_bytes(std::span<const uint8_t> bytes, const std::string& source) {
  if (starts_like_gzip(bytes)) return gunzip_limited(bytes, source);
  return {bytes.begin(), bytes.end()};
}

std::vector<uint8_t> read_data_file(const std::string& path) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  if (starts_like_gzip(bytes)) return gunzip_limited(bytes, path);
  return bytes;  // not copied, as decode_data_bytes would: MNIST's training images are 47 MB
}

std::string data_dir() {
  if (const char* env = std::getenv("IMPLAY_DATA"); env && *env) return env;
  return IMPLAY_STAGED_DATA_DIR;
}

std::optional<DatasetPaths> resolve_dataset_name(const std::string& name) {
  std::string prefix;
  if (name == "mnist")
    prefix = "train";
  else if (name == "mnist-test")
    prefix = "t10k";
  else
    return std::nullopt;
  const std::string dir = data_dir();
  return DatasetPaths{find_file(dir, prefix + "-images-idx3-ubyte"), find_file(dir, prefix + "-labels-idx1-ubyte")};
}

LabeledImages load_named_dataset(const std::string& name) {
  const auto paths = resolve_dataset_name(name);
  if (!paths) throw Error("unknown dataset name '" + name + "' (known: mnist, mnist-test)");
  return make_labeled_images(parse_idx_u8(read_data_file(paths->images), paths->images),
                             parse_idx_u8(read_data_file(paths->labels), paths->labels), paths->images, paths->labels);
}

}  // namespace implay
