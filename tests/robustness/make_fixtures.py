#!/usr/bin/env python3
"""make_fixtures.py OUT_DIR — writes the hostile inputs of the robustness suite (tests/robustness):
gzip bombs, headers that declare gigabytes, NaN models, malformed CSV and PNG files. They are made
at test time, not committed, so the suite can hold large or odd files without bloating the repo."""
import gzip
import os
import struct
import sys
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def idx(dims, data=b""):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


# [sizes] An IDX header for 10 images of 28x28, then 64 MB of zeros: 7,856 bytes declared.
bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [bomb.compress(idx([10, 28, 28]))]
zeros = bytes(1 << 20)
for _ in range(64):
    parts.append(bomb.compress(zeros))
parts.append(bomb.flush())
write("bomb.idx.gz", b"".join(parts))
# A 16-byte header that declares 4 GiB, raw and gzip'd.
write("huge-header.idx", idx([65536, 65536, 1]))
write("huge-header.idx.gz", gzip.compress(idx([65536, 65536, 1])))
# A valid labels file split over two gzip members (gzip files may be concatenated).
labels = idx([6], bytes([0, 1, 1, 2, 2, 2]))
write("two-members.idx.gz", gzip.compress(labels[:7]) + gzip.compress(labels[7:]))
write("trailing-garbage.idx.gz", gzip.compress(labels) + b"garbage!")
# One 200x200 image: an FVSBN of it would need 800 M parameters.
write("big-images.idx", idx([1, 200, 200], bytes(200 * 200)))

# [models] Headers that declare huge models; models holding NaN.
def pixel_header(magic, rows, cols, *extra):
    return magic + struct.pack("<III", 1, rows, cols) + b"".join(struct.pack("<I", v) for v in extra)

write("fvsbn-4096.bin", pixel_header(b"IMPLAYFV", 4096, 4096))
write("nade-huge.bin", pixel_header(b"IMPLAYNA", 4096, 4096, 4096))
d = 4
fvsbn = [0.0] * (d * (d - 1) // 2 + d)
fvsbn[2] = float("nan")
write("fvsbn-nan.bin", pixel_header(b"IMPLAYFV", 2, 2) + struct.pack("<%df" % len(fvsbn), *fvsbn))

def linear_model(c, dim, params, spec=b""):
    return b"IMPLAYLM" + struct.pack("<IIII", 1, c, dim, len(spec)) + spec + struct.pack("<%df" % len(params), *params)

write("linear-65536-classes.bin", b"IMPLAYLM" + struct.pack("<IIII", 1, 65536, 784, 0))
params = [0.1] * (3 * 2 + 3)
params[4] = float("inf")
write("linear-inf.bin", linear_model(3, 2, params))

# [cnn] Convolutional nets (cnn.hpp's file): a valid 1x2x2 > dense 2 net, the same with a NaN
# weight and cut short, and a header whose conv layer asks for more than 2^24 parameters.
def cnn_model(c, h, w, layers, params):
    head = b"IMPLAYCN" + struct.pack("<IIIII", 1, c, h, w, len(layers))
    return head + b"".join(struct.pack("<6I", *layer) for layer in layers) + struct.pack("<%df" % len(params), *params)

dense2 = [(3, 2, 0, 0, 0, 0)]
write("cnn-tiny.bin", cnn_model(1, 2, 2, dense2, [0.5] * 10))
write("cnn-nan.bin", cnn_model(1, 2, 2, dense2, [0.5] * 7 + [float("nan")] + [0.5] * 2))
write("cnn-truncated.bin", cnn_model(1, 2, 2, dense2, [0.5] * 10)[:-6])
write("cnn-huge.bin", cnn_model(64, 1024, 1024, [(0, 4096, 64, 64, 1, 0), (3, 10, 0, 0, 0, 0)], []))

# [csv] A first row with a stray word; values whose squares overflow float; duplicated ROC label.
write("stray-word.csv", b"1,2,x,4\n0,1,2,3\n")
write("huge-values.csv", b"0,1.9e19,0\n1,0,1.9e19\n")
write("roc-duplicate-label.csv", b"label,score,label\n1,0.9,0\n0,0.1,1\n")
write("knn-train.csv", b"0,0,0\n0,1,0\n1,5,5\n1,6,5\n")

# [png] A 28x28 grey+alpha PNG: transparent background, an opaque black bar (ink drawn on a
# transparent canvas); and the same PNG cut short.
def png(width, height, colour_type, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + r for r in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

rows = []
for y in range(28):
    row = b""
    for x in range(28):
        ink = 4 <= y < 14 and 10 <= x < 18
        row += bytes([0, 255]) if ink else bytes([0, 0])  # (grey, alpha)
    rows.append(row)
transparent = png(28, 28, 4, rows)
write("transparent-ink.png", transparent)
write("truncated.png", transparent[: len(transparent) // 2])
# A PNG claiming 100000 x 100000 pixels (its one row of data is all it has); and one whose IDAT
# chunk declares 1.3 GB in a 41-byte file (stb grew its buffer to that before looking).
write("huge.png", png(100000, 100000, 0, [b""]))
write("idat-lies.png", transparent[:33] + struct.pack(">I", 0x4E0A0011) + b"IDAT" + b"\x78\x9c\x00\x00")
