// simd.hpp — forwards to target.hpp (kWasmSimd and the other target facts live there now); kept
// only until src/app/app.cpp includes core/target.hpp itself.
#pragma once
#include "core/target.hpp"
