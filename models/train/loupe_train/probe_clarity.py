"""A clarity-only probe: can a LoupeNet learn to tell these clarity grades apart at all?

Trains the clarity head alone (colour, cut and proportions weighted 0) on a folder, such as
the top grades rendered by `loupe synth --clarity FL,IF,VVS1,VVS2`, and reports validation
accuracy and cross-entropy against the class prior's. A probe that stays at the prior says the
grades are not separable in those pixels by this network and schedule; one well above it says
they are. Evidence for NOTES.md, not a release step.

    /usr/bin/python3 -m loupe_train.probe_clarity --train DIR --val DIR --size 144 --epochs 12 [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from .batches import to_input
from .dataset import load_folder
from .grades import CLARITY_GRADES
from .metrics import confusion_matrix, exact_accuracy, softmax, within_one_accuracy
from .net import POOLS, LoupeNet
from .train_loop import TrainConfig, predict, train

CLARITY = 1  # column of the clarity label, and index of its output


def prior_report(train_labels: np.ndarray, val_labels: np.ndarray) -> dict:
    """What a model that ignores the image scores: always the commonest training grade, and the
    cross-entropy of predicting the training class frequencies."""
    counts = np.bincount(train_labels, minlength=len(CLARITY_GRADES)).astype(float)
    frequencies = counts / counts.sum()
    commonest = int(frequencies.argmax())
    return {
        "exact": exact_accuracy(np.full(len(val_labels), commonest), val_labels),
        "within_one": within_one_accuracy(np.full(len(val_labels), commonest), val_labels),
        "cross_entropy": float(-np.mean(np.log(np.maximum(frequencies[val_labels], 1e-12)))),
        "commonest": CLARITY_GRADES[commonest],
    }


def probe(train_dir: Path, val_dir: Path, size: int, epochs: int, pool: str = "avg", seed: int = 1,
          cache: Path | None = None, log=print) -> dict:
    torch.set_num_threads(2)
    started = time.time()
    train_set = load_folder(train_dir, size, cache)
    val_set = load_folder(val_dir, size, cache)
    val_inputs = to_input(val_set.exact_crops(size))
    config = TrainConfig(input_size=size, epochs=epochs, seed=seed, proportions_weight=0.0,
                         head_weights={"colour": 0.0, "clarity": 1.0, "cut": 0.0}, selection_heads=("clarity",))
    torch.manual_seed(seed)
    model, history = train(LoupeNet(pool=pool), train_set, val_inputs, val_set.labels, config, log=log, label=f"probe {size}px")
    logits = predict(model, val_inputs)[CLARITY]
    true = val_set.labels[:, CLARITY]
    predicted = logits.argmax(1)
    present = sorted(set(true.tolist()) | set(train_set.labels[:, CLARITY].tolist()))
    matrix = confusion_matrix(predicted, true, len(CLARITY_GRADES))[np.ix_(present, present)]
    probabilities = softmax(logits)
    return {
        "train": str(train_dir), "val": str(val_dir), "size": size, "epochs": epochs, "pool": pool,
        "train_images": len(train_set), "val_images": len(val_set),
        "seconds": round(time.time() - started, 1),
        "per_epoch_s": [h["seconds"] for h in history],
        "val_exact_by_epoch": [round(h["val"]["clarity"]["exact"], 4) for h in history],
        "val": {"exact": exact_accuracy(predicted, true), "within_one": within_one_accuracy(predicted, true),
                "cross_entropy": float(-np.mean(np.log(np.maximum(probabilities[np.arange(len(true)), true], 1e-12))))},
        "prior": prior_report(train_set.labels[:, CLARITY], true),
        "grades": [CLARITY_GRADES[i] for i in present],
        "confusion": matrix.tolist(),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", type=Path, required=True)
    p.add_argument("--val", type=Path, required=True)
    p.add_argument("--size", type=int, default=144, help="model input side (px)")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--pool", default="avg", choices=list(POOLS))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache", type=Path, help="folder for the decoded-image caches")
    p.add_argument("--json", type=Path, help="write the report here too")
    args = p.parse_args(argv)
    report = probe(args.train, args.val, args.size, args.epochs, args.pool, args.seed, args.cache)
    prior, val = report["prior"], report["val"]
    print(f"probe {args.size}px, {report['train_images']} train / {report['val_images']} val images, {report['seconds']:.0f} s")
    print(f"  val exact {val['exact']:.3f} (prior {prior['exact']:.3f}, always {prior['commonest']}), "
          f"within one {val['within_one']:.3f} (prior {prior['within_one']:.3f}), "
          f"cross-entropy {val['cross_entropy']:.3f} nats (prior {prior['cross_entropy']:.3f})")
    print("  confusion (rows true, columns predicted): " + " ".join(report["grades"]))
    for grade, row in zip(report["grades"], report["confusion"]):
        print(f"  {grade:5s} " + " ".join(f"{n:5d}" for n in row))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
