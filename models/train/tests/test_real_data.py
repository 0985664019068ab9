"""The trainer's real-data path and its agreement with the device, on a tiny made-up folder.

Run with `npm run train:test` (never by vitest): python3 -m unittest discover -s tests -t .
"""
from __future__ import annotations

import csv
import json
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from loupe_train.crops import crop_stone, tray_colour
from loupe_train.dataset import load_folder
from loupe_train.grades import CROP_FACTOR
from loupe_train.labels_csv import LabelsError, read_labels
from loupe_train.locate import locate_stone
from loupe_train.ort_bridge import REPO_ROOT

TRAY = (214, 216, 219)


def fake_photo(width: int, height: int, cx: float, cy: float, diameter: float, seed: int) -> Image.Image:
    """A light tray with a faceted-looking disc: dark and bright wedges, a yellowish table."""
    rng = np.random.default_rng(seed)
    base = np.clip(np.array(TRAY) + rng.normal(0, 2, (height, width, 3)), 0, 255).astype(np.uint8)
    image = Image.fromarray(base)
    draw = ImageDraw.Draw(image)
    r = diameter / 2
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(150, 150, 160))
    for k in range(16):
        a0, a1 = k * 22.5, k * 22.5 + 11
        shade = (60, 60, 70) if k % 2 else (245, 245, 250)
        draw.pieslice((cx - r, cy - r, cx + r, cy + r), a0, a1, fill=shade)
    t = r * 0.55
    draw.ellipse((cx - t, cy - t, cx + t, cy + t), fill=(200, 195, 170))
    return image


def write_folder(folder: Path, count: int = 12) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    rows, truth = [], []
    colours, clarities, cuts = list("DEFGHIJ"), ["VVS1", "VS1", "VS2", "SI1", "SI2"], ["Excellent", "Very Good", "Good"]
    for i in range(count):
        width, height = int(rng.integers(300, 420)), int(rng.integers(260, 360))
        d = float(rng.uniform(0.4, 0.6) * min(width, height))
        cx, cy = width / 2 + rng.uniform(-20, 20), height / 2 + rng.uniform(-20, 20)
        name = f"photo-{i:02d}.jpg" if i % 2 else f"photo-{i:02d}.png"
        fake_photo(width, height, cx, cy, d, i).save(folder / name, quality=95)
        rows.append({"file": name, "colour": colours[i % 7], "clarity": clarities[i % 5], "cut": cuts[i % 3], "carat": "1.0"})
        truth.append((cx, cy, d))
    with open(folder / "labels.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, ["file", "colour", "clarity", "cut", "carat"])
        writer.writeheader()
        writer.writerows(rows)
    return truth


class LabelsCsvTest(unittest.TestCase):
    def test_reports_a_grade_off_the_scale_with_its_line(self):
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / "labels.csv"
            path.write_text("file,colour,clarity,cut\na.png,G,VS1,Excellent\nb.png,G,VS3,Excellent\n")
            with self.assertRaisesRegex(LabelsError, r"line 3: clarity 'VS3'"):
                read_labels(path)

    def test_refuses_half_an_outline(self):
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / "labels.csv"
            path.write_text("file,colour,clarity,cut,centre_x_px\na.png,G,VS1,Excellent,10\n")
            with self.assertRaisesRegex(LabelsError, "not all of"):
                read_labels(path)

    def test_reads_grades_as_scale_indices_and_outline_when_present(self):
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / "labels.csv"
            path.write_text("file,colour,clarity,cut,centre_x_px,centre_y_px,diameter_px\n"
                            "a.png,Z,I3,Poor,10,11,12\nb.png,D,FL,Excellent,,,\n")
            rows = read_labels(path)
            self.assertEqual(rows[0].grades, {"colour": 22, "clarity": 10, "cut": 4})
            self.assertEqual(rows[0].geometry, (10.0, 11.0, 12.0))
            self.assertIsNone(rows[1].geometry)


class LocatorTest(unittest.TestCase):
    def test_finds_the_disc_within_two_percent(self):
        for seed, (cx, cy, d) in enumerate([(200, 150, 140), (170, 190, 100), (250, 160, 180)]):
            found = locate_stone(np.asarray(fake_photo(400, 320, cx, cy, d, seed)))
            self.assertEqual(found.method, "blob")
            self.assertLess(abs(found.centre_x - cx), 0.02 * d)
            self.assertLess(abs(found.centre_y - cy), 0.02 * d)
            self.assertLess(abs(found.diameter - d), 0.02 * d)

    def test_falls_back_to_a_centre_crop_on_an_empty_tray(self):
        found = locate_stone(np.full((200, 300, 3), TRAY, dtype=np.uint8))
        self.assertEqual((found.method, found.centre_x, found.centre_y), ("centre-crop", 150, 100))
        self.assertAlmostEqual(found.diameter, 200 / CROP_FACTOR)


class CropParityTest(unittest.TestCase):
    """The trainer's Pillow crop is the device's crop (device/vision), byte for byte, on and off the frame."""

    def test_trainer_and_device_crops_are_identical(self):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            image = fake_photo(160, 160, 83.4, 79.1, 112.7, 3)
            image.save(work / "frame.png")
            jobs = [{"centreX": 83.4, "centreY": 79.1, "diameterPx": 112.7, "size": 128, "factor": 1.25},
                    {"centreX": 80.0, "centreY": 80.0, "diameterPx": 120.0, "size": 96, "factor": 1.25},
                    {"centreX": 20.5, "centreY": 140.2, "diameterPx": 90.3, "size": 128, "factor": 1.25},  # runs off the frame
                    {"centreX": 90.1, "centreY": 70.7, "diameterPx": 60.2, "size": 128, "factor": 1.25}]  # upscales
            (work / "jobs.json").write_text(json.dumps(jobs))
            subprocess.run(["node", "--import", "tsx", "models/train/crop-bridge.ts", "--image", str(work / "frame.png"),
                            "--jobs", str(work / "jobs.json"), "--out", str(work / "crops.u8")], cwd=REPO_ROOT, check=True)
            device = (work / "crops.u8").read_bytes()
            rgb = np.asarray(Image.open(work / "frame.png").convert("RGB"))
            offset = 0
            for job in jobs:
                ours = crop_stone(Image.fromarray(rgb), job["centreX"], job["centreY"], job["diameterPx"], job["size"],
                                  tray_colour(rgb), job["factor"])
                theirs = np.frombuffer(device[offset:offset + ours.size], dtype=np.uint8).reshape(ours.shape)
                offset += ours.size
                self.assertEqual(int(np.abs(ours.astype(int) - theirs).max()), 0, f"crop {job} differs")


class RealFolderPipelineTest(unittest.TestCase):
    def test_loads_photos_of_any_size_through_the_locator(self):
        with tempfile.TemporaryDirectory() as work:
            truth = write_folder(Path(work) / "photos")
            data = load_folder(Path(work) / "photos", 64, quiet=True)
            self.assertEqual(len(data), len(truth))
            self.assertEqual(set(data.locator), {"blob"})
            self.assertEqual(data.images.shape[1], data.images.shape[2])  # one square canvas size for all
            self.assertTrue(np.isnan(data.proportions).all())  # no proportions in this CSV
            crop = data.crop(0, 64)
            self.assertEqual(crop.shape, (64, 64, 3))
            # The stone fills the crop's centre: darker than the tray corner on average.
            self.assertLess(crop[24:40, 24:40].mean(), crop[:6, :6].mean())

    def test_trains_and_writes_a_release_labelled_real(self):
        from loupe_train.pipeline import main

        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            write_folder(work / "photos")
            code = main(["--train", str(work / "photos"), "--val", str(work / "photos"), "--out", str(work / "release"),
                         "--work", str(work / "scratch"), "--version", "0.0.1-test", "--trained-on", "real", "--size", "32",
                         "--epochs", "1", "--batch-size", "4", "--baseline-budget-s", "0", "--golden", "4",
                         "--widths", "8,8,16,16,16", "--within-one-weight", "1"])
            self.assertEqual(code, 0)
            manifest = json.loads((work / "release" / "manifest.json").read_text())
            self.assertEqual(manifest["trainedOn"], "real")
            self.assertEqual(manifest["input"]["size"], 32)
            self.assertEqual(manifest["metrics"]["evaluatedOn"]["split"], "val (no test set given)")
            self.assertEqual(len(manifest["golden"]), 4)
            self.assertIn("model.int8.onnx", manifest["files"])
            self.assertEqual({h["withinOneWeight"] for h in manifest["heads"].values()}, {1.0})
            card = (work / "release" / "MODEL_CARD.md").read_text()
            self.assertIn("real labelled photographs", card)
            self.assertNotIn("synthetic renders only", card)
            self.assertIn("P(within one grade of k), w = colour 1, clarity 1, cut 1", card)


if __name__ == "__main__":
    unittest.main()
