// error.hpp — the one exception type the core throws for bad user input (a file, k > N, a
// mismatched dimension). Messages name the bad value; the UI and the CLI catch and show them.
// Programmer mistakes are asserts, not exceptions.
#pragma once
#include <stdexcept>
#include <string>

namespace implay {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace implay
