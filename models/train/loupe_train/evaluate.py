"""Metrics of a set of logits against the labels: per head accuracy, calibration and abstention."""
from __future__ import annotations

import numpy as np

from .calibration import coverage_report
from .grades import HEAD_NAMES, HEADS, PROPORTION_NAMES
from .metrics import (confusion_matrix, exact_accuracy, expected_calibration_error, per_class_recall, softmax,
                      within_one_accuracy)


def evaluate_heads(logits: dict, labels: np.ndarray, temperatures: dict, thresholds: dict) -> dict:
    report = {}
    for k, head in enumerate(HEAD_NAMES):
        true, out = labels[:, k], logits[head]
        predicted = out.argmax(axis=1)
        calibrated = softmax(out, temperatures[head])
        confidence = calibrated.max(axis=1)
        matrix = confusion_matrix(predicted, true, len(HEADS[head]))
        report[head] = {
            "n": int(len(true)),
            "exact": exact_accuracy(predicted, true),
            "within_one": within_one_accuracy(predicted, true),
            "ece_before": expected_calibration_error(softmax(out), true),
            "ece_after": expected_calibration_error(calibrated, true),
            "abstain": coverage_report(confidence, predicted == true, thresholds[head]),
            "recall_by_class": dict(zip(HEADS[head], per_class_recall(matrix))),
            "support_by_class": dict(zip(HEADS[head], matrix.sum(axis=1).tolist())),
            "confusion": matrix.tolist(),
        }
    return report


def top1_agreement(a: dict, b: dict) -> dict:
    return {head: float(np.mean(a[head].argmax(1) == b[head].argmax(1))) for head in HEAD_NAMES}


def proportions_error(standardised: np.ndarray, mean, std, true: np.ndarray) -> dict | None:
    """Mean absolute error of the regression head in the proportions' own units, rows with labels only."""
    mask = np.isfinite(true).all(axis=1)
    if not mask.any():
        return None
    predicted = standardised[mask] * np.asarray(std) + np.asarray(mean)
    mae = np.abs(predicted - true[mask]).mean(axis=0)
    return {name: float(v) for name, v in zip(PROPORTION_NAMES, mae)}
