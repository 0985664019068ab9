"""The device's test-time views (device/vision/views.ts, through the onnxruntime-node bridge)
give the same outputs as the trainer's (loupe_train/views.py), on the shipped release."""
from __future__ import annotations

import json
import unittest

import numpy as np

from loupe_train.ort_bridge import REPO_ROOT, run_onnx
from loupe_train.views import VIEW_SETS, apply_view, run_views


def newest_release():
    releases = sorted((REPO_ROOT / "models" / "release").glob("*/manifest.json"),
                      key=lambda p: [int(x) for x in p.parent.name.rsplit("-", 1)[1].split(".")])
    return releases[-1].parent


class ViewParity(unittest.TestCase):
    def test_the_device_averages_the_same_views_as_the_trainer(self):
        release = newest_release()
        manifest = json.loads((release / "manifest.json").read_text())
        spec = {k: v for k, v in manifest["input"].items() if k != "views"}
        size = spec["size"]
        crops = np.random.default_rng(5).integers(0, 256, size=(3, size, size, 3), dtype=np.uint8)
        views = VIEW_SETS[8]
        trainer, _ = run_views(lambda c: run_onnx(release / manifest["model"], c, spec), crops, views)
        device, _ = run_onnx(release / manifest["model"], crops, {**spec, "views": views})
        for name in trainer:
            np.testing.assert_allclose(device[name], trainer[name], atol=1e-4, err_msg=name)

    def test_views_are_the_eight_symmetries(self):
        crop = np.arange(4 * 4 * 3, dtype=np.uint8).reshape(1, 4, 4, 3)
        seen = {apply_view(crop, v).tobytes() for v in VIEW_SETS[8]}
        self.assertEqual(len(seen), 8)
        self.assertTrue(np.array_equal(apply_view(crop, "rot90")[0, :, :, 0], np.rot90(crop[0, :, :, 0], 1)))


if __name__ == "__main__":
    unittest.main()
