"""A new release of an existing release's INT8 model with another decision rule: same weights,
same temperatures; the abstain thresholds (validation split), the evaluation (test split), the
golden answers, the card and the manifest are redone for the new rule. No training.

    /usr/bin/python3 -m loupe_train.redecide ../release/loupe-rb-1.1.0 --val ../datasets/val --test ../datasets/test \\
        --within-one-weight 1 --version 1.1.1 [--known-limits known-limits-synthetic.md]

The release's FP32 model is not shipped, so INT8/FP32 agreement and FP32 accuracy are carried
over from the source release (argmax answers) and labelled so in the card.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from .calibration import abstain_threshold
from .dataset import load_folder
from .evaluate import answers, evaluate_heads
from .golden import head_answers
from .grades import HEAD_NAMES, HEADS
from .model_card import write_model_card
from .ort_bridge import run_onnx
from .pipeline import read_limits
from .plots import plot_confusion
from .release import write_manifest
from .views import run_views

CARRIED = ("model.int8.onnx", "training-curves.png")


def redecide(source: Path, val_dir: Path, test_dir: Path, weight: float, version: str, out: Path,
             known_limits: Path | None, log=print) -> dict:
    manifest = json.loads((source / "manifest.json").read_text())
    evaluation = json.loads((source / "evaluation.json").read_text())
    spec, views = manifest["input"], manifest["input"].get("views", ["identity"])
    run = lambda crops: run_views(lambda c: run_onnx(source / manifest["model"], c, spec), crops, views)[0]
    temperatures = {h: manifest["heads"][h]["temperature"] for h in HEAD_NAMES}
    weights = {h: weight for h in HEAD_NAMES}
    val_set, test_set = load_folder(val_dir, spec["size"]), load_folder(test_dir, spec["size"])
    val_logits, test_logits = run(val_set.exact_crops(spec["size"])), run(test_set.exact_crops(spec["size"]))
    target = manifest["metrics"]["abstainTargetAccuracy"]
    thresholds = {}
    for k, h in enumerate(HEAD_NAMES):
        answered, confidence = answers(val_logits[h], temperatures[h], weight)
        thresholds[h] = abstain_threshold(confidence, answered == val_set.labels[:, k], target)
    heads = evaluate_heads(test_logits, test_set.labels, temperatures, thresholds, weights)
    for h in HEAD_NAMES:
        log(f"{h:8s} exact {heads[h]['exact']:.4f} within-1 {heads[h]['within_one']:.4f} abstain < {thresholds[h]:.3f}"
            f" coverage {heads[h]['abstain']['coverage']:.3f} accuracy {heads[h]['abstain']['accuracy_covered']}")

    if out.exists():
        shutil.rmtree(out)
    (out / "golden").mkdir(parents=True)
    for name in CARRIED:
        shutil.copy2(source / name, out / name)
    # Golden crops keep their bytes; their answers follow the new rule, and a crop whose answer
    # is not clear under it (golden.py's margins) is left out.
    golden_files = [g["file"] for g in manifest["golden"]]
    crops = np.stack([np.asarray(Image.open(source / f).convert("RGB")) for f in golden_files])
    golden_logits = run(crops)
    answered = {h: head_answers(golden_logits, h, temperatures, weights) for h in HEAD_NAMES}
    clear = np.min([answered[h][1] for h in HEAD_NAMES], axis=0) >= 1.0
    golden = []
    for i, f in enumerate(golden_files):
        if clear[i]:
            shutil.copy2(source / f, out / f"golden/{len(golden):03d}.png")
            golden.append({"file": f"golden/{len(golden):03d}.png",
                           "expected": {h: HEADS[h][int(answered[h][0][i])] for h in HEAD_NAMES}})
    log(f"golden: {len(golden)} of {len(golden_files)} crops keep a clear answer under the new rule")
    for h in HEAD_NAMES:
        plot_confusion(np.array(heads[h]["confusion"]), HEADS[h],
                       f"{h}: INT8 on {test_set.name} ({len(test_set)}), exact {heads[h]['exact']:.3f}", out / f"confusion-{h}.png")

    source_id = f"{manifest['name']}@{manifest['version']}"
    metrics = dict(manifest["metrics"])
    metrics["heads"] = {h: {key: heads[h][key] for key in ("exact", "within_one", "ece_before", "ece_after", "abstain")} for h in HEAD_NAMES}
    metrics["withinOneWeight"] = weights
    metrics["derivedFrom"] = {"release": source_id, "sha256": manifest["files"][manifest["model"]]["sha256"],
                              "change": f"decision rule: within-one weight {weight:g} for every head (same weights and temperatures)"}
    metrics["fp32Note"] = (f"FP32 accuracy and INT8/FP32 agreement are {source_id}'s (argmax answers of the same weights): "
                           "the FP32 model is not shipped, so they were not measured again under the new rule.")
    (out / "evaluation.json").write_text(json.dumps({"int8": heads, "fp32": evaluation["fp32"], "temperatures": temperatures,
                                                     "thresholds": thresholds, "weights": weights, "derivedFrom": metrics["derivedFrom"],
                                                     "history": evaluation["history"]}, indent=1) + "\n")
    write_model_card(out / "MODEL_CARD.md", name=manifest["name"], version=version, trained_on=manifest["trainedOn"], metrics=metrics,
                     temperatures=temperatures, thresholds=thresholds, spec=spec, evaluation=heads, extra_limits=read_limits(known_limits))
    regression = manifest["regression"]
    return write_manifest(out, name=manifest["name"], version=version, trained_on=manifest["trainedOn"], size=spec["size"], views=views,
                          temperatures=temperatures, thresholds=thresholds, proportion_mean=regression["mean"],
                          proportion_std=regression["std"], metrics=metrics, golden=golden, weights=weights)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path, help="the release whose model is reused")
    p.add_argument("--val", type=Path, required=True)
    p.add_argument("--test", type=Path, required=True)
    p.add_argument("--within-one-weight", type=float, required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--out", type=Path, help="default: beside the source, <name>-<version>")
    p.add_argument("--known-limits", type=Path)
    args = p.parse_args(argv)
    name = json.loads((args.source / "manifest.json").read_text())["name"]
    out = args.out or args.source.parent / f"{name}-{args.version}"
    redecide(args.source, args.val, args.test, args.within_one_weight, args.version, out, args.known_limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
