"""Loads a labelled folder (images + labels.csv) once into uint8 arrays, cached on disk.

A "canvas" per image holds the stone with room for the training jitter:
- renders (all the same small size) are kept as they are, so a training crop is one
  resampling of the original pixels, as on the device;
- real photographs (any size) are cut to a context square of CONTEXT × girdle diameter around
  the stone and resized so that the model crop needs only a mild further downscale.
Rows whose CSV has no girdle outline are located by locate.py (blob, else centre crop).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .crops import crop_stone, tray_colour
from .grades import CROP_FACTOR, PROPORTION_NAMES
from .labels_csv import read_labels
from .locate import locate_stone
from .progress import Progress

RAW_CANVAS_MAX_SIDE = 512
CONTEXT = 1.6  # context square side / girdle diameter, for resized canvases
CACHE_VERSION = 3


@dataclass
class Dataset:
    name: str
    images: np.ndarray  # uint8 [N, H, W, 3]
    geometry: np.ndarray  # float32 [N, 3]: centre x, centre y, diameter in canvas pixels
    tray: np.ndarray  # uint8 [N, 3]
    labels: np.ndarray  # int64 [N, 3]: colour, clarity, cut class indices
    proportions: np.ndarray  # float32 [N, 4], NaN where the CSV has none
    files: list
    locator: list  # per row: "labels", "blob" or "centre-crop"

    def __len__(self) -> int:
        return len(self.files)

    def exact_crops(self, size: int, indices=None) -> np.ndarray:
        """uint8 [n, size, size, 3] crops at the labelled geometry (no jitter): what the device sees."""
        indices = range(len(self)) if indices is None else indices
        return np.stack([self.crop(i, size) for i in indices])

    def crop(self, index: int, size: int, geometry=None) -> np.ndarray:
        cx, cy, d = self.geometry[index] if geometry is None else geometry
        fill = tuple(int(v) for v in self.tray[index])
        return crop_stone(Image.fromarray(self.images[index]), float(cx), float(cy), float(d), size, fill)

    def subset(self, indices) -> "Dataset":
        indices = np.asarray(indices)
        return Dataset(self.name, self.images[indices], self.geometry[indices], self.tray[indices], self.labels[indices],
                       self.proportions[indices], [self.files[i] for i in indices], [self.locator[i] for i in indices])


def _fingerprint(folder: Path, size: int) -> str:
    stat = (folder / "labels.csv").stat()
    key = json.dumps([CACHE_VERSION, str(folder.resolve()), stat.st_size, stat.st_mtime_ns, size])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _resized_canvas(rgb: np.ndarray, cx: float, cy: float, d: float, size: int, tray) -> tuple[np.ndarray, tuple]:
    side = round(size * CONTEXT / CROP_FACTOR * 1.25)
    canvas = crop_stone(Image.fromarray(rgb), cx, cy, d, side, tray, factor=CONTEXT)
    scale = side / (CONTEXT * d)
    return canvas, (side / 2, side / 2, d * scale)


def load_folder(folder: Path, size: int, cache_dir: Path | None = None, quiet: bool = False) -> Dataset:
    """All rows of folder/labels.csv; `size` (the model input) only matters for resized canvases."""
    folder = Path(folder)
    cache_file = None
    if cache_dir is not None:
        cache_file = Path(cache_dir) / f"{folder.name}-{_fingerprint(folder, size)}.npz"
        if cache_file.exists():
            with np.load(cache_file, allow_pickle=False) as z:
                return Dataset(folder.name, z["images"], z["geometry"], z["tray"], z["labels"], z["proportions"],
                               list(z["files"]), list(z["locator"]))
    rows = read_labels(folder / "labels.csv")
    started = time.time()
    pixels = []
    for row in rows:
        path = folder / row.file
        if not path.is_file():
            raise FileNotFoundError(f"{folder / 'labels.csv'}: {row.file} does not exist")
        with Image.open(path) as image:
            pixels.append(np.asarray(image.convert("RGB"), dtype=np.uint8))
    shapes = {p.shape for p in pixels}
    raw = len(shapes) == 1 and max(next(iter(shapes))[:2]) <= RAW_CANVAS_MAX_SIDE
    images, geometry, trays, locator = [], [], [], []
    progress = Progress(f"load {folder.name}", len(rows), quiet=quiet)
    for row, rgb in zip(rows, pixels):
        tray = tray_colour(rgb)
        if row.geometry is not None:
            cx, cy, d = row.geometry
            method = "labels"
        else:
            found = locate_stone(rgb)
            cx, cy, d, method = found.centre_x, found.centre_y, found.diameter, found.method
        if raw:
            images.append(rgb)
            geometry.append((cx, cy, d))
        else:
            canvas, geo = _resized_canvas(rgb, cx, cy, d, size, tray)
            images.append(canvas)
            geometry.append(geo)
        trays.append(tray)
        locator.append(method)
        progress.step()
    progress.done()
    labels = np.array([[r.grades[h] for h in ("colour", "clarity", "cut")] for r in rows], dtype=np.int64)
    proportions = np.array([r.proportions if r.proportions is not None else [np.nan] * len(PROPORTION_NAMES) for r in rows],
                           dtype=np.float32)
    dataset = Dataset(folder.name, np.stack(images), np.array(geometry, dtype=np.float32), np.array(trays, dtype=np.uint8),
                      labels, proportions, [r.file for r in rows], locator)
    if not quiet:
        print(f"loaded {folder}: {len(dataset)} images in {time.time() - started:.0f} s "
              f"(canvas {dataset.images.shape[1]}x{dataset.images.shape[2]}, {'raw' if raw else 'resized'})", file=sys.stderr)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temp = cache_file.with_suffix(".tmp.npz")
        np.savez(temp, images=dataset.images, geometry=dataset.geometry, tray=dataset.tray, labels=dataset.labels,
                 proportions=dataset.proportions, files=np.array(dataset.files), locator=np.array(dataset.locator))
        os.replace(temp, cache_file)
    return dataset
