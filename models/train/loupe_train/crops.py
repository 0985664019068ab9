"""The model-input crop, computed exactly as the device does (device/vision/tensor.ts).

A square of side CROP_FACTOR × girdle diameter centred on the girdle, padded with the tray
colour where it runs off the frame, resampled to size × size with Pillow's antialiased
bilinear kernel. device/vision/resample.ts reproduces Pillow bit for bit, so a crop made
here and one made on the device from the same frame and outline are the same bytes.
"""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageOps

from .grades import CROP_FACTOR

TRAY_BORDER_FRACTION = 0.04  # as device/vision/tray.ts


def tray_colour(rgb: np.ndarray) -> tuple[int, int, int]:
    """Per-channel (lower) median of the frame's border band, exactly as device/vision/tray.ts estimates the tray."""
    height, width = rgb.shape[:2]
    band = max(1, math.floor(min(width, height) * TRAY_BORDER_FRACTION + 0.5))  # JS Math.round
    mask = np.ones((height, width), dtype=bool)
    mask[band:height - band, band:width - band] = False
    pixels = rgb[mask]
    k = (len(pixels) + 1) // 2 - 1
    return tuple(int(np.partition(pixels[:, c], k)[k]) for c in range(3))


def crop_stone(image: Image.Image, centre_x: float, centre_y: float, diameter: float, size: int,
               fill: tuple[int, int, int], factor: float = CROP_FACTOR) -> np.ndarray:
    """uint8 [size, size, 3] crop of side factor × diameter around (centre_x, centre_y)."""
    side = factor * diameter
    x0, y0 = centre_x - side / 2, centre_y - side / 2
    x1, y1 = x0 + side, y0 + side
    # The filter reads up to max(1, side/size) pixels past the box; pad only when that
    # reaches outside the frame (Pillow clamps at the edge, the device reads the fill).
    reach = math.ceil(max(1.0, side / size)) + 1
    overrun = max(0.0, -x0 + reach, -y0 + reach, x1 + reach - image.width, y1 + reach - image.height)
    if overrun > 0:
        pad = math.ceil(overrun)
        image = ImageOps.expand(image, border=pad, fill=fill)
        x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 + pad, y1 + pad
    return np.asarray(image.resize((size, size), Image.BILINEAR, box=(x0, y0, x1, y1)), dtype=np.uint8)


def jittered_geometry(rng: np.random.Generator, centre_x: float, centre_y: float, diameter: float,
                      centre_jitter: float = 0.03, scale_jitter: float = 0.03) -> tuple[float, float, float]:
    """Mimics the device locator's error: centre ± centre_jitter × d, diameter × (1 ± scale_jitter)."""
    dx, dy = rng.uniform(-centre_jitter, centre_jitter, size=2) * diameter
    return centre_x + dx, centre_y + dy, diameter * (1 + rng.uniform(-scale_jitter, scale_jitter))


def dihedral(crop: np.ndarray, k: int) -> np.ndarray:
    """One of the 8 symmetries of the square (k in 0..7); label-preserving for a round brilliant."""
    out = np.rot90(crop, k % 4, axes=(0, 1))
    return out[:, ::-1] if k >= 4 else out
