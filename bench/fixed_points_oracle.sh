#!/usr/bin/env bash
# Our fixed points against FixedPointFinder's (PyTorch) on the same weights, inputs and starts, with
# both timings: bash bench/fixed_points_oracle.sh [FFF_DIR]
# FFF_DIR: a checkout of github.com/mattgolub/fixed-point-finder (cloned into a temporary directory
# when not given). Needs torch (pip install torch --index-url https://download.pytorch.org/whl/cpu).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fff=${1:-}
if [ -z "$fff" ]; then
  git clone -q --depth 1 https://github.com/mattgolub/fixed-point-finder "$work/fff"
  fff=$work/fff
fi
swift build -c release -j 1 --product psychrnn >/dev/null
swift build -c release -j 1 --product psychrnn-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
cp bench/fixed_points_oracle.rnn "$work/"
(cd "$work" && OPENBLAS_NUM_THREADS=1 "$bin/psychrnn" fixed_points_oracle.rnn >/dev/null)
for case in "zero 0,0" "both 0.6,0.6"; do
  set -- $case
  OPENBLAS_NUM_THREADS=1 "$bin/psychrnn-bench" --fixed-points "$work/pd32.npz" --inits "$work/inits_$1.npy" \
    --input "$2" --repeats 5 --out "$work/ours_$1.npz"
  OMP_NUM_THREADS=1 python3 bench/fixed_points_oracle.py "$fff" "$work/pd32.npz" "$work/inits_$1.npy" "$work/ours_$1.npz" --input "$2"
done
