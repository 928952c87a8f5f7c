// data_files.hpp — native file access for the CLI and the desktop app: IDX files raw or gzip'd,
// and the dataset names `mnist` / `mnist-test`, which resolve to the data staged in dist/data
// by the build, or to the folder named by the environment variable IMPLAY_DATA.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/idx.hpp"

namespace implay {

// Reads a file; gunzips it when it starts with the gzip magic bytes 1f 8b.
// Throws implay::Error naming the file for missing files and corrupt gzip streams.
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
