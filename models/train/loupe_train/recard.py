"""Rewrites a release's MODEL_CARD.md from its own manifest and evaluation.json (no retraining),
then refreshes the manifest's file table (the card's sha256 changes; nothing else does).

    python3 -m loupe_train.recard models/release/loupe-rb-1.1.0 [--known-limits FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .model_card import write_model_card
from .pipeline import read_limits
from .release import file_table


def recard(release: Path, known_limits: Path | None) -> None:
    manifest = json.loads((release / "manifest.json").read_text())
    evaluation = json.loads((release / "evaluation.json").read_text())
    heads = manifest["heads"]
    write_model_card(release / "MODEL_CARD.md", name=manifest["name"], version=manifest["version"],
                     trained_on=manifest["trainedOn"], metrics=manifest["metrics"],
                     temperatures={h: heads[h]["temperature"] for h in heads},
                     thresholds={h: heads[h]["abstainBelow"] for h in heads}, spec=manifest["input"],
                     evaluation=evaluation["int8"], extra_limits=read_limits(known_limits))
    manifest["files"] = file_table(release)
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("release", type=Path)
    p.add_argument("--known-limits", type=Path)
    args = p.parse_args(argv)
    recard(args.release, args.known_limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
