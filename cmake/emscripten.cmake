# Flags of the WebAssembly build: -O3 with SIMD everywhere, native wasm exceptions so errors thrown
# by the core can be caught and shown, memory growth, and no pthreads (course sites cannot send
# the COOP/COEP headers that SharedArrayBuffer needs).
add_compile_options(-msimd128 -fwasm-exceptions)
add_link_options(-msimd128 -fwasm-exceptions -sALLOW_MEMORY_GROWTH=1)
string(APPEND CMAKE_CXX_FLAGS_RELEASE " -O3")
# Tests run under node; node 20 needs --no-experimental-fetch to load the .wasm from disk.
set(CMAKE_CROSSCOMPILING_EMULATOR "node;--no-experimental-fetch" CACHE STRING "" FORCE)
set(SDL2_WASM_DIR "${IMPLAY_CACHE_DIR}/sdl2-wasm" CACHE PATH "SDL2 2.26.5 built for WebAssembly by scripts/setup")
