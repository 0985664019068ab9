"""Runs an ONNX model in onnxruntime-node through models/train/ort-bridge.ts and reads its outputs back."""
from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[3]
BRIDGE = REPO_ROOT / "models" / "train" / "ort-bridge.ts"


def run_onnx(model_path, crops: np.ndarray, input_spec: dict, optimized_path=None, latency_runs: int = 0,
             threads: int = 2) -> tuple[dict, dict]:
    """crops: uint8 [N, S, S, 3]. Returns ({output name: float32 [N, width]}, info)."""
    crops = np.ascontiguousarray(crops, dtype=np.uint8)
    with tempfile.TemporaryDirectory(prefix="loupe-ort-") as work:
        work = Path(work)
        (work / "crops.u8").write_bytes(crops.tobytes())
        (work / "spec.json").write_text(json.dumps(input_spec))
        command = ["node", "--import", "tsx", str(BRIDGE), "--model", str(Path(model_path).resolve()), "--crops", str(work / "crops.u8"),
                   "--count", str(len(crops)), "--spec", str(work / "spec.json"), "--out", str(work / "out"),
                   "--threads", str(threads)]
        if optimized_path:
            command += ["--optimized", str(Path(optimized_path).resolve())]
        if latency_runs:
            command += ["--latency", str(latency_runs)]
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"onnxruntime-node bridge failed ({done.returncode}):\n{done.stderr[-4000:]}")
        info = json.loads((work / "out" / "info.json").read_text())
        outputs = {name: np.fromfile(work / "out" / f"{name}.f32", dtype="<f4").reshape(len(crops), width)
                   for name, width in info["widths"].items()}
    return outputs, info
