"""A simple stone locator for real photographs whose CSV has no girdle outline.

The tray is light and even; the stone differs from it (dark facets, bright flashes). Pixels
that differ from the tray colour (the median of the frame border) by more than a threshold are
the stone; the largest connected blob's bounding box gives centre and diameter. When no blob
of plausible size is found, the locator falls back to a centre crop (the frame's short side
taken as CROP_FACTOR × diameter), and says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .crops import tray_colour
from .grades import CROP_FACTOR

DIFFERENCE_THRESHOLD = 28  # summed |RGB - tray| over the three channels, 0..765
MIN_DIAMETER_FRACTION = 0.1  # of the frame's short side


@dataclass(frozen=True)
class Located:
    centre_x: float
    centre_y: float
    diameter: float
    method: str  # "blob" or "centre-crop"


def locate_stone(rgb: np.ndarray) -> Located:
    height, width = rgb.shape[:2]
    tray = np.array(tray_colour(rgb), dtype=np.int32)
    difference = np.abs(rgb.astype(np.int32) - tray).sum(axis=2)
    mask = ndimage.binary_opening(difference > DIFFERENCE_THRESHOLD, iterations=1)
    mask = ndimage.binary_fill_holes(mask)
    labels, count = ndimage.label(mask)
    if count > 0:
        sizes = ndimage.sum(mask, labels, index=range(1, count + 1))
        biggest = int(np.argmax(sizes)) + 1
        ys, xs = np.nonzero(labels == biggest)
        diameter = float(max(xs.max() - xs.min() + 1, ys.max() - ys.min() + 1))
        if diameter >= MIN_DIAMETER_FRACTION * min(width, height):
            return Located((xs.min() + xs.max() + 1) / 2, (ys.min() + ys.max() + 1) / 2, diameter, "blob")
    return Located(width / 2, height / 2, min(width, height) / CROP_FACTOR, "centre-crop")
