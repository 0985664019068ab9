"""Splits one labelled folder into train/val/test folders of symlinks (for the smoke release on dev-small).

    python3 -m loupe_train.split SOURCE OUT --fractions 0.7,0.15,0.15
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path


def split_folder(source: Path, out: Path, fractions=(0.7, 0.15, 0.15)) -> dict:
    with open(source / "labels.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    bounds, start, counts = [], 0, {}
    for k, fraction in enumerate(fractions):
        end = len(rows) if k == len(fractions) - 1 else start + round(fraction * len(rows))
        bounds.append((start, end))
        start = end
    for name, (lo, hi) in zip(("train", "val", "test"), bounds):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "labels.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fields)
            writer.writeheader()
            writer.writerows(rows[lo:hi])
        for row in rows[lo:hi]:
            link = folder / row["file"]
            if not link.exists():
                os.symlink((source / row["file"]).resolve(), link)
        counts[name] = hi - lo
    return counts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--fractions", default="0.7,0.15,0.15")
    args = p.parse_args(argv)
    print(split_folder(args.source, args.out, tuple(float(f) for f in args.fractions.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
