"""Mixed-precision training (TrainConfig.autocast, --autocast): which CPUs get bf16, and that it trains."""
from __future__ import annotations

import unittest

import numpy as np
import torch

from loupe_train.net import LoupeNet
from loupe_train.train_loop import TrainConfig, autocast_context, cpu_has_bf16, resolve_autocast
from tests.tiny_training import TINY_WIDTHS, train_tiny

EPYC_FLAGS = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n"
SAPPHIRE_FLAGS = "flags\t\t: fpu avx512f amx_bf16 amx_tile\n"
OLD_FLAGS = "flags\t\t: fpu sse2 avx2 fma\n"


class ResolveAutocastTest(unittest.TestCase):
    def test_auto_is_bf16_only_where_the_cpu_computes_it_natively(self):
        self.assertTrue(cpu_has_bf16(EPYC_FLAGS))
        self.assertTrue(cpu_has_bf16(SAPPHIRE_FLAGS))
        self.assertFalse(cpu_has_bf16(OLD_FLAGS))
        self.assertFalse(cpu_has_bf16(""))
        self.assertEqual(resolve_autocast("auto", EPYC_FLAGS), "bf16")
        self.assertEqual(resolve_autocast("auto", OLD_FLAGS), "off")

    def test_explicit_modes_are_kept_and_others_refused(self):
        self.assertEqual(resolve_autocast("off", EPYC_FLAGS), "off")
        self.assertEqual(resolve_autocast("bf16", OLD_FLAGS), "bf16")
        with self.assertRaises(ValueError):
            resolve_autocast("fp16", EPYC_FLAGS)

    def test_the_pipeline_flag_refuses_an_unknown_mode(self):
        from loupe_train.pipeline import parse_args

        base = ["--train", "t", "--val", "v", "--out", "o", "--version", "0.0.1"]
        self.assertEqual(parse_args(base).autocast, "off")
        self.assertEqual(parse_args([*base, "--autocast", "auto"]).autocast, "auto")
        with self.assertRaises(SystemExit):
            parse_args([*base, "--autocast", "fp16"])


class TrainInBf16Test(unittest.TestCase):
    def run_training(self, autocast):
        return train_tiny(TrainConfig(input_size=32, epochs=2, batch_size=4, seed=5, bn_images=8, autocast=autocast))

    def test_bf16_updates_fp32_weights_and_reports_finite_losses(self):
        before, trained, history = self.run_training("bf16")
        self.assertEqual(len(history), 2)
        state = trained.state_dict()
        conv = next(k for k, v in state.items() if k.endswith("weight") and v.ndim == 4)
        self.assertEqual(state[conv].dtype, torch.float32)  # the weights stay FP32; only the arithmetic is bf16
        self.assertFalse(torch.equal(state[conv], before[conv]))
        for entry in history:
            for head, values in entry["train"].items():
                if isinstance(values, dict):
                    self.assertTrue(np.isfinite(values["loss"]), (head, values))

    def test_a_bf16_forward_pass_computes_the_fp32_answers_to_bfloat16_precision(self):
        torch.manual_seed(6)
        model = LoupeNet(TINY_WIDTHS).to(memory_format=torch.channels_last).eval()
        inputs = torch.randn(4, 3, 32, 32).to(memory_format=torch.channels_last)
        with torch.no_grad():
            fp32 = model(inputs)
            with autocast_context("off"):
                off = model(inputs)
            with autocast_context("bf16"):
                bf16 = model(inputs)
        for a, b, c in zip(fp32, off, bf16):
            self.assertTrue(torch.equal(a, b))
            self.assertEqual(c.dtype, torch.bfloat16)  # it did run in bf16
            scale = float(a.abs().max())
            self.assertLess(float((c.float() - a).abs().max()), 0.1 * scale)
            self.assertFalse(torch.equal(c.float(), a))

if __name__ == "__main__":
    unittest.main()
