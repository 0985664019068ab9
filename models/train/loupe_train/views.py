"""Test-time views: the model runs on several symmetries of the square crop and its outputs are
averaged (mean of logits, and of the standardised proportions). A round brilliant's face-up
image is unchanged by them (training augments with all 8, batches.py), so each view is another
look at the same stone: on the 1.1.0 test split four views gave clarity +1.7 and cut +1.7 points
exact over one (models/train/NOTES.md §10). The device does the same (device/vision/views.ts),
named in the manifest's input.views.
"""
from __future__ import annotations

import numpy as np

from .crops import dihedral

# Name → k of crops.dihedral: rotations counter-clockwise by k × 90°, "mirror" flips left–right after.
VIEW_K = {"identity": 0, "rot90": 1, "rot180": 2, "rot270": 3,
          "mirror": 4, "rot90-mirror": 5, "rot180-mirror": 6, "rot270-mirror": 7}
VIEW_SETS = {1: ["identity"], 2: ["identity", "mirror"], 4: ["identity", "mirror", "rot90", "rot90-mirror"],
             8: list(VIEW_K)}


def views_for(count: int) -> list[str]:
    if count not in VIEW_SETS:
        raise ValueError(f"--views must be one of {sorted(VIEW_SETS)}, got {count}")
    return VIEW_SETS[count]


def apply_view(crops: np.ndarray, view: str) -> np.ndarray:
    """uint8 [N, S, S, 3] → the same crops seen in `view`."""
    k = VIEW_K[view]
    return np.stack([dihedral(c, k) for c in crops]) if k else crops


def run_views(run, crops: np.ndarray, views: list[str]) -> tuple[dict, dict]:
    """run(crops) → (outputs, info) for one view; returns the outputs averaged over the views and
    the identity view's info (its latency is that of one crop)."""
    outputs, info = None, None
    for view in views:
        out, view_info = run(apply_view(crops, view))
        if outputs is None:
            outputs, info = {k: v.astype(np.float64) for k, v in out.items()}, view_info
        else:
            for k in outputs:
                outputs[k] += out[k]
    return {k: (v / len(views)).astype(np.float32) for k, v in outputs.items()}, info
