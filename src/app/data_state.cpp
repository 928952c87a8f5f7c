// data_state.cpp — see data_state.hpp.
#include "app/data_state.hpp"

#include <exception>

#include "app/format.hpp"

namespace implay::app {
namespace {

const char* kFiles[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                        "t10k-labels-idx1-ubyte"};

}  // namespace

void on_data_progress(DataState& data, const std::string& set, double received, double total) {
  if (data.loading_set != set) {
    data.loading_set = set;
    data.pending.clear();
  }
  if (!data.ready()) data.status = DataStatus::Loading;
  data.bytes_received = received;
  data.bytes_total = total;
}

void on_data_file(DataState& data, const std::string& set, const std::string& file, std::span<const uint8_t> bytes) {
  if (data.loading_set != set) {
    data.loading_set = set;
    data.pending.clear();
  }
  data.pending[file].assign(bytes.begin(), bytes.end());
  for (const char* name : kFiles)
    if (!data.pending.count(name)) return;
  try {
    auto parse = [&](const char* name) { return parse_idx_u8(data.pending[name], set + "/" + name); };
    LabeledImages train = make_labeled_images(parse(kFiles[0]), parse(kFiles[1]), kFiles[0], kFiles[1]);
    LabeledImages test = make_labeled_images(parse(kFiles[2]), parse(kFiles[3]), kFiles[2], kFiles[3]);
    set_data(data, std::move(train), std::move(test), set);
  } catch (const std::exception& e) {
    on_data_failed(data, set, e.what());
  }
  data.pending.clear();
  data.loading_set.clear();
}

void on_data_failed(DataState& data, const std::string& set, const std::string& message) {
  data.error = "loading MNIST (" + set + ") failed: " + message;
  data.status = data.ready() ? DataStatus::Ready : DataStatus::Failed;
  data.pending.clear();
  data.loading_set.clear();
}

void set_data(DataState& data, LabeledImages train, LabeledImages test, const std::string& set) {
  data.train = std::move(train);
  data.test = std::move(test);
  data.loaded_set = set;
  data.status = DataStatus::Ready;
  data.error.clear();
  ++data.generation;
}

std::string data_summary(const DataState& data) {
  std::string s;
  if (data.ready())
    s = std::string(data.full() ? "MNIST, all of it: " : "MNIST subset: ") + thousands(data.train.count) + " train / " +
        thousands(data.test.count) + " test images";
  else if (data.status == DataStatus::Failed)
    s = "MNIST not loaded";
  else
    s = "MNIST loading";
  if (!data.loading_set.empty() && data.bytes_total > 0)
    s += "  ·  loading the " + data.loading_set + " set " + std::to_string(int(100 * data.progress())) + " %";
  return s;
}

}  // namespace implay::app
