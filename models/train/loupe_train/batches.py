"""Training and evaluation batches: crops (jittered + a random square symmetry in training),
normalised with the ImageNet statistics, NCHW float32 in channels_last memory."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from .crops import dihedral, jittered_geometry
from .dataset import Dataset
from .grades import IMAGENET_MEAN, IMAGENET_STD

_MEAN = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1) * 255
_STD = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) * 255


def to_input(crops: np.ndarray) -> torch.Tensor:
    """uint8 [N, S, S, 3] → normalised float [N, 3, S, S] (channels_last strides, no copy of layout)."""
    nhwc = torch.from_numpy(np.ascontiguousarray(crops))
    return ((nhwc.permute(0, 3, 1, 2).float() - _MEAN) / _STD).contiguous(memory_format=torch.channels_last)


def training_crops(dataset: Dataset, indices: np.ndarray, size: int, rng: np.random.Generator,
                   jitter: float, augment: bool = True) -> np.ndarray:
    out = np.empty((len(indices), size, size, 3), dtype=np.uint8)
    for row, index in enumerate(indices):
        geometry = jittered_geometry(rng, *dataset.geometry[index], jitter, jitter) if augment else None
        crop = dataset.crop(int(index), size, geometry)
        out[row] = dihedral(crop, int(rng.integers(8))) if augment else crop
    return out


class EpochBatches:
    """Shuffled batches for one epoch, each prepared on a background thread while the last one trains."""

    def __init__(self, dataset: Dataset, size: int, batch_size: int, seed: int, jitter: float, limit: int | None = None):
        self.dataset, self.size, self.batch_size, self.jitter = dataset, size, batch_size, jitter
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(dataset))
        self.order = order[:limit] if limit else order
        self.seed = seed

    def __len__(self) -> int:
        return (len(self.order) + self.batch_size - 1) // self.batch_size

    def _make(self, b: int):
        indices = self.order[b * self.batch_size:(b + 1) * self.batch_size]
        rng = np.random.default_rng([self.seed, b])
        crops = training_crops(self.dataset, indices, self.size, rng, self.jitter)
        return to_input(crops), torch.from_numpy(self.dataset.labels[indices]), torch.from_numpy(self.dataset.proportions[indices])

    def __iter__(self):
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(self._make, 0) if len(self) else None
            for b in range(len(self)):
                batch = pending.result()
                pending = pool.submit(self._make, b + 1) if b + 1 < len(self) else None
                yield batch
