"""The golden set: model-input crops shipped with a release, with the INT8 model's top-1 per head.

The device runs them on a staged model before swapping it in. A crop whose top two logits are
close could flip between CPUs (INT8 rounding differs across kernels), so only crops whose
top-1 leads the runner-up by at least MIN_LOGIT_MARGIN in every head are chosen; among those,
a greedy pick covers as many (head, grade) pairs as it can.
"""
from __future__ import annotations

import numpy as np

from .grades import HEAD_NAMES

MIN_LOGIT_MARGIN = 1.0


def logit_margin(logits: np.ndarray) -> np.ndarray:
    top2 = np.sort(logits, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def choose_golden(logits: dict, count: int) -> list:
    """Indices of `count` rows with a clear top-1 in every head, spread over the predicted grades."""
    margins = np.min([logit_margin(logits[h]) for h in HEAD_NAMES], axis=0)
    candidates = [int(i) for i in np.nonzero(margins >= MIN_LOGIT_MARGIN)[0]]
    if len(candidates) < count:  # a weak model: take the clearest rows there are
        candidates = [int(i) for i in np.argsort(-margins)[:count]]
    predicted = {h: logits[h].argmax(1) for h in HEAD_NAMES}
    covered, chosen = set(), []
    remaining = list(candidates)
    while remaining and len(chosen) < count:
        gains = [sum((h, int(predicted[h][i])) not in covered for h in HEAD_NAMES) for i in remaining]
        best = remaining[int(np.argmax(gains))]
        chosen.append(best)
        remaining.remove(best)
        covered.update((h, int(predicted[h][best])) for h in HEAD_NAMES)
    return chosen
