// cmd_data.cpp — `implay data info PATH`: counts and shape of an IDX file (raw or .gz), or of a
// labelled set named `mnist` / `mnist-test`.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "io/data_files.hpp"

namespace implay::cli {
namespace {

void print_class_counts(const std::vector<uint8_t>& labels) {
  int max_label = 0;
  for (uint8_t l : labels) max_label = std::max<int>(max_label, l);
  const auto counts = count_labels(labels, max_label + 1);
  std::cout << "  classes 0-" << max_label << ":";
  for (int c : counts) std::cout << ' ' << c;
  std::cout << '\n';
}

void print_idx_file(const std::string& path) {
  const IdxArray a = parse_idx_u8(read_data_file(path), path);
  std::cout << path << ": IDX unsigned bytes, ";
  for (size_t d = 0; d < a.dims.size(); ++d) std::cout << (d ? " x " : "") << a.dims[d];
  std::cout << " (" << a.data.size() << " bytes)\n";
  if (a.dims.size() == 3)
    std::cout << "  " << a.dims[0] << " images of " << a.dims[1] << "x" << a.dims[2] << " pixels\n";
  if (a.dims.size() == 1) {
    std::cout << "  " << a.dims[0] << " labels\n";
    print_class_counts(a.data);
  }
}

void print_named_set(const std::string& name, const DatasetPaths& paths) {
  const LabeledImages set = load_named_dataset(name);
  std::cout << name << ": " << set.count << " images of " << set.rows << "x" << set.cols
            << " pixels, uint8, with labels\n"
            << "  images: " << paths.images << "\n  labels: " << paths.labels << '\n';
  print_class_counts(set.labels);
}

}  // namespace

void add_data_command(CLI::App& app, Runner& run) {
  auto* data = app.add_subcommand("data", "Inspect datasets");
  data->require_subcommand(1);
  auto* info =
      data->add_subcommand("info", "Counts and shape of an IDX file (raw or .gz) or of the set `mnist` / `mnist-test`");
  auto path = std::make_shared<std::string>();
  info->add_option("PATH", *path, "an IDX file, or mnist / mnist-test")->required();
  info->callback([&run, path] {
    run = [path] {
      if (const auto paths = resolve_dataset_name(*path)) {
        print_named_set(*path, *paths);
      } else {
        if (std::filesystem::is_directory(*path))
          throw Error(*path + ": is a folder; name an IDX file, or mnist / mnist-test");
        print_idx_file(*path);
      }
      return 0;
    };
  });
}

}  // namespace implay::cli
