"""Accuracy on ordinal grade scales, confusion matrices, calibration error."""
from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def decision_scores(probabilities: np.ndarray, within_one_weight: float = 0.0) -> np.ndarray:
    """p_k + w · (p_{k-1} + p_k + p_{k+1}) per grade k of rows of [N, K] probabilities: the expected
    exact score plus w times the expected within-one score of answering k. w = 0 is the argmax."""
    if within_one_weight == 0:
        return probabilities
    padded = np.pad(probabilities, ((0, 0), (1, 1)))
    return probabilities + within_one_weight * (padded[:, :-2] + padded[:, 1:-1] + padded[:, 2:])


def decide(probabilities: np.ndarray, within_one_weight: float = 0.0) -> np.ndarray:
    """The answer per row (device/grading/calibrate.ts does the same): the grade maximising decision_scores."""
    return np.argmax(decision_scores(probabilities, within_one_weight), axis=1)


def exact_accuracy(predicted: np.ndarray, true: np.ndarray) -> float:
    return float(np.mean(predicted == true)) if len(true) else float("nan")


def within_one_accuracy(predicted: np.ndarray, true: np.ndarray) -> float:
    """Share of predictions at most one grade step from the truth (the scales are ordinal)."""
    return float(np.mean(np.abs(predicted - true) <= 1)) if len(true) else float("nan")


def confusion_matrix(predicted: np.ndarray, true: np.ndarray, classes: int) -> np.ndarray:
    """[true, predicted] counts."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (true, predicted), 1)
    return matrix


def expected_calibration_error(probabilities: np.ndarray, true: np.ndarray, bins: int = 15) -> float:
    """Top-1 ECE with equal-width confidence bins: Σ_b (n_b / n) |accuracy_b − confidence_b|."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == true
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(total)


def per_class_recall(matrix: np.ndarray) -> list:
    support = matrix.sum(axis=1)
    return [float(matrix[i, i] / support[i]) if support[i] else None for i in range(len(matrix))]
