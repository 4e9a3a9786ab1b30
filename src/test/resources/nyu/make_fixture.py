#!/usr/bin/python3
"""Writes the small NYU Depth V2 labelled-format fixtures used by NyuMatReaderTest.

Run once from the repository root with Debian's Python and h5py (python3-h5py 3.7.0,
python3-numpy 1.24.2):

    /usr/bin/python3 src/test/resources/nyu/make_fixture.py

The files imitate nyu_depth_v2_labeled.mat: a MATLAB v7.3 MAT-file, i.e. HDF5 behind a
512-byte user block holding MATLAB's 128-byte text header, with the real dataset names, axis
order and types (MATLAB stores column-major, so HDF5 sees (frames, 3, width, height)):

  nyu_small.mat     images (4, 3, 40, 30) uint8, depths (4, 40, 30) float32 (chunked, deflate),
                    labels (4, 40, 30) uint16. Pixel (y, x) of frame n is [n][c][x][y] with
                    images[n, c, x, y] = (61 n + 29 c + 7 x + 3 y) mod 256 and
                    depths[n, x, y]   = BASE[n] + x / 64 + y / 128 (exact in float32),
                    BASE = 0.5, 3.0, 5.0, 1.0 (median buckets near, mid, far, near);
                    frame 3 has NaN at (y=1, x=2), +inf at (y=2, x=3), -1 at (y=3, x=4).
  nyu_missing.mat   images and labels only (no depths).
  nyu_mismatch.mat  images (2, 3, 8, 6) but depths (2, 6, 8): shapes disagree.
"""
import os
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = [0.5, 3.0, 5.0, 1.0]


def matlab_header():
    text = ("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: "
            + time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(0))
            + " HDF5 schema 1.00 .")
    head = text.encode("ascii").ljust(116, b" ")
    head += b"\x00" * 8          # subsystem data offset
    head += b"\x00\x02"          # version 0x0200
    head += b"IM"                # endian indicator
    return head.ljust(512, b"\x00")


def finish(path):
    with open(path, "r+b") as f:
        f.write(matlab_header())


def mark(ds, cls):
    ds.attrs["MATLAB_class"] = np.bytes_(cls)


def small(path):
    n, w, h = 4, 40, 30
    nn, cc, xx, yy = np.meshgrid(np.arange(n), np.arange(3), np.arange(w), np.arange(h), indexing="ij")
    images = ((61 * nn + 29 * cc + 7 * xx + 3 * yy) % 256).astype(np.uint8)
    n3, x3, y3 = np.meshgrid(np.arange(n), np.arange(w), np.arange(h), indexing="ij")
    depths = (np.array(BASE)[n3] + x3 / 64.0 + y3 / 128.0).astype(np.float32)
    depths[3, 2, 1] = np.nan
    depths[3, 3, 2] = np.inf
    depths[3, 4, 3] = -1.0
    labels = ((x3 // 10) + 4 * (y3 // 10)).astype(np.uint16)
    with h5py.File(path, "w", userblock_size=512, libver="earliest") as f:
        mark(f.create_dataset("images", data=images), "uint8")
        mark(f.create_dataset("depths", data=depths, chunks=(1, w, h), compression="gzip"), "single")
        mark(f.create_dataset("labels", data=labels, chunks=(1, w, h), compression="gzip"), "uint16")
    finish(path)


def missing(path):
    with h5py.File(path, "w", userblock_size=512) as f:
        mark(f.create_dataset("images", data=np.zeros((2, 3, 8, 6), np.uint8)), "uint8")
        mark(f.create_dataset("labels", data=np.zeros((2, 8, 6), np.uint16)), "uint16")
    finish(path)


def mismatch(path):
    with h5py.File(path, "w", userblock_size=512) as f:
        mark(f.create_dataset("images", data=np.zeros((2, 3, 8, 6), np.uint8)), "uint8")
        mark(f.create_dataset("depths", data=np.ones((2, 6, 8), np.float32)), "single")
    finish(path)


if __name__ == "__main__":
    small(os.path.join(HERE, "nyu_small.mat"))
    missing(os.path.join(HERE, "nyu_missing.mat"))
    mismatch(os.path.join(HERE, "nyu_mismatch.mat"))
    for name in ("nyu_small.mat", "nyu_missing.mat", "nyu_mismatch.mat"):
        print(name, os.path.getsize(os.path.join(HERE, name)), "bytes")
