# scripts/env.sh — sourced by the other scripts: paths and the environment emscripten needs.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NODE_PATH=/usr/share/nodejs          # emcc's JS optimizer needs Debian's acorn
export EM_CACHE="$ROOT/.cache/emcache"      # writable copy of Debian's frozen cache (scripts/setup)
JOBS="${JOBS:-$(nproc)}"
