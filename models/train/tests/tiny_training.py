"""One tiny training run on a made-up photo folder, for the trainer's tests."""
from __future__ import annotations

import tempfile
from pathlib import Path

import torch

from loupe_train.batches import to_input
from loupe_train.dataset import load_folder
from loupe_train.net import LoupeNet
from loupe_train.train_loop import TrainConfig, train
from tests.test_real_data import write_folder

TINY_WIDTHS = (8, 8, 16, 16, 16)


def train_tiny(config: TrainConfig, log=lambda _: None):
    """Trains a tiny LoupeNet (seeded with config.seed) at config.input_size on 12 made-up photos.
    Returns (state dict before training, trained model, history)."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        write_folder(work / "photos")
        size = config.input_size
        data = load_folder(work / "photos", size, cache_dir=work / "cache")
        torch.manual_seed(config.seed)
        model = LoupeNet(TINY_WIDTHS)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        trained, history = train(model, data, to_input(data.exact_crops(size)), data.labels, config, log=log)
        return before, trained, history
