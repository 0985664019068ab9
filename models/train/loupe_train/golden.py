"""The golden set: model-input crops shipped with a release, with the INT8 model's top-1 per head.

The device runs them on a staged model before swapping it in. A crop whose top two logits are
close could flip between CPUs (INT8 rounding differs across kernels), so only crops whose
answer leads the runner-up clearly in every head are chosen: by MIN_LOGIT_MARGIN in logits for
an argmax head, by MIN_SCORE_MARGIN in decision score for a head with a within-one weight
(metrics.decide). Among those, a greedy pick covers as many (head, grade) pairs as it can.
"""
from __future__ import annotations

import numpy as np

from .grades import HEAD_NAMES
from .metrics import decide, decision_scores, softmax

MIN_LOGIT_MARGIN = 1.0
MIN_SCORE_MARGIN = 0.1  # of p_k + w · P(within one of k); about a logit margin of 1 where p is near 0.5


def top_margin(scores: np.ndarray) -> np.ndarray:
    top2 = np.sort(scores, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def head_answers(logits: dict, head: str, temperatures: dict | None, weights: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """(answer per row, margin over the runner-up as a fraction of that head's minimum margin)."""
    weight = (weights or {}).get(head, 0.0)
    if not weight:
        return logits[head].argmax(1), top_margin(logits[head]) / MIN_LOGIT_MARGIN
    probabilities = softmax(logits[head], temperatures[head])
    return decide(probabilities, weight), top_margin(decision_scores(probabilities, weight)) / MIN_SCORE_MARGIN


def choose_golden(logits: dict, count: int, temperatures: dict | None = None, weights: dict | None = None) -> list:
    """Indices of `count` rows with a clear answer in every head, spread over the answered grades."""
    answered = {h: head_answers(logits, h, temperatures, weights) for h in HEAD_NAMES}
    margins = np.min([answered[h][1] for h in HEAD_NAMES], axis=0)
    candidates = [int(i) for i in np.nonzero(margins >= 1.0)[0]]
    if len(candidates) < count:  # a weak model: take the clearest rows there are
        candidates = [int(i) for i in np.argsort(-margins)[:count]]
    predicted = {h: answered[h][0] for h in HEAD_NAMES}
    covered, chosen = set(), []
    remaining = list(candidates)
    while remaining and len(chosen) < count:
        gains = [sum((h, int(predicted[h][i])) not in covered for h in HEAD_NAMES) for i in remaining]
        best = remaining[int(np.argmax(gains))]
        chosen.append(best)
        remaining.remove(best)
        covered.update((h, int(predicted[h][best])) for h in HEAD_NAMES)
    return chosen
