// frame_budget.hpp — the millisecond clock the labs use for their per-frame compute budgets.
// (Where controls are on screen, for browser tests, is app/probes.hpp's.)
#pragma once
#include <chrono>

namespace implay::app {

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace implay::app
