"""Figures for the release: confusion matrices and a training-curve plot (matplotlib, Agg)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def plot_confusion(matrix: np.ndarray, labels: list, title: str, path) -> None:
    """Rows = true grade, columns = predicted; cells shaded by row share, annotated with counts."""
    support = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, support, out=np.zeros(matrix.shape, dtype=float), where=support > 0)
    side = 2.2 + 0.38 * len(labels)
    fig, ax = plt.subplots(figsize=(side + 1, side), dpi=80)
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90 if len(labels) > 6 else 0, fontsize=8)
    ax.set_yticks(range(len(labels)), [f"{l} ({int(n)})" for l, n in zip(labels, support[:, 0])], fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (test count)")
    ax.set_title(title, fontsize=9)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=6,
                        color="white" if share[i, j] > 0.5 else "black")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of true row")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_history(history: list, path) -> None:
    heads = list(history[0]["val"])
    fig, axes = plt.subplots(1, len(heads), figsize=(4 * len(heads), 3), dpi=80)
    epochs = [e["epoch"] for e in history]
    for ax, head in zip(axes, heads):
        ax.plot(epochs, [e["train"][head]["exact"] for e in history], label="train exact")
        ax.plot(epochs, [e["val"][head]["exact"] for e in history], label="val exact")
        ax.plot(epochs, [e["val"][head]["within_one"] for e in history], label="val within-one", linestyle="--")
        ax.set_title(head)
        ax.set_xlabel("epoch")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
