"""Writes the release folder (docs/INTERFACES.md §2): manifest.json with a sha256 and size for every file."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from .grades import CROP_FACTOR, HEADS, IMAGENET_MEAN, IMAGENET_STD, PROPORTION_NAMES

SCHEMA = "loupe.model-manifest/v1"
MODEL_FILE = "model.int8.onnx"


def input_spec(size: int) -> dict:
    return {"name": "image", "size": size, "layout": "NCHW", "channelOrder": "RGB", "dtype": "float32",
            "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD), "scale": 255,
            "crop": {"basis": "girdle-diameter", "factor": CROP_FACTOR}}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_table(release_dir: Path) -> dict:
    """Every file of the release but manifest.json, by relative path (sorted)."""
    release_dir = Path(release_dir)
    files = {}
    for path in sorted(release_dir.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            files[path.relative_to(release_dir).as_posix()] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}
    return files


def write_manifest(release_dir: Path, *, name: str, version: str, trained_on: str, size: int, views: list, temperatures: dict,
                   thresholds: dict, proportion_mean, proportion_std, metrics: dict, golden: list,
                   weights: dict | None = None) -> dict:
    release_dir = Path(release_dir)
    files = file_table(release_dir)
    manifest = {
        "schema": SCHEMA,
        "name": name,
        "version": version,
        "createdAt": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "trainedOn": trained_on,
        "files": files,
        "model": MODEL_FILE,
        # views: the symmetries of the crop the device runs as one batch and averages (views.py).
        "input": {**input_spec(size), **({"views": views} if views != ["identity"] else {})},
        # withinOneWeight: the device answers argmax_k p_k + w · P(within one of k) (metrics.decide); absent = argmax.
        "heads": {head: {"output": head, "labels": labels, "temperature": round(float(temperatures[head]), 6),
                         "abstainBelow": round(float(thresholds[head]), 6),
                         **({"withinOneWeight": float(weights[head])} if weights and weights.get(head) else {})}
                  for head, labels in HEADS.items()},
        "regression": {"output": "proportions", "names": PROPORTION_NAMES,
                       "mean": [round(float(v), 6) for v in proportion_mean], "std": [round(float(v), 6) for v in proportion_std]},
        "metrics": metrics,
        "golden": [{"file": g["file"], "sha256": files[g["file"]]["sha256"], "expected": g["expected"]} for g in golden],
    }
    (release_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
