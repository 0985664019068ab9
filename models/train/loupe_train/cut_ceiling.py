"""How exact can a cut grade be when the proportions are only known to within some error?

The renderer grades cut by a rule table on five proportions (models/synth/cut.ts). A top view
shows four of them at best (table, crown angle, pavilion angle, total depth); the girdle
thickness is hidden. This simulates a grader that knows the four to within Gaussian noise of a
given size (e.g. the regression head's error) and assumes the girdle is fine, then re-grades:
the share it gets right is a ceiling for any model seeing that well.

    python3 -m loupe_train.cut_ceiling LABELS.csv [--mae table,crown,pavilion,depth]
"""
from __future__ import annotations

import argparse
import csv
import sys

import numpy as np

from .grades import CUT_GRADES

# models/synth/cut.ts CUT_RULES: bands for Excellent, Very Good, Good, Fair; outside is Poor.
RULES = {
    "table_pct": [(52, 62), (50, 66), (47, 69), (44, 72)],
    "crown_angle_deg": [(31.5, 36.5), (27, 38.5), (23, 40), (20, 42)],
    "pavilion_angle_deg": [(40.6, 41.8), (39.8, 42.4), (38.8, 43.2), (37.4, 44.2)],
    "total_depth_pct": [(57.5, 63), (56, 64.5), (53, 66.5), (51, 70)],
    "girdle_pct": [(2, 4.5), (1.5, 5.5), (1, 7), (0.5, 9)],
}
VISIBLE = ["table_pct", "crown_angle_deg", "pavilion_angle_deg", "total_depth_pct"]


def grade_one(name: str, values: np.ndarray) -> np.ndarray:
    out = np.full(values.shape, len(CUT_GRADES) - 1)
    for index, (lo, hi) in reversed(list(enumerate(RULES[name]))):
        out[(values >= lo) & (values <= hi)] = index
    return out


def cut_accuracy(table: dict, true_cut: np.ndarray, sigma: dict, rng: np.random.Generator, include_girdle=False) -> tuple:
    grades = [grade_one(n, table[n] + rng.normal(0, sigma.get(n, 0.0), len(true_cut))) for n in VISIBLE]
    if include_girdle:
        grades.append(grade_one("girdle_pct", table["girdle_pct"]))
    predicted = np.max(grades, axis=0)
    return float(np.mean(predicted == true_cut)), float(np.mean(np.abs(predicted - true_cut) <= 1))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("labels", help="a labels.csv with the proportion columns")
    p.add_argument("--mae", help="the regression head's MAE per visible proportion (table,crown,pavilion,depth)")
    args = p.parse_args(argv)
    with open(args.labels, newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = {n: np.array([float(r[n]) for r in rows]) for n in RULES}
    true_cut = np.array([CUT_GRADES.index(r["cut"]) for r in rows])
    rng = np.random.default_rng(0)
    print(f"{len(rows)} stones; rule table on all five true proportions reproduces "
          f"{cut_accuracy(table, true_cut, {}, rng, include_girdle=True)[0]:.4f} of the labels")
    print(f"the four visible ones, exact (girdle unseen): exact {cut_accuracy(table, true_cut, {}, rng)[0]:.4f}")
    scales = [("pavilion ±0.1°", {"pavilion_angle_deg": 0.1}), ("pavilion ±0.25°", {"pavilion_angle_deg": 0.25}),
              ("pavilion ±0.5°", {"pavilion_angle_deg": 0.5}), ("crown ±1°", {"crown_angle_deg": 1.0}),
              ("crown ±2°", {"crown_angle_deg": 2.0})]
    if args.mae:
        mae = [float(v) for v in args.mae.split(",")]
        # Gaussian: sigma = MAE × sqrt(pi / 2).
        scales.append(("regression head's error", {n: m * np.sqrt(np.pi / 2) for n, m in zip(VISIBLE, mae)}))
    for label, sigma in scales:
        exact, within = cut_accuracy(table, true_cut, sigma, rng)
        print(f"  noise {label:28s} (1 sigma): exact {exact:.4f}, within one {within:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
