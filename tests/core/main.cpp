// The doctest main of the core test suite (native and WebAssembly builds).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
