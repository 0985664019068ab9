"""The whole build of a model release: load → train → INT8 → calibrate → evaluate → baseline → release.

    /usr/bin/python3 -m loupe_train.pipeline --train DIR --val DIR --test DIR --out models/release/NAME-VERSION ...

(run from models/train; models/train/train.sh is the wrapper that `npm run train` calls).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .baseline import BASELINE_INPUT, ConceptCnn
from .batches import to_input
from .calibration import abstain_threshold, fit_temperature
from .dataset import load_folder
from .evaluate import answers, evaluate_heads, proportions_error, top1_agreement
from .golden import choose_golden
from .grades import HEAD_NAMES, HEADS
from .metrics import softmax
from .model_card import write_model_card
from .net import POOLS, LoupeNet, count_parameters
from .ort_bridge import run_onnx
from .plots import plot_confusion, plot_history
from .quantize import export_onnx, operator_histogram, quantize_static
from .release import MODEL_FILE, input_spec, write_manifest
from .train_loop import TrainConfig, predict, proportion_stats, resolve_autocast, train
from .views import run_views, views_for

THREADS = 2  # fixed: the trained weights depend on it


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", type=Path, required=True, help="folder with images + labels.csv")
    p.add_argument("--val", type=Path, required=True, help="validation folder (temperatures, thresholds, model choice)")
    p.add_argument("--test", type=Path, help="held-out test folder (never trained or calibrated on); default: none")
    p.add_argument("--out", type=Path, required=True, help="release folder to write (replaced)")
    p.add_argument("--work", type=Path, default=Path("out"), help="scratch: caches, FP32 models, logs")
    p.add_argument("--name", default="loupe-rb")
    p.add_argument("--version", required=True)
    p.add_argument("--trained-on", default="synthetic", choices=["synthetic", "real"])
    p.add_argument("--data-description", default="", help="one line for the model card (e.g. seeds)")
    p.add_argument("--known-limits", type=Path, help="a file of '- ' bullet lines added to the model card's known limits")
    p.add_argument("--size", type=int, default=128, help="model input side (px)")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--schedule-budget-min", type=float,
                   help="fit training into this many minutes: after epoch 1, as many of --epochs as fit at its pace "
                        "(the cosine schedule ends on the last); default: all --epochs, however long they take")
    p.add_argument("--autocast", default="off", choices=["off", "bf16", "auto"],
                   help="bf16: mixed-precision training (train_loop.py); auto: bf16 where the CPU has native bfloat16 "
                        "(AVX-512 BF16 or AMX), else off")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--widths", default="24,32,64,128,160")
    p.add_argument("--pool", default="avg", choices=list(POOLS), help="global pooling before the heads (net.py)")
    p.add_argument("--proportions-weight", type=float, default=0.5)
    p.add_argument("--head-weights", default="colour=1,clarity=1,cut=1")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--calibration-images", type=int, default=512)
    p.add_argument("--int8-stem", action="store_true", help="quantize the first conv too (default: FP32 stem, see NOTES.md §3)")
    p.add_argument("--int8-heads", action="store_true", help="quantize the pooling and heads too (default: FP32, NOTES.md §6)")
    p.add_argument("--per-tensor", action="store_true", help="per-tensor INT8 weights (default per output channel)")
    p.add_argument("--target-accuracy", type=float, default=0.95, help="accuracy wanted on the covered part")
    p.add_argument("--golden", type=int, default=36)
    p.add_argument("--views", type=int, default=1, help="test-time views averaged per stone: 1, 2, 4 or 8 (views.py)")
    p.add_argument("--within-one-weight", type=float, default=0.0,
                   help="w of the decision argmax_k p_k + w · P(within one of k) for every head (metrics.decide); 0 = argmax")
    p.add_argument("--weights", type=Path, help="skip training: start from these LoupeNet weights (a loupenet.pt of an "
                                               "earlier run, its history.json beside it) and redo INT8, calibration, "
                                               "evaluation and the release")
    p.add_argument("--baseline-budget-s", type=float, default=300, help="0 skips the baseline")
    p.add_argument("--baseline-images", type=int, default=4000, help="training subset for the baseline")
    p.add_argument("--baseline-eval-images", type=int, default=1000)
    args = p.parse_args(argv)
    if args.schedule_budget_min is not None and args.schedule_budget_min <= 0:
        p.error(f"--schedule-budget-min must be more than 0 minutes, not {args.schedule_budget_min}")
    return args


class Log:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "a", encoding="utf-8")

    def __call__(self, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        print(line, flush=True)
        self.file.write(line + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def read_limits(path) -> list:
    if path is None:
        return []
    return [line[2:].strip() for line in Path(path).read_text().splitlines() if line.startswith("- ")]


def train_baseline(args, train_set, test_set, log) -> dict:
    """The concept document's CNN, trained on a subset within a fixed time budget."""
    rng = np.random.default_rng(args.seed)
    subset = train_set.subset(rng.permutation(len(train_set))[:args.baseline_images])
    val_index = rng.permutation(len(test_set))[:args.baseline_eval_images]
    eval_crops = test_set.exact_crops(BASELINE_INPUT, val_index)
    eval_inputs, eval_labels = to_input(eval_crops), test_set.labels[val_index]
    torch.manual_seed(args.seed)
    model = ConceptCnn()
    config = TrainConfig(input_size=BASELINE_INPUT, epochs=50, batch_size=32, lr=1e-3, weight_decay=0.0,
                         seed=args.seed, proportions_weight=0.0, time_budget_s=args.baseline_budget_s)
    started = time.time()
    model, history = train(model, subset, eval_inputs[:256], eval_labels[:256], config, log=log, label="baseline")
    seconds = time.time() - started
    outputs = predict(model, eval_inputs, batch_size=64)
    report = {}
    for k, head in enumerate(HEAD_NAMES):
        predicted, true = outputs[k].argmax(1), eval_labels[:, k]
        report[head] = {"exact": float(np.mean(predicted == true)), "within_one": float(np.mean(np.abs(predicted - true) <= 1))}
    path = args.work / "baseline.fp32.onnx"
    export_onnx(model, path, BASELINE_INPUT, output_names=HEAD_NAMES)
    _, info = run_onnx(path, eval_crops[:8], input_spec(BASELINE_INPUT), latency_runs=30)
    return {"architecture": "Conv32-3x3-ReLU, MaxPool2, Conv64-3x3-ReLU, MaxPool2, Flatten, Dense softmax per head (224x224x3)",
            "parameters": count_parameters(model), "onnx_fp32_bytes": path.stat().st_size,
            "training": {"images": len(subset), "epochs_run": len(history), "seconds": round(seconds),
                         "budget_s": args.baseline_budget_s},
            "test_images": len(val_index), "heads": report, "latency_ms_batch1": info["latencyMs"]}


def render_size_of(dataset) -> int | None:
    """The side of a set of square renders, all one size and kept as they are (dataset.py)."""
    _, height, width, _ = dataset.images.shape
    return int(width) if width == height else None


def main(argv=None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(THREADS)
    torch.manual_seed(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    log = Log(args.work / "train.log")
    try:
        return build_release(args, log)
    finally:
        log.close()


def build_release(args: argparse.Namespace, log: Log) -> int:
    timings, started = {}, time.time()
    log(f"loupe trainer: {vars(args)}")

    datasets = {}
    for split in ("train", "val", "test"):
        folder = getattr(args, split)
        if folder is not None:
            datasets[split] = load_folder(folder, args.size, cache_dir=args.work / "cache")
            ds = datasets[split]
            located = {m: ds.locator.count(m) for m in sorted(set(ds.locator))}
            log(f"{split}: {folder} {len(ds)} images, outline from {located}")
    train_set, val_set = datasets["train"], datasets["val"]
    test_set = datasets.get("test", val_set)
    test_name = "test" if "test" in datasets else "val (no test set given)"
    timings["load_s"] = round(time.time() - started)

    size = args.size
    spec = input_spec(size)
    val_crops, test_crops = val_set.exact_crops(size), test_set.exact_crops(size)
    widths = tuple(int(w) for w in args.widths.split(","))
    head_weights = {k: float(v) for k, v in (kv.split("=") for kv in args.head_weights.split(","))}
    config = TrainConfig(input_size=size, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                         head_weights=head_weights, proportions_weight=args.proportions_weight,
                         schedule_budget_s=None if args.schedule_budget_min is None else args.schedule_budget_min * 60,
                         autocast=resolve_autocast(args.autocast))
    log(f"training precision: {config.autocast} (--autocast {args.autocast})")
    model = LoupeNet(widths, pool=args.pool)
    log(f"LoupeNet widths {widths}, pool {args.pool}: {count_parameters(model)} parameters")
    t0 = time.time()
    if args.weights:
        model.load_state_dict(torch.load(args.weights))
        model.eval()
        history = json.loads((args.weights.parent / "history.json").read_text())
        # The training time is the run that made the weights: the sum of its epochs.
        timings["train_s"] = round(sum(e["seconds"] for e in history))
        log(f"weights from {args.weights} ({len(history)} epochs, {timings['train_s']} s of training); not training")
    else:
        model, history = train(model, train_set, to_input(val_crops), val_set.labels, config, log=log)
        timings["train_s"] = round(time.time() - t0)
        torch.save(model.state_dict(), args.work / "loupenet.pt")
        (args.work / "history.json").write_text(json.dumps(history, indent=1))

    # FP32 and INT8 ONNX.
    t0 = time.time()
    fp32_path = args.work / "model.fp32.onnx"
    export_onnx(model, fp32_path, size)
    rng = np.random.default_rng(args.seed)
    calibration_index = rng.permutation(len(train_set))[:args.calibration_images]
    calibration = to_input(train_set.exact_crops(size, calibration_index))
    quantized = quantize_static(model, [calibration[i:i + 64] for i in range(0, len(calibration), 64)],
                                float_stem=not args.int8_stem, per_channel=not args.per_tensor,
                                float_heads=not args.int8_heads)
    if args.out.exists():
        shutil.rmtree(args.out)
    (args.out / "golden").mkdir(parents=True)
    int8_path = args.out / MODEL_FILE
    export_onnx(quantized, int8_path, size)
    timings["quantize_s"] = round(time.time() - t0)

    # Everything below scores what ships: the INT8 file in onnxruntime-node.
    t0 = time.time()
    optimized_path = args.work / "model.int8.ort-optimized.onnx"
    views = views_for(args.views)
    val_int8, _ = run_views(lambda c: run_onnx(int8_path, c, spec), val_crops, views)
    test_int8, int8_info = run_views(lambda c: run_onnx(int8_path, c, spec, optimized_path=optimized_path, latency_runs=50), test_crops, views)
    test_fp32, fp32_info = run_views(lambda c: run_onnx(fp32_path, c, spec, latency_runs=50), test_crops, views)
    log(f"scored on {len(views)} view(s) per stone: {views}")
    timings["onnxruntime_s"] = round(time.time() - t0)
    temperatures = {h: fit_temperature(val_int8[h], val_set.labels[:, k]) for k, h in enumerate(HEAD_NAMES)}
    weights = {h: args.within_one_weight for h in HEAD_NAMES}
    thresholds = {}
    for k, h in enumerate(HEAD_NAMES):
        answered, confidence = answers(val_int8[h], temperatures[h], weights[h])
        thresholds[h] = abstain_threshold(confidence, answered == val_set.labels[:, k], args.target_accuracy)
    heads_int8 = evaluate_heads(test_int8, test_set.labels, temperatures, thresholds, weights)
    heads_fp32 = evaluate_heads(test_fp32, test_set.labels, temperatures, thresholds, weights)
    p_mean, p_std = proportion_stats(train_set)
    for k, h in enumerate(HEAD_NAMES):
        log(f"test {h:8s} INT8 exact {heads_int8[h]['exact']:.4f} within-1 {heads_int8[h]['within_one']:.4f} | "
            f"FP32 exact {heads_fp32[h]['exact']:.4f} | T {temperatures[h]:.3f} ECE {heads_int8[h]['ece_before']:.4f} → "
            f"{heads_int8[h]['ece_after']:.4f} | abstain < {thresholds[h]:.3f}: coverage {heads_int8[h]['abstain']['coverage']:.3f}"
            f" accuracy {heads_int8[h]['abstain']['accuracy_covered']}")
    agreement = top1_agreement(test_int8, test_fp32, temperatures, weights)
    log(f"INT8 vs FP32 top-1 agreement on {len(test_crops)} test crops: {agreement}")

    # Figures.
    for h in HEAD_NAMES:
        plot_confusion(np.array(heads_int8[h]["confusion"]), HEADS[h],
                       f"{h}: INT8 on {test_name} ({len(test_crops)}), exact {heads_int8[h]['exact']:.3f}",
                       args.out / f"confusion-{h}.png")
    plot_history(history, args.out / "training-curves.png")

    # Baseline.
    baseline = None
    if args.baseline_budget_s > 0:
        t0 = time.time()
        baseline = train_baseline(args, train_set, test_set, log)
        timings["baseline_s"] = round(time.time() - t0)
        log(f"baseline: {json.dumps(baseline)}")

    # Golden set: crops as PNG, expected = the INT8 model's answer (the decision rule) on the bytes read back.
    chosen = choose_golden(test_int8, min(args.golden, len(test_crops)), temperatures, weights)
    golden_files = []
    for n, index in enumerate(chosen):
        name = f"golden/{n:03d}.png"
        Image.fromarray(test_crops[index]).save(args.out / name, optimize=True)
        golden_files.append(name)
    reread = np.stack([np.asarray(Image.open(args.out / f).convert("RGB")) for f in golden_files])
    golden_logits, _ = run_views(lambda c: run_onnx(int8_path, c, spec), reread, views)
    golden_answers = {h: answers(golden_logits[h], temperatures[h], weights[h])[0] for h in HEAD_NAMES}
    golden = [{"file": f, "expected": {h: HEADS[h][int(golden_answers[h][i])] for h in HEAD_NAMES}}
              for i, f in enumerate(golden_files)]

    histogram_file, histogram_ort = operator_histogram(int8_path), operator_histogram(optimized_path)
    log(f"INT8 ONNX operators in the file: {histogram_file}")
    log(f"INT8 operators onnxruntime runs (after fusion): {histogram_ort}")
    timings["total_s"] = round(time.time() - started)
    metrics = {
        "evaluatedOn": {"split": test_name, "folder": str(test_set.name), "images": len(test_crops)},
        "trainedOn": {"train": {"folder": train_set.name, "images": len(train_set)}, "val": {"folder": val_set.name, "images": len(val_set)},
                      "description": args.data_description,
                      # The render size the training images had (renders are all one size): what
                      # models/eval renders fresh stones at. None for real photographs.
                      "renderSizePx": render_size_of(train_set) if args.trained_on == "synthetic" else None},
        "heads": {h: {key: heads_int8[h][key] for key in ("exact", "within_one", "ece_before", "ece_after", "abstain")} for h in HEAD_NAMES},
        "fp32": {h: {"exact": heads_fp32[h]["exact"], "within_one": heads_fp32[h]["within_one"]} for h in HEAD_NAMES},
        "int8Fp32Agreement": agreement,
        "proportionsMae": proportions_error(test_int8["proportions"], p_mean, p_std, test_set.proportions),
        "abstainTargetAccuracy": args.target_accuracy,
        "withinOneWeight": weights,
        "model": {"architecture": f"LoupeNet (residual CNN, widths {list(widths)}, {args.pool} pooling)", "parameters": count_parameters(model),
                  "quantization": {"engine": "qnnpack", "static": True, "calibration_images": len(calibration_index),
                                   "stem": "int8" if args.int8_stem else "fp32", "heads": "int8" if args.int8_heads else "fp32",
                                   "weights": "per-tensor" if args.per_tensor else "per-channel"},
                  "int8_bytes": int8_path.stat().st_size, "fp32_bytes": fp32_path.stat().st_size,
                  "latency_ms_batch1": {"int8": int8_info["latencyMs"], "fp32": fp32_info["latencyMs"]},
                  "operators": {"file": histogram_file, "onnxruntime": histogram_ort}},
        "baseline": baseline,
        "training": {"epochs": len(history), "epochs_requested": args.epochs,
                     "schedule_budget_s": None if args.schedule_budget_min is None else args.schedule_budget_min * 60,
                     "best_epoch": int(np.argmax([np.mean([e["val"][h]["exact"] for h in HEAD_NAMES]) for e in history])) + 1,
                     "config": {"size": size, "views": views, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
                                "head_weights": head_weights, "proportions_weight": args.proportions_weight, "threads": THREADS,
                                "pool": args.pool, "autocast": config.autocast},
                     "timings_s": timings},
    }
    full = {"int8": heads_int8, "fp32": heads_fp32, "temperatures": temperatures, "thresholds": thresholds, "history": history}
    (args.out / "evaluation.json").write_text(json.dumps(full, indent=1) + "\n")
    write_model_card(args.out / "MODEL_CARD.md", name=args.name, version=args.version, trained_on=args.trained_on,
                     metrics=metrics, temperatures=temperatures, thresholds=thresholds, spec=spec, evaluation=heads_int8,
                     extra_limits=read_limits(args.known_limits))
    write_manifest(args.out, name=args.name, version=args.version, trained_on=args.trained_on, size=size, views=views,
                   temperatures=temperatures, thresholds=thresholds, proportion_mean=p_mean, proportion_std=p_std,
                   metrics=metrics, golden=golden, weights=weights)
    log(f"release written to {args.out} in {timings['total_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
