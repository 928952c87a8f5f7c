// pixel_permutation.hpp — the --permute-pixels SEED option of `nn` and `cnn` train and eval: one
// fixed shuffle of every image's pixels (core/conv/transforms.hpp), the same for the training and
// the test images. A saved model records nothing of it, so eval takes the same SEED again.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "cli/cli_util.hpp"
#include "core/conv/transforms.hpp"
#include "core/data/idx.hpp"
#include "core/error.hpp"
#include "io/data_files.hpp"

namespace implay::cli {

inline void add_permute_pixels_option(CLI::App* cmd, std::optional<uint64_t>& seed) {
  cmd->add_option("--permute-pixels", seed,
                  "shuffle the pixels of every image (training and test alike) by the one permutation of this seed: "
                  "a CNN loses its edge, an MLP does not care")
      ->check(integer_in(0, std::numeric_limits<long long>::max()));
}

// True for mnist / mnist-test, the only image sets the option applies to (a name whose files are
// missing still counts: loading reports that).
inline bool is_image_dataset_name(const std::string& name) {
  try {
    return resolve_dataset_name(name).has_value();
  } catch (const Error&) {
    return true;
  }
}

// --permute-pixels with data that is not images is a usage error (exit 2).
inline void reject_permute_pixels_unless_images(CLI::App* cmd, const std::string& data) {
  if (cmd->count("--permute-pixels") > 0 && !is_image_dataset_name(data))
    throw CLI::ValidationError("--permute-pixels", "permutes image pixels (mnist, mnist-test), not " + data);
}

// images.pixels (N, rows·cols) with every row permuted by make_pixel_permutation(rows·cols, seed).
inline void permute_dataset_pixels(LabeledImages& images, std::optional<uint64_t> seed) {
  if (!seed) return;
  images.pixels = permute_images(make_pixel_permutation(images.dim(), *seed), images.pixels);
}

// ", pixels permuted (seed S)" for the header lines, or "".
inline std::string permutation_text(std::optional<uint64_t> seed) {
  return seed ? ", pixels permuted (seed " + std::to_string(*seed) + ")" : "";
}

}  // namespace implay::cli
