"""Temperature scaling per head and the abstain threshold ("refer to a gemologist")."""
from __future__ import annotations

import numpy as np

from .metrics import softmax

TEMPERATURE_RANGE = (0.05, 20.0)


def negative_log_likelihood(logits: np.ndarray, true: np.ndarray, temperature: float) -> float:
    p = softmax(logits, temperature)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(true)), true], 1e-12, None))))


def fit_temperature(logits: np.ndarray, true: np.ndarray) -> float:
    """The T minimising validation NLL of softmax(logits / T): a log-spaced scan, then golden-section refinement."""
    grid = np.geomspace(*TEMPERATURE_RANGE, 80)
    losses = [negative_log_likelihood(logits, true, t) for t in grid]
    best = int(np.argmin(losses))
    lo, hi = np.log(grid[max(0, best - 1)]), np.log(grid[min(len(grid) - 1, best + 1)])
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(40):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if negative_log_likelihood(logits, true, np.exp(a)) < negative_log_likelihood(logits, true, np.exp(b)):
            hi = b
        else:
            lo = a
    return float(np.exp((lo + hi) / 2))


def abstain_threshold(confidence: np.ndarray, correct: np.ndarray, target_accuracy: float) -> float:
    """The lowest confidence threshold whose covered part (confidence ≥ threshold) is at least
    target_accuracy correct: the widest coverage meeting the target. 1.0 (refer everything) if none."""
    order = np.argsort(-confidence, kind="stable")
    sorted_conf, sorted_correct = confidence[order], correct[order].astype(np.float64)
    cumulative = np.cumsum(sorted_correct) / np.arange(1, len(order) + 1)
    # Only cut between distinct confidences: a threshold covers every tie.
    last_of_tie = np.r_[sorted_conf[1:] != sorted_conf[:-1], True]
    ok = np.nonzero((cumulative >= target_accuracy) & last_of_tie)[0]
    if len(ok) == 0:
        return 1.0
    return float(sorted_conf[ok[-1]])


def coverage_report(confidence: np.ndarray, correct: np.ndarray, threshold: float) -> dict:
    covered = confidence >= threshold
    return {"threshold": threshold, "coverage": float(covered.mean()),
            "accuracy_covered": float(correct[covered].mean()) if covered.any() else None,
            "accuracy_referred": float(correct[~covered].mean()) if (~covered).any() else None}
