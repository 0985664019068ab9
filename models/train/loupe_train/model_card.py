"""MODEL_CARD.md: what the model is for, what it learned from, how well it does, and where it fails."""
from __future__ import annotations

from pathlib import Path

from .grades import HEAD_NAMES, HEADS

GOALS = {"colour": (0.85, 0.99), "clarity": (0.80, 0.98), "cut": (0.85, 0.99)}


def _pct(v) -> str:
    return "—" if v is None else f"{100 * v:.1f} %"


def _weakest_classes(recall: dict, support: dict, k: int = 4) -> str:
    scored = [(r, c) for c, r in recall.items() if r is not None and support.get(c, 0) >= 5]
    scored.sort()
    return ", ".join(f"{c} {_pct(r)} (n={support[c]})" for r, c in scored[:k]) or "—"


def write_model_card(path: Path, *, name: str, version: str, trained_on: str, metrics: dict, temperatures: dict,
                     thresholds: dict, spec: dict, extra_limits: list | None = None,
                     evaluation: dict | None = None) -> None:
    heads, model, baseline = metrics["heads"], metrics["model"], metrics.get("baseline")
    evaluated = metrics["evaluatedOn"]
    views = metrics.get("training", {}).get("config", {}).get("views", ["identity"])
    synthetic = trained_on == "synthetic"
    lines = [f"# Model card: {name} {version}", ""]
    if synthetic:
        lines += ["> **Trained on synthetic renders only.** Every training, validation and test image is a ray-traced",
                  "> render from `models/synth`, not a photograph. The model has **not been validated on real stones**;",
                  "> its accuracy on real diamonds is unknown. Do not use its grades as a certificate.", ""]
    else:
        lines += ["> Trained on a folder of real labelled photographs (see `trainedOn` in manifest.json).", ""]
    lines += [
        "## Intended use",
        "A first-look grade at a jewellery-store counter, shown with a calibrated confidence. Below a per-head",
        "confidence threshold the device says \"refer to a gemologist\" instead of a grade. It is a sales aid,",
        "not a laboratory grading report.",
        "",
        "## Model",
        f"- {model['architecture']}, {model['parameters']:,} parameters; heads colour (23), clarity (11), cut (5)"
        " and a proportions regression (table %, crown angle, pavilion angle, total depth %).",
        f"- Input: `{spec['name']}` float32 NCHW 1×3×{spec['size']}×{spec['size']} RGB; crop of side"
        f" {spec['crop']['factor']} × girdle diameter centred on the girdle, Pillow bilinear resize,"
        " (pixel/255 − ImageNet mean) / std.",
        *([f"- Each stone is run as {len(views)} views of its crop ({', '.join(views)}) in one batch, and the outputs"
           " are averaged (mean of logits); every metric below was measured that way."] if len(views) > 1 else []),
        f"- INT8 by static post-training quantization (torch.ao, qnnpack, {model['quantization']['weights']} weights,"
        f" {model['quantization']['calibration_images']} calibration images), {model['int8_bytes'] / 1e6:.2f} MB"
        f" (FP32 {model['fp32_bytes'] / 1e6:.2f} MB). onnxruntime runs"
        f" {model['operators']['onnxruntime'].get('QLinearConv', 0)} convolutions as QLinearConv after its QDQ fusion"
        + (" and keeps the first (stem) conv in FP32: quantizing it costs the colour head its subtle tint."
           if model["quantization"]["stem"] == "fp32" else ".")
        + (" The global pooling and the linear heads (4 small Gemms) also stay FP32, which lifts INT8/FP32"
           " agreement on clarity and cut." if model["quantization"].get("heads") == "fp32" else ""),
        f"- Latency in onnxruntime-node, batch 1, 2 threads on the build machine: INT8 median"
        f" {model['latency_ms_batch1']['int8']['median']:.2f} ms, FP32 {model['latency_ms_batch1']['fp32']['median']:.2f} ms.",
        "",
        "## Data",
        f"- Trained on {metrics['trainedOn']['train']['images']} images ({metrics['trainedOn']['train']['folder']}),"
        f" validated on {metrics['trainedOn']['val']['images']} ({metrics['trainedOn']['val']['folder']}): the validation"
        " split chose the epoch, the temperatures and the abstain thresholds.",
        f"- Evaluated on {evaluated['images']} held-out images ({evaluated['split']}, {evaluated['folder']}), never used"
        " for training or calibration.",
    ]
    if metrics["trainedOn"].get("description"):
        lines.append(f"- {metrics['trainedOn']['description']}")
    lines += ["", f"## Metrics (INT8 model in onnxruntime-node, {evaluated['split']} split)", "",
              "| head | exact | within one grade | goal (exact / within one) | ECE before → after T | T | abstain below | coverage | accuracy when not referred |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for h in HEAD_NAMES:
        m, goal = heads[h], GOALS[h]
        lines.append(f"| {h} | {_pct(m['exact'])} | {_pct(m['within_one'])} | {_pct(goal[0])} / {_pct(goal[1])} |"
                     f" {m['ece_before']:.3f} → {m['ece_after']:.3f} | {temperatures[h]:.2f} | {thresholds[h]:.3f} |"
                     f" {_pct(m['abstain']['coverage'])} | {_pct(m['abstain']['accuracy_covered'])} |")
    agreement = metrics["int8Fp32Agreement"]
    lines += ["", "INT8 vs FP32 top-1 agreement: " + ", ".join(f"{h} {_pct(agreement[h])}" for h in HEAD_NAMES) + ".",
              f"FP32 exact: " + ", ".join(f"{h} {_pct(metrics['fp32'][h]['exact'])}" for h in HEAD_NAMES) + "."]
    if metrics.get("fp32Note"):
        lines.append(metrics["fp32Note"])
    if metrics.get("derivedFrom"):
        lines.append(f"This release reuses the model file of {metrics['derivedFrom']['release']}; what changed: "
                     f"{metrics['derivedFrom']['change']}.")
    if metrics.get("proportionsMae"):
        lines.append("Proportions mean absolute error: " + ", ".join(f"{k} {v:.2f}" for k, v in metrics["proportionsMae"].items()) + ".")
    weights = {h: w for h, w in (metrics.get("withinOneWeight") or {}).items() if w}
    if weights:
        lines.append("Each head answers the grade k with the largest P(k) + w · P(within one grade of k), w = "
                     + ", ".join(f"{h} {w:g}" for h, w in weights.items())
                     + ", rather than the most probable grade: where neighbouring grades look alike it answers the middle"
                     " of them, trading a little exact accuracy for fewer answers two or more grades off. The confidence"
                     " shown (and compared with the abstain threshold) is the calibrated probability of the grade answered.")
    lines.append(f"Abstain thresholds are chosen on the validation split for ≥ {_pct(metrics['abstainTargetAccuracy'])}"
                 " accuracy on the part that is not referred. Confusion matrices: `confusion-<head>.png`.")
    if evaluation:
        lines += ["", "Weakest grades (recall, test count ≥ 5):"]
        for h in HEAD_NAMES:
            lines.append(f"- {h}: {_weakest_classes(evaluation[h]['recall_by_class'], evaluation[h]['support_by_class'])}")
    if baseline:
        b = baseline
        lines += ["", "## Baseline: the concept document's CNN", "",
                  f"{b['architecture']}; {b['parameters']:,} parameters, FP32 ONNX {b['onnx_fp32_bytes'] / 1e6:.1f} MB,"
                  f" batch-1 latency {b['latency_ms_batch1']['median']:.1f} ms. Trained on a subset of {b['training']['images']}"
                  f" images for {b['training']['epochs_run']} epoch(s) within a fixed budget of {b['training']['budget_s']:.0f} s"
                  f" (it is too slow to train fully here); scored on {b['test_images']} test images.", "",
                  "| head | baseline exact | baseline within one | LoupeNet INT8 exact | LoupeNet INT8 within one |",
                  "| --- | --- | --- | --- | --- |"]
        for h in HEAD_NAMES:
            lines.append(f"| {h} | {_pct(b['heads'][h]['exact'])} | {_pct(b['heads'][h]['within_one'])} |"
                         f" {_pct(heads[h]['exact'])} | {_pct(heads[h]['within_one'])} |")
    lines += ["", "## Known limits"]
    if synthetic:
        lines += ["- The renders model one bench (the device's light box and camera); other lighting, tray colours,",
                  "  mounted stones, fancy shapes, fluorescence, treatments and synthetics are out of scope.",
                  f"- Clarity is what a {metrics['trainedOn'].get('renderSizePx') or 160} px top view shows, not a 10× loupe;"
                  " colour is judged face-up against the tray.",
                  "- Cut is graded from proportions only (no polish, symmetry, painting or digging); the girdle thickness",
                  "  that also caps the cut grade is not visible from above (in the renders' mix it alone decides",
                  "  about 1 % of the grades)."]
    lines += [f"- {limit}" for limit in (extra_limits or [])]
    lines += ["", "## Reproduce", "`npm run train` (see docs/model.md)."]
    Path(path).write_text("\n".join(lines) + "\n")
