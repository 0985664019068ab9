"""Reads a labels.csv (docs/INTERFACES.md §1, or the subset a real data set has) into validated rows.

Required columns: file, colour, clarity, cut. Optional: centre_x_px, centre_y_px, diameter_px
(the girdle outline; all three or none) and the four proportions of the regression head.
Every problem is reported with its line number; nothing is silently dropped.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from .grades import HEADS, PROPORTION_NAMES

GEOMETRY_COLUMNS = ("centre_x_px", "centre_y_px", "diameter_px")
REQUIRED_COLUMNS = ("file", *HEADS)


class LabelsError(ValueError):
    pass


@dataclass(frozen=True)
class LabelRow:
    file: str
    grades: dict  # head name -> class index
    geometry: tuple[float, float, float] | None  # centre x, centre y, diameter (px)
    proportions: tuple[float, float, float, float] | None


def _number(text: str, column: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise LabelsError(f"line {line}: {column} is not a number: {text!r}") from None
    if not math.isfinite(value):
        raise LabelsError(f"line {line}: {column} is not finite: {text!r}")
    return value


def read_labels(csv_path: Path) -> list[LabelRow]:
    with open(csv_path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise LabelsError(f"{csv_path}: missing column(s) {', '.join(missing)}")
        geometry_present = [c for c in GEOMETRY_COLUMNS if c in columns]
        if geometry_present and len(geometry_present) != len(GEOMETRY_COLUMNS):
            raise LabelsError(f"{csv_path}: has {', '.join(geometry_present)} but not all of {', '.join(GEOMETRY_COLUMNS)}")
        has_proportions = all(c in columns for c in PROPORTION_NAMES)
        rows = []
        for line, record in enumerate(reader, start=2):
            grades = {}
            for head, labels in HEADS.items():
                value = (record[head] or "").strip()
                if value not in labels:
                    raise LabelsError(f"line {line}: {head} {value!r} is not one of {', '.join(labels)}")
                grades[head] = labels.index(value)
            geometry = None
            if geometry_present and all((record[c] or "").strip() for c in GEOMETRY_COLUMNS):
                cx, cy, d = (_number(record[c], c, line) for c in GEOMETRY_COLUMNS)
                if d <= 0:
                    raise LabelsError(f"line {line}: diameter_px must be positive, got {d}")
                geometry = (cx, cy, d)
            proportions = None
            if has_proportions and all((record[c] or "").strip() for c in PROPORTION_NAMES):
                proportions = tuple(_number(record[c], c, line) for c in PROPORTION_NAMES)
            file = (record["file"] or "").strip()
            if not file:
                raise LabelsError(f"line {line}: empty file name")
            rows.append(LabelRow(file=file, grades=grades, geometry=geometry, proportions=proportions))
    if not rows:
        raise LabelsError(f"{csv_path}: no rows")
    return rows
