"""LoupeNet's pooling options: what the max branch adds, and that both export and quantize."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from loupe_train.batches import to_input
from loupe_train.grades import HEAD_NAMES
from loupe_train.net import LoupeNet
from loupe_train.ort_bridge import run_onnx
from loupe_train.quantize import export_onnx, operator_histogram, quantize_static
from loupe_train.release import input_spec

WIDTHS = (8, 8, 16, 16, 16)
SIZE = 64  # a 2×2 last map: QNNPACK has no 1×1 max pool


class PoolingTest(unittest.TestCase):
    def test_refuses_an_unknown_pool(self):
        with self.assertRaises(ValueError):
            LoupeNet(WIDTHS, pool="sum")

    def test_the_max_branch_keeps_a_small_spot_whole(self):
        pooled = {}
        for pool in ("avg", "avgmax"):
            model = LoupeNet(WIDTHS, pool=pool).eval()
            trunk_out = torch.zeros(1, WIDTHS[-1], 5, 5)
            spot = trunk_out.clone()
            spot[0, :, 2, 3] = 1.0  # one cell of 25 responds
            with torch.no_grad():
                features = [model.pooled_features(t) for t in (trunk_out, spot)]
            self.assertEqual(features[0].shape[1], WIDTHS[-1] * (2 if pool == "avgmax" else 1))
            pooled[pool] = float((features[1] - features[0]).abs().max())
        self.assertAlmostEqual(pooled["avg"], 1 / 25, places=5)
        self.assertAlmostEqual(pooled["avgmax"], 1.0, places=5)

    def test_avgmax_quantizes_exports_and_runs_in_onnxruntime_node(self):
        torch.manual_seed(4)
        model = LoupeNet(WIDTHS, pool="avgmax").eval()
        rng = np.random.default_rng(4)
        crops = rng.integers(0, 256, size=(6, SIZE, SIZE, 3), dtype=np.uint8)
        inputs = to_input(crops)
        for float_heads in (True, False):
            quantized = quantize_static(model, [inputs], float_stem=True, per_channel=True, float_heads=float_heads)
            with tempfile.TemporaryDirectory() as work:
                path = Path(work) / "m.onnx"
                export_onnx(quantized, path, SIZE)
                operators = operator_histogram(path)
                # GlobalMaxPool exports as a MaxPool whose kernel is the whole (fixed-size) map.
                self.assertIn("MaxPool", operators)
                self.assertIn("Concat", operators)
                outputs, _ = run_onnx(path, crops, input_spec(SIZE))
                for head in HEAD_NAMES:
                    self.assertEqual(outputs[head].shape[0], len(crops))
                    self.assertTrue(np.all(np.isfinite(outputs[head])), head)


if __name__ == "__main__":
    unittest.main()
