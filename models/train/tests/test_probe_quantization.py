"""probe_quantization: its variants quantize, export and run, an FP32 tail stays FP32, and the scores compare answers."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from loupe_train.batches import to_input
from loupe_train.grades import HEAD_NAMES, HEADS
from loupe_train.net import LoupeNet
from loupe_train.ort_bridge import run_onnx
from loupe_train.probe_quantization import head_scores, quantize_variant
from loupe_train.quantize import export_onnx, operator_histogram
from loupe_train.release import input_spec

WIDTHS = (8, 8, 16, 16, 16)
SIZE = 64


class ProbeQuantizationTest(unittest.TestCase):
    def test_an_fp32_tail_takes_convolutions_out_of_int8_and_still_runs(self):
        torch.manual_seed(5)
        model = LoupeNet(WIDTHS).eval()
        crops = np.random.default_rng(5).integers(0, 256, size=(6, SIZE, SIZE, 3), dtype=np.uint8)
        dequantized_weights = {}
        for tail in (0, 2):
            with tempfile.TemporaryDirectory() as work:
                path = Path(work) / "m.onnx"
                export_onnx(quantize_variant(model, to_input(crops), tail), path, SIZE)
                dequantized_weights[tail] = operator_histogram(path)["DequantizeLinear"]
                outputs, _ = run_onnx(path, crops, input_spec(SIZE))
                for head in HEAD_NAMES:
                    self.assertEqual(outputs[head].shape, (len(crops), len(HEADS[head])))
                    self.assertTrue(np.all(np.isfinite(outputs[head])))
        # The tail's last stage (a stride-2 conv and a residual block: three convs) is no longer quantized.
        self.assertLess(dequantized_weights[2], dequantized_weights[0])

    def test_scores_count_agreement_under_the_rule_and_as_argmax(self):
        rng = np.random.default_rng(6)
        labels = np.stack([rng.integers(0, len(HEADS[h]), 200) for h in HEAD_NAMES], axis=1)
        logits = {h: rng.normal(size=(200, len(HEADS[h]))).astype(np.float32) for h in HEAD_NAMES}
        same = head_scores(logits, labels, 1.0, logits)
        for head in HEAD_NAMES:
            self.assertEqual(same[head]["agreement_rule"], 1.0)
            self.assertEqual(same[head]["agreement_argmax"], 1.0)
        shuffled = {h: v[::-1].copy() for h, v in logits.items()}
        other = head_scores(logits, labels, 1.0, shuffled)
        self.assertLess(other["clarity"]["agreement_argmax"], 0.5)


if __name__ == "__main__":
    unittest.main()
