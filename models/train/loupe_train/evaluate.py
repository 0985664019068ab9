"""Metrics of a set of logits against the labels: per head accuracy, calibration and abstention."""
from __future__ import annotations

import numpy as np

from .calibration import coverage_report
from .grades import HEAD_NAMES, HEADS, PROPORTION_NAMES
from .metrics import (confusion_matrix, decide, exact_accuracy, expected_calibration_error, per_class_recall, softmax,
                      within_one_accuracy)


def answers(logits: np.ndarray, temperature: float, within_one_weight: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """What the device answers per row (device/grading/calibrate.ts): the decided grade, and its
    calibrated probability (the confidence the abstain threshold is compared with)."""
    calibrated = softmax(logits, temperature)
    predicted = decide(calibrated, within_one_weight)
    return predicted, calibrated[np.arange(len(predicted)), predicted]


def evaluate_heads(logits: dict, labels: np.ndarray, temperatures: dict, thresholds: dict, weights: dict | None = None) -> dict:
    """weights: the within-one weight of each head's decision (metrics.decide); none = argmax."""
    report = {}
    for k, head in enumerate(HEAD_NAMES):
        true, out = labels[:, k], logits[head]
        predicted, confidence = answers(out, temperatures[head], (weights or {}).get(head, 0.0))
        calibrated = softmax(out, temperatures[head])
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


def top1_agreement(a: dict, b: dict, temperatures: dict | None = None, weights: dict | None = None) -> dict:
    """Share of rows where two models' answers agree, per head (argmax unless weights are given)."""
    def answer(logits, head):
        return answers(logits[head], temperatures[head], weights[head])[0] if weights else logits[head].argmax(1)
    return {head: float(np.mean(answer(a, head) == answer(b, head))) for head in HEAD_NAMES}


def proportions_error(standardised: np.ndarray, mean, std, true: np.ndarray) -> dict | None:
    """Mean absolute error of the regression head in the proportions' own units, rows with labels only."""
    mask = np.isfinite(true).all(axis=1)
    if not mask.any():
        return None
    predicted = standardised[mask] * np.asarray(std) + np.asarray(mean)
    mae = np.abs(predicted - true[mask]).mean(axis=0)
    return {name: float(v) for name, v in zip(PROPORTION_NAMES, mae)}
