// data_files.hpp — native file access for the CLI and the desktop app: IDX files raw or gzip'd,
// and the dataset names `mnist` / `mnist-test`, which resolve to the data staged in dist/data
// by the build, or to the folder named by the environment variable IMPLAY_DATA.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/data/idx.hpp"

namespace implay {

// The bytes of a data file as they are, or gunzipped when they start with the gzip magic 1f 8b:
// every member of a multi-member stream, inflated in steps and stopped as soon as the output
// passes the size its IDX header declares (or kMaxIdxBytes), so a small .gz that would expand to
// gigabytes is refused after a few kilobytes. `source` names the data in messages. Throws
// implay::Error for corrupt or truncated gzip data, bytes after the last member, and output
// larger than its header declares.
std::vector<uint8_t> decode_data_bytes(std::span<const uint8_t> bytes, const std::string& source);

// Reads a file (read_file_bytes) and decodes it (decode_data_bytes).
std::vector<uint8_t> read_data_file(const std::string& path);

// $IMPLAY_DATA when set, else the bundle's staged data folder (dist/data).
std::string data_dir();

struct DatasetPaths {
  std::string images;  // an images IDX file (raw or .gz)
  std::string labels;  // the matching labels IDX file
};

// "mnist" -> the 60,000 training images, "mnist-test" -> the 10,000 test images, looked up in
// data_dir() under the standard MNIST file names with or without .gz. std::nullopt for other
// names; throws implay::Error when the name is known but its files are missing.
std::optional<DatasetPaths> resolve_dataset_name(const std::string& name);

// Loads a named dataset (see resolve_dataset_name) as labelled images.
LabeledImages load_named_dataset(const std::string& name);

}  // namespace implay
