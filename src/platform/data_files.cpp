// data_files.cpp — see data_files.hpp. zlib does the gunzip; the core parses the bytes.
#include "platform/data_files.hpp"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"

namespace implay {
namespace {

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& path) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(path + ": cannot start gzip decoder");
  std::vector<uint8_t> out(in.size() * 4 + 1024);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = uInt(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.total_out == out.size()) out.resize(out.size() * 2);
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = uInt(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) {
      inflateEnd(&zs);
      throw Error(path + ": corrupt or truncated gzip data (" + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) +
                  ")");
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw Error(path + ": truncated gzip data");
    }
  }
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

std::string find_file(const std::string& dir, const std::string& name) {
  for (const std::string& candidate : {dir + "/" + name, dir + "/" + name + ".gz"})
    if (std::filesystem::exists(candidate)) return candidate;
  throw Error("data file " + name + "(.gz) not found in " + dir +
              " (run scripts/build to stage MNIST, or set IMPLAY_DATA to a folder with the MNIST IDX files)");
}

}  // namespace

std::vector<uint8_t> read_data_file(const std::string& path) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path);
  return bytes;
}

std::string data_dir() {
  if (const char* env = std::getenv("IMPLAY_DATA"); env && *env) return env;
  return IMPLAY_STAGED_DATA_DIR;
}

std::optional<DatasetPaths> resolve_dataset_name(const std::string& name) {
  std::string prefix;
  if (name == "mnist") prefix = "train";
  else if (name == "mnist-test") prefix = "t10k";
  else return std::nullopt;
  const std::string dir = data_dir();
  return DatasetPaths{find_file(dir, prefix + "-images-idx3-ubyte"), find_file(dir, prefix + "-labels-idx1-ubyte")};
}

LabeledImages load_named_dataset(const std::string& name) {
  const auto paths = resolve_dataset_name(name);
  if (!paths) throw Error("unknown dataset name '" + name + "' (known: mnist, mnist-test)");
  return make_labeled_images(parse_idx_u8(read_data_file(paths->images), paths->images),
                             parse_idx_u8(read_data_file(paths->labels), paths->labels), paths->images,
                             paths->labels);
}

}  // namespace implay
