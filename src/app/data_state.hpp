// data_state.hpp — the MNIST data the labs share: the default subset first, the full
// 60,000 / 10,000 sets on demand. Files arrive as bytes (from fetch in the browser, from disk
// natively) and are parsed by the core's IDX loader; errors are kept and shown, never thrown.
#pragma once
#include <map>
#include <span>
#include <string>

#include "core/data/idx.hpp"

namespace implay::app {

enum class DataStatus { NotLoaded, Loading, Ready, Failed };

struct DataState {
  LabeledImages train;     // (N, 784) the training images the labs use
  LabeledImages test;      // (M, 784) the test images
  std::string loaded_set;  // "" until ready, then "subset" or "full"
  DataStatus status = DataStatus::NotLoaded;
  std::string loading_set;                              // the set in flight
  double bytes_received = 0, bytes_total = 0;           // download progress of loading_set
  std::string error;                                    // the last failure, shown in the status bar and data view
  std::map<std::string, std::vector<uint8_t>> pending;  // decoded files of loading_set by name
  int generation = 0;                                   // bumps whenever train/test change, so labs can refresh caches

  bool ready() const { return !train.empty(); }
  bool full() const { return loaded_set == "full"; }
  float progress() const { return bytes_total > 0 ? float(bytes_received / bytes_total) : 0.0f; }
};

// Progress of the download of `set`.
void on_data_progress(DataState& data, const std::string& set, double received, double total);
// One decoded IDX file (standard MNIST name without .gz) of `set`; when all four are there,
// the set is parsed and becomes current.
void on_data_file(DataState& data, const std::string& set, const std::string& file, std::span<const uint8_t> bytes);
// A failed download (network error, HTTP status, corrupt gzip).
void on_data_failed(DataState& data, const std::string& set, const std::string& message);
// Installs already-parsed sets (the native app reads them from disk).
void set_data(DataState& data, LabeledImages train, LabeledImages test, const std::string& set);

// A one-line summary for the status bar, e.g. "MNIST 10,000 train + 2,000 test (default subset)".
std::string data_summary(const DataState& data);

}  // namespace implay::app
