#!/usr/bin/python3
"""Converts the Middlebury 2014 Motorcycle scene shipped with scikit-image into the plain RGB-D
pair layout that org.latentlab.data.RgbdFolderReader reads:

    rgb/motorcycle.png     8-bit RGB
    depth/motorcycle.png   16-bit grey, depth in millimetres, 0 where there is no ground truth

Run once from the repository root with Debian's Python (python3-skimage 0.19.3-8,
python3-numpy 1:1.24.2-1+deb12u1, python3-pil 9.4.0-1.1+deb12u1):

    /usr/bin/python3 sample-data/motorcycle/make_motorcycle.py

Source files (skimage/data): motorcycle_left.png (741 x 500 RGB) and motorcycle_disp.npz
(float32 disparity in pixels of those images, +inf where unknown). skimage documents the
calibration of these quarter-resolution images in skimage.data.stereo_motorcycle():
focal length 994.978 px, baseline 193.001 mm, principal point offset doffs 31.086 px, so

    depth_mm = 994.978 * 193.001 / (disparity + 31.086)

Both images are scaled so the longest side is 640 pixels: colour with PIL's box filter (area
average), depth by nearest neighbour (so missing pixels stay missing and no depth is averaged
across an object boundary), then rounded to whole millimetres.
"""
import os

import numpy as np
from PIL import Image

SRC = "/usr/lib/python3/dist-packages/skimage/data"
OUT = os.path.dirname(os.path.abspath(__file__))
FOCAL_PX, BASELINE_MM, DOFFS_PX = 994.978, 193.001, 31.086
LONGEST = 640

left = Image.open(os.path.join(SRC, "motorcycle_left.png")).convert("RGB")
disp = np.load(os.path.join(SRC, "motorcycle_disp.npz"))["arr_0"].astype(np.float64)
w, h = left.size
assert disp.shape == (h, w), (disp.shape, left.size)

valid = np.isfinite(disp) & (disp + DOFFS_PX > 0)
depth_mm = np.zeros_like(disp)
depth_mm[valid] = FOCAL_PX * BASELINE_MM / (disp[valid] + DOFFS_PX)

scale = min(1.0, LONGEST / max(w, h))
nw, nh = round(w * scale), round(h * scale)
rgb = left.resize((nw, nh), Image.BOX)
ys = np.minimum(h - 1, ((np.arange(nh) + 0.5) * h / nh).astype(int))
xs = np.minimum(w - 1, ((np.arange(nw) + 0.5) * w / nw).astype(int))
small = depth_mm[np.ix_(ys, xs)]
depth16 = np.clip(np.rint(small), 0, 65535).astype(np.uint16)

os.makedirs(os.path.join(OUT, "rgb"), exist_ok=True)
os.makedirs(os.path.join(OUT, "depth"), exist_ok=True)
rgb.save(os.path.join(OUT, "rgb", "motorcycle.png"), optimize=True)
Image.fromarray(depth16, mode="I;16").save(os.path.join(OUT, "depth", "motorcycle.png"), optimize=True)

v = depth16[depth16 > 0]
print("size", nw, "x", nh, "| missing", int((depth16 == 0).sum()), "of", depth16.size,
      "| depth mm min/median/max", int(v.min()), int(np.median(v)), int(v.max()))
