"""Multi-head training with a log line per epoch per head and a progress display.

Loss = Σ_head weight × cross-entropy + proportions_weight × smooth-L1 on the standardised
proportions (rows without proportions are masked out). AdamW, linear warm-up then cosine decay.
The weights of the epoch with the best mean validation exact accuracy (over all heads, or the
ones a probe trains) are kept.

Before every validation the BatchNorm running statistics are recomputed from scratch over a
fixed sample of training crops ("precise BN"). Their usual moving average lags the weights
while the learning rate is high, and the colour head, which reads absolute tint, collapses in
eval mode on the lagging statistics (val colour jumped between 3 % and 85 % from epoch to
epoch without it). Recomputing them changes no weight and no gradient.
"""
from __future__ import annotations

import contextlib
import copy
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .batches import EpochBatches, to_input
from .dataset import Dataset
from .grades import HEAD_NAMES
from .metrics import exact_accuracy, within_one_accuracy
from .progress import Progress


@dataclass
class TrainConfig:
    input_size: int = 128
    epochs: int = 12
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 5e-4
    warmup_epochs: float = 0.5
    jitter: float = 0.03
    seed: int = 1
    head_weights: dict = field(default_factory=lambda: {"colour": 1.0, "clarity": 1.0, "cut": 1.0})
    proportions_weight: float = 0.5
    time_budget_s: float | None = None  # stop after the epoch that crosses it
    # Fit the schedule into this many seconds: after epoch 1, the epochs become as many of
    # `epochs` as fit at epoch 1's pace, and the cosine decay ends on the last of them.
    schedule_budget_s: float | None = None
    images_per_epoch: int | None = None  # a subset per epoch (baseline)
    bn_images: int = 1024  # training crops the BatchNorm statistics are recomputed on
    selection_heads: tuple = tuple(HEAD_NAMES)  # the best epoch is the best mean val exact over these
    autocast: str = "off"  # "bf16": mixed-precision forward/backward (see the module doc); "off": FP32


AUTOCAST_MODES = ("off", "bf16")
_BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_has_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), from /proc/cpuinfo's flags."""
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as f:
                cpuinfo = f.read()
        except OSError:
            return False
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[1].split())
    return any(flag in flags for flag in _BF16_CPU_FLAGS)


def resolve_autocast(mode: str, cpuinfo: str | None = None) -> str:
    """"auto" → "bf16" where the CPU has native bfloat16, else "off"; "off" and "bf16" stay as asked."""
    if mode == "auto":
        return "bf16" if cpu_has_bf16(cpuinfo) else "off"
    if mode not in AUTOCAST_MODES:
        raise ValueError(f"autocast must be auto, {' or '.join(AUTOCAST_MODES)}, not {mode!r}")
    return mode


def autocast_context(mode: str):
    if mode == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def proportion_stats(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    values = dataset.proportions
    mean = np.nanmean(values, axis=0)
    std = np.nanstd(values, axis=0)
    if not np.all(np.isfinite(mean)):
        return np.zeros(values.shape[1], np.float32), np.ones(values.shape[1], np.float32)
    return mean.astype(np.float32), np.maximum(std, 1e-6).astype(np.float32)


def predict(model: nn.Module, inputs: torch.Tensor, batch_size: int = 256) -> list:
    """Outputs of `model` over a prepared input tensor, as numpy arrays per output."""
    model.eval()
    chunks = []
    with torch.no_grad():
        for start in range(0, len(inputs), batch_size):
            chunks.append([o.float().numpy() for o in model(inputs[start:start + batch_size])])
    return [np.concatenate([c[k] for c in chunks]) for k in range(len(chunks[0]))]


def head_report(logits: list, labels: np.ndarray) -> dict:
    report = {}
    for k, head in enumerate(HEAD_NAMES):
        true = torch.from_numpy(labels[:, k])
        out = torch.from_numpy(logits[k])
        predicted = out.argmax(1).numpy()
        report[head] = {"loss": float(F.cross_entropy(out, true)), "exact": exact_accuracy(predicted, labels[:, k]),
                        "within_one": within_one_accuracy(predicted, labels[:, k])}
    return report


def recalibrate_batchnorm(model: nn.Module, crops: np.ndarray, batch_size: int = 64) -> None:
    """Recomputes every BatchNorm's running mean/var as the plain average over `crops` (uint8 NHWC)."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    model.train()
    with torch.no_grad():
        for start in range(0, len(crops), batch_size):
            model(to_input(crops[start:start + batch_size]))
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum
    model.eval()


def epochs_within_budget(requested: int, first_epoch_s: float, budget_s: float) -> int:
    """How many of `requested` epochs fit in `budget_s` at the first epoch's pace (at least 1).

    The first epoch is the slowest (allocation, caches), so the estimate errs on the short side."""
    return max(1, min(requested, int(budget_s // max(first_epoch_s, 1e-9))))


def _lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * 0.5 * (1 + math.cos(math.pi * progress))


def train(model: nn.Module, train_set: Dataset, val_inputs: torch.Tensor, val_labels: np.ndarray, config: TrainConfig,
          log=print, label: str = "train") -> tuple[nn.Module, list]:
    """Trains in place; returns the best-epoch model (a copy) and the per-epoch history."""
    torch.manual_seed(config.seed)
    model = model.to(memory_format=torch.channels_last)
    has_proportions = len(model(val_inputs[:2])) > len(HEAD_NAMES)
    p_mean, p_std = proportion_stats(train_set)
    p_mean_t, p_std_t = torch.from_numpy(p_mean), torch.from_numpy(p_std)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": config.weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=config.lr)
    per_epoch = math.ceil((config.images_per_epoch or len(train_set)) / config.batch_size)
    total_steps, warmup = per_epoch * config.epochs, max(1, int(per_epoch * config.warmup_epochs))
    history, best, best_score, step, started = [], None, -1.0, 0, time.time()
    bn_sample = np.random.default_rng(config.seed).permutation(len(train_set))[:config.bn_images]
    bn_crops = train_set.exact_crops(config.input_size, bn_sample)
    log(f"[{label}] {len(train_set)} training images, {len(val_labels)} validation, {per_epoch} steps/epoch, "
        f"config {json.dumps(asdict(config))}")
    epochs = config.epochs
    epoch = 0
    while epoch < epochs:
        epoch += 1
        model.train()
        batches = EpochBatches(train_set, config.input_size, config.batch_size, config.seed * 1000 + epoch,
                               config.jitter, config.images_per_epoch)
        progress = Progress(f"[{label}] epoch {epoch}/{epochs}", len(batches.order))
        sums = {h: [0.0, 0, 0] for h in HEAD_NAMES}
        seen, prop_loss_sum, epoch_started = 0, 0.0, time.time()
        for inputs, labels, proportions in batches:
            for group in optimiser.param_groups:
                group["lr"] = _lr_at(step, total_steps, warmup, config.lr)
            with autocast_context(config.autocast):
                outputs = model(inputs)
            outputs = [o.float() for o in outputs]
            loss = torch.zeros(())
            for k, head in enumerate(HEAD_NAMES):
                head_loss = F.cross_entropy(outputs[k], labels[:, k])
                loss = loss + config.head_weights.get(head, 1.0) * head_loss
                predicted = outputs[k].detach().argmax(1)
                sums[head][0] += float(head_loss) * len(labels)
                sums[head][1] += int((predicted == labels[:, k]).sum())
                sums[head][2] += int(((predicted - labels[:, k]).abs() <= 1).sum())
            if has_proportions:
                mask = torch.isfinite(proportions).all(dim=1)
                if mask.any():
                    target = (proportions[mask] - p_mean_t) / p_std_t
                    prop_loss = F.smooth_l1_loss(outputs[len(HEAD_NAMES)][mask], target)
                    loss = loss + config.proportions_weight * prop_loss
                    prop_loss_sum += float(prop_loss) * int(mask.sum())
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            step += 1
            seen += len(labels)
            progress.step(len(labels), f"loss {float(loss):.3f}")
        progress.done()
        recalibrate_batchnorm(model, bn_crops)
        val_outputs = predict(model, val_inputs)
        val = head_report(val_outputs, val_labels)
        entry = {"epoch": epoch, "seconds": round(time.time() - epoch_started, 1),
                 "train": {h: {"loss": s[0] / seen, "exact": s[1] / seen, "within_one": s[2] / seen} for h, s in sums.items()},
                 "val": val}
        if has_proportions:
            entry["train"]["proportions_loss"] = prop_loss_sum / max(1, seen)
        history.append(entry)
        for head in HEAD_NAMES:
            t, v = entry["train"][head], val[head]
            log(f"[{label}] epoch {epoch:2d} {head:8s} train loss {t['loss']:.3f} exact {t['exact']:.3f} within-1 {t['within_one']:.3f}"
                f" | val loss {v['loss']:.3f} exact {v['exact']:.3f} within-1 {v['within_one']:.3f}")
        score = float(np.mean([val[h]["exact"] for h in config.selection_heads]))
        log(f"[{label}] epoch {epoch:2d} done in {entry['seconds']:.0f} s, mean val exact {score:.3f}"
            + (f", proportions loss {entry['train']['proportions_loss']:.3f}" if has_proportions else ""))
        if score > best_score:
            best_score, best = score, copy.deepcopy(model)
        if epoch == 1 and config.schedule_budget_s is not None:
            epochs = epochs_within_budget(config.epochs, time.time() - started, config.schedule_budget_s)
            total_steps = per_epoch * epochs
            log(f"[{label}] schedule: epoch 1 took {time.time() - started:.0f} s, so {epochs} of {config.epochs} epochs "
                f"fit in the budget of {config.schedule_budget_s:.0f} s; the learning rate decays to 0 over them")
        if config.time_budget_s is not None and time.time() - started > config.time_budget_s:
            log(f"[{label}] time budget of {config.time_budget_s:.0f} s reached after epoch {epoch}")
            break
    sys.stdout.flush()
    return best.eval(), history
