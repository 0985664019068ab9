"""How much INT8 changes a trained LoupeNet's answers, per quantization variant, on the
VALIDATION split (the test split stays for the release). Each variant re-quantizes the same FP32
weights and runs in onnxruntime-node with the release's views and decision rule; it reports per
head exact / within-one and agreement with FP32, both under the rule and as argmax. Evidence for
NOTES.md §13 (the release's calibration-image count), not a release step.

    /usr/bin/python3 -m loupe_train.probe_quantization --work out/full-work --train ../datasets/train \\
        --val ../datasets/val --variant 512 --variant 2048 --variant 2048:tail4
A variant is CALIBRATION_IMAGES[:tailK]; tailK keeps the last K trunk modules in FP32.
"""
from __future__ import annotations

import argparse
import copy
import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch.ao.quantization import DeQuantStub, convert, prepare

from .batches import to_input
from .calibration import fit_temperature
from .dataset import load_folder
from .evaluate import answers
from .grades import HEAD_NAMES
from .net import LoupeNet
from .ort_bridge import run_onnx
from .quantize import ENGINE, export_onnx, qconfig
from .release import input_spec
from .views import run_views, views_for


class FloatTail(torch.nn.Module):
    """A fused LoupeNet whose last `k` trunk modules run in FP32 behind a DeQuantStub."""

    def __init__(self, net: LoupeNet, k: int):
        super().__init__()
        self.net, self.k, self.dequant_tail = net, k, DeQuantStub()

    def forward(self, x):
        n = self.net
        x = n.quant_trunk(n.stem(n.quant_input(x)))
        x = n.trunk[-self.k:](self.dequant_tail(n.trunk[:-self.k](x)))
        features = n.pooled_features(x)
        return tuple([n.dequant(h(features)) for h in n.heads.values()] + [n.dequant(n.proportions(features))])


def quantize_variant(model: LoupeNet, calibration: torch.Tensor, tail: int) -> torch.nn.Module:
    """As quantize.quantize_static with the release's settings (FP32 stem, pooling and heads,
    per-channel weights), optionally with an FP32 tail."""
    torch.backends.quantized.engine = ENGINE
    q = copy.deepcopy(model).to(memory_format=torch.contiguous_format).eval()
    q.fuse()
    q.qconfig = qconfig(per_channel=True)
    for module in (q.quant_input, q.stem, q.heads, q.proportions, q.dequant):
        module.qconfig = None
    wrapped: torch.nn.Module = q
    if tail:
        for module in q.trunk[-tail:]:
            module.qconfig = None
        q.dequant_trunk.qconfig = None
        wrapped = FloatTail(q, tail)
        wrapped.dequant_tail.qconfig = qconfig(per_channel=True)
    prepare(wrapped, inplace=True)
    with torch.no_grad():
        for start in range(0, len(calibration), 64):
            wrapped(calibration[start:start + 64].contiguous())
    convert(wrapped, inplace=True)
    return wrapped


def head_scores(logits: dict, labels: np.ndarray, weight: float, reference: dict | None = None) -> dict:
    report = {}
    for k, head in enumerate(HEAD_NAMES):
        temperature = fit_temperature(logits[head], labels[:, k])
        answered, _ = answers(logits[head], temperature, weight)
        row = {"exact": float(np.mean(answered == labels[:, k])), "within_one": float(np.mean(np.abs(answered - labels[:, k]) <= 1))}
        if reference is not None:
            reference_answers, _ = answers(reference[head], temperature, weight)
            row["agreement_rule"] = float(np.mean(answered == reference_answers))
            row["agreement_argmax"] = float(np.mean(logits[head].argmax(1) == reference[head].argmax(1)))
        report[head] = row
    return report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", type=Path, required=True, help="the pipeline's --work folder (loupenet.pt, model.fp32.onnx, cache)")
    p.add_argument("--train", type=Path, required=True)
    p.add_argument("--val", type=Path, required=True)
    p.add_argument("--size", type=int, default=144)
    p.add_argument("--views", type=int, default=4)
    p.add_argument("--within-one-weight", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1, help="as the pipeline's: picks the calibration images")
    p.add_argument("--variant", action="append", required=True)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    train_set = load_folder(args.train, args.size, cache_dir=args.work / "cache", quiet=True)
    val_set = load_folder(args.val, args.size, cache_dir=args.work / "cache", quiet=True)
    model = LoupeNet()
    model.load_state_dict(torch.load(args.work / "loupenet.pt"))
    model.eval()
    spec, views, crops = input_spec(args.size), views_for(args.views), val_set.exact_crops(args.size)
    fp32, _ = run_views(lambda c: run_onnx(args.work / "model.fp32.onnx", c, spec), crops, views)
    results = {"fp32": head_scores(fp32, val_set.labels, args.within_one_weight)}
    order = np.random.default_rng(args.seed).permutation(len(train_set))
    with tempfile.TemporaryDirectory(prefix="loupe-quant-") as scratch:
        for variant in args.variant:
            count, _, tail = variant.partition(":tail")
            calibration = to_input(train_set.exact_crops(args.size, order[:int(count)]))
            path = Path(scratch) / "model.onnx"
            export_onnx(quantize_variant(model, calibration, int(tail or 0)), path, args.size)
            int8, _ = run_views(lambda c: run_onnx(path, c, spec), crops, views)
            results[variant] = head_scores(int8, val_set.labels, args.within_one_weight, fp32)
    for name, heads in results.items():
        cells = [f"{h} {r['exact']:.4f}/{r['within_one']:.4f}" + (f" agree rule {r['agreement_rule']:.4f} argmax {r['agreement_argmax']:.4f}" if "agreement_rule" in r else "")
                 for h, r in heads.items()]
        print(f"{name:>12s} | " + " | ".join(cells))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
