// data_needed.hpp — what a lab that needs MNIST shows until the data is there: the download's
// progress, or its error and a "Try again" button. Shared by every lab that uses MNIST.
#pragma once

namespace implay::app {

struct LabContext;

// Draws the progress or the error; returns true (drawing nothing) when the data is ready.
bool draw_data_needed(LabContext& ctx);

}  // namespace implay::app
