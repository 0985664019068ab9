"""The CNN of the original concept document, as specified there, for comparison only:
Conv2D 32 3×3 ReLU, MaxPool 2, Conv2D 64 3×3 ReLU, MaxPool 2, Flatten, and a Dense softmax per
head off the flatten (no proportions head), at 224 × 224 × 3 input (valid padding, as in the Keras sketch). Its
flatten is 54 × 54 × 64 = 186,624 features, so each dense head is large (7.3 M weights in all).
"""
from __future__ import annotations

import torch
import torch.nn as nn

from .grades import HEADS

BASELINE_INPUT = 224


class ConceptCnn(nn.Module):
    def __init__(self, input_size: int = BASELINE_INPUT):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
        )
        side = ((input_size - 2) // 2 - 2) // 2
        flat = 64 * side * side
        self.heads = nn.ModuleDict({name: nn.Linear(flat, len(labels)) for name, labels in HEADS.items()})

    def forward(self, x: torch.Tensor):
        features = self.trunk(x)
        return tuple(head(features) for head in self.heads.values())
