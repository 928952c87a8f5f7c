// try_this.hpp — the "Try this" panel every lab opens with: a few tasks tied to the lecture, each
// saying what to look for. The tasks live in the lab's registry row (app/labs/registry.cpp); the
// frame (app/app.cpp) draws the panel before the lab and remembers whether it is open.
#pragma once
#include <span>

#include "app/probes.hpp"

namespace implay::app {

// Draws a collapsible "Try this" header and, while `open`, the numbered `tasks` (wrapped). A
// click on the header flips `open`; returns true on the frame it flipped. Probes: "try_header"
// (what a test clicks) and "try" (the whole panel).
bool TryThis(std::span<const char* const> tasks, bool& open, Probes& probes);

}  // namespace implay::app
