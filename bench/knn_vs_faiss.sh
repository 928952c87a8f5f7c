#!/usr/bin/env bash
# bench/knn_vs_faiss.sh — builds bench/knn_search_bench (native preset) and runs it beside FAISS
# IndexFlatL2 on MNIST: 10,000 queries x 60,000 images, k=3, L2. Extra arguments go to
# knn_vs_faiss.py (--threads N, --repeat R). Needs python3-faiss (scripts/setup installs it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"
cmake --build --preset native --target knn_search_bench >/dev/null
# Debian's python3 (it has python3-faiss), not the pyenv python3 first on PATH. OPENBLAS_CORETYPE
# and OPENBLAS_L2_SIZE, where this machine sets them (older OpenBLAS builds misbehave without),
# make a current OpenBLAS pick a slow kernel: unset both for this command only, and print the
# kernel it then picks. Tests and CI keep them.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/knn_vs_faiss.py \
  --ours "$ROOT/build/native/bench/knn_search_bench" "$@"
