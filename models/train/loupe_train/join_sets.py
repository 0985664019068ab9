"""Joins rendered data sets into one training folder without copying images.

    /usr/bin/python3 -m loupe_train.join_sets OUT DIR [DIR ...]

OUT gets a symlink per source folder (named after it) and one labels.csv: every source row, its
`file` prefixed with that link's name, columns as in the first source. The sets must be renders of
different seeds (the same seed twice would repeat stones); the trainer reads OUT like any folder.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path


class JoinError(ValueError):
    pass


def join_sets(out: Path, sources: list[Path]) -> int:
    """Writes OUT (replacing its labels.csv and links); returns the number of rows."""
    if len(sources) < 2:
        raise JoinError("give at least two source folders")
    names = [Path(s).resolve().name for s in sources]
    if len(set(names)) != len(names):
        raise JoinError(f"source folders need distinct names, got {names}")
    out.mkdir(parents=True, exist_ok=True)
    header: list[str] | None = None
    rows: list[dict] = []
    for source, name in zip(sources, names):
        labels = Path(source) / "labels.csv"
        if not labels.is_file():
            raise JoinError(f"{labels} does not exist")
        with labels.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise JoinError(f"{labels}: no 'file' column")
            if header is None:
                header = list(reader.fieldnames)
            elif set(reader.fieldnames) != set(header):
                raise JoinError(f"{labels}: columns differ from the first source's")
            for row in reader:
                row["file"] = f"{name}/{row['file']}"
                rows.append(row)
        link = out / name
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(Path(source).resolve(), link)
    tmp = out / "labels.csv.tmp"
    with tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out / "labels.csv")
    return len(rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("sources", type=Path, nargs="+")
    args = p.parse_args(argv)
    try:
        n = join_sets(args.out, args.sources)
    except JoinError as e:
        print(f"join_sets: {e}", file=sys.stderr)
        return 2
    print(f"joined {n} rows from {len(args.sources)} folders into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
