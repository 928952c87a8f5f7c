// bench_entry.hpp — what the browser benchmarks' wasm modules (sketch_kernels.cpp, nn_kernels.cpp)
// share around their C entry points: the message of the last error, which each module's
// bench_last_error() hands to the page, and guarded(), which turns an exception into −1 and that
// message (the page cannot catch a C++ exception through a C call).
#pragma once
#include <exception>
#include <string>

namespace bench {

inline std::string last_error;  // message of the last exception an entry point caught

// Runs f(); returns 0, or −1 with last_error set when it throws.
template <class F>
int guarded(F&& f) {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    last_error = e.what();
    return -1;
  }
}

}  // namespace bench
