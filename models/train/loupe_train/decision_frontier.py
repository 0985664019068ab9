"""Can any decision rule on a release's probabilities meet both goals of a head at once?

On an ordinal scale a release may answer, instead of the argmax grade, the grade that maximises
P(exact) + λ · P(within one) (metrics.decide): λ = 0 is the argmax, large λ answers the middle of
an uncertain run of grades. When several grades look alike (FL–VVS2 at 176 px, NOTES.md §7,
§10), that trades exact answers for fewer far misses. Sweeping λ traces the (exact, within one)
pairs this family of rules reaches from the release's own calibrated probabilities (whatever
weight the release itself ships); if none reaches both goals, no rule of the family can, and
better probabilities (a better model, or more visible marks) are needed. Evidence for
NOTES.md §12, where 1.1.1's λ = 1 was read off it.

    /usr/bin/python3 -m loupe_train.decision_frontier --release DIR --val DIR --test DIR [--json OUT]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .dataset import load_folder
from .grades import HEADS
from .metrics import decide, exact_accuracy, softmax, within_one_accuracy
from .ort_bridge import run_onnx
from .views import run_views

GOALS = {"colour": (0.85, 0.99), "clarity": (0.80, 0.98), "cut": (0.85, 0.99)}  # the issue's, exact / within one
LAMBDAS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0, 100.0)


def frontier(probabilities: np.ndarray, true: np.ndarray, lambdas=LAMBDAS, grades=HEADS["clarity"]) -> list:
    rows = []
    for weight in lambdas:
        predicted = decide(probabilities, weight)
        far = np.abs(predicted - true) > 1
        rows.append({"lambda": weight, "exact": exact_accuracy(predicted, true), "within_one": within_one_accuracy(predicted, true),
                     "far_misses": int(far.sum()),
                     "far_misses_by_true": {g: int(far[true == k].sum()) for k, g in enumerate(grades) if far[true == k].any()}})
    return rows


def release_probabilities(release: Path, folder: Path) -> dict:
    """{head: (calibrated probabilities [N, K], true labels [N])} of the release's INT8 model with its views."""
    manifest = json.loads((release / "manifest.json").read_text())
    spec = manifest["input"]
    dataset = load_folder(folder, spec["size"])
    crops = dataset.exact_crops(spec["size"])
    outputs, _ = run_views(lambda c: run_onnx(release / manifest["model"], c, spec), crops, spec.get("views", ["identity"]))
    return {name: (softmax(outputs[manifest["heads"][name]["output"]], manifest["heads"][name]["temperature"]), dataset.labels[:, k])
            for k, name in enumerate(HEADS)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--release", type=Path, required=True)
    p.add_argument("--val", type=Path, required=True, help="where λ would be chosen")
    p.add_argument("--test", type=Path, required=True, help="held out: what the chosen λ scores")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    splits = {split: release_probabilities(args.release, folder) for split, folder in (("val", args.val), ("test", args.test))}
    report = {name: {split: frontier(*splits[split][name], grades=HEADS[name]) for split in splits} for name in HEADS}
    for name in HEADS:
        exact_goal, within_goal = GOALS[name]
        print(f"{name}, λ: exact / within one / far misses (val | test); goals {exact_goal:.2f} / {within_goal:.2f}")
        for v, t in zip(report[name]["val"], report[name]["test"]):
            meets = "  meets both" if t["exact"] >= exact_goal and t["within_one"] >= within_goal else ""
            print(f"  λ {v['lambda']:6.2f}: {v['exact']:.4f} / {v['within_one']:.4f} / {v['far_misses']:3d}"
                  f" | {t['exact']:.4f} / {t['within_one']:.4f} / {t['far_misses']:3d}{meets}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
