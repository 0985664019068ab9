#!/usr/bin/env bash
# Builds a model release (npm run train). Training is a build step, never a test dependency.
# "full" is the recipe of loupe-rb 1.4.0 (NOTES.md §15-16): 1.1.0's network and loss, trained on 32,000 renders
# (train seeds 1 and 4, joined by loupe_train.join_sets) in bf16 mixed precision where the CPU has it
# (--autocast auto), for as many of 48 epochs as fit in 29 minutes (--schedule-budget-min), quantized with
# 2,048 calibration images, graded with 1.1.1's decision rule (within-one weight 1). On a CPU without native
# bf16 it trains in FP32 and fits fewer epochs (docs/model.md).
#
#   bash models/train/train.sh            # the release from the full render sets (train seed 1, val seed 2, test seed 3)
#   bash models/train/train.sh smoke      # a quick end-to-end release from models/datasets/dev-small, into models/train/out/smoke-release
#   bash models/train/train.sh real --train DIR --val DIR [--test DIR] --version X.Y.Z [--out DIR]
#                                         # real photographs + labels.csv (see docs/model.md)
# Any further arguments go to the trainer (python3 -m loupe_train.pipeline --help).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
PYTHON=${LOUPE_PYTHON:-/usr/bin/python3}
DATA="$here/../datasets"
RELEASES="$here/../release"
mode="${1:-full}"
[ $# -gt 0 ] && shift

need_set() {
  if [ ! -e "$DATA/READY-$1" ]; then
    echo "train.sh: data set $1 is not ready ($DATA/READY-$1 missing)." >&2
    echo "  render it with: node bin/loupe.js synth --count N --seed S --size 176 --out models/datasets/$1" >&2
    exit 2
  fi
}

case "$mode" in
  smoke)
    need_set dev-small
    rm -rf out/smoke
    "$PYTHON" -m loupe_train.split "$DATA/dev-small" out/smoke --fractions 0.7,0.15,0.15
    exec "$PYTHON" -m loupe_train.pipeline --train out/smoke/train --val out/smoke/val --test out/smoke/test \
      --out out/smoke-release/loupe-rb-0.0.1 --work out/smoke-work --version 0.0.1 --epochs 10 \
      --baseline-budget-s 60 --baseline-images 500 --baseline-eval-images 150 \
      --data-description "SMOKE RELEASE: dev-small (1000 renders) split 70/15/15; for integration tests only." "$@"
    ;;
  full)
    need_set train; need_set train-seed4; need_set val; need_set test
    "$PYTHON" -m loupe_train.join_sets "$DATA/train-joined" "$DATA/train" "$DATA/train-seed4"
    exec "$PYTHON" -m loupe_train.pipeline --train "$DATA/train-joined" --val "$DATA/val" --test "$DATA/test" \
      --out "$RELEASES/loupe-rb-1.4.0" --work out/full-work --version 1.4.0 --size 144 --epochs 48 --schedule-budget-min 29 \
      --autocast auto --calibration-images 2048 --views 4 --within-one-weight 1 \
      --baseline-budget-s 300 --baseline-images 2000 --baseline-eval-images 1000 \
      --known-limits known-limits-synthetic.md \
      --data-description "Renders from models/synth at 176 px: train seeds 1 and 4 (16,000 each), validation seed 2, test seed 3." "$@"
    ;;
  real)
    exec "$PYTHON" -m loupe_train.pipeline --trained-on real --work out/real-work "$@"
    ;;
  *)
    echo "usage: train.sh [full|smoke|real] [trainer options]" >&2
    exit 64
    ;;
esac
