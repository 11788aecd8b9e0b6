#!/usr/bin/env bash
# Times psychrnn-bench next to the PsychRNN (TensorFlow) and JAX baselines in bench/baselines,
# in one run on this machine (absolute times drift on shared machines: compare within a run).
#
#   scripts/bench-compare.sh            our benchmark + both baselines (creates .venv-baselines once)
#   BASELINE_BATCHES=10 scripts/bench-compare.sh
#
# The baselines need a virtual environment with tensorflow-cpu, psychrnn, jax and jaxlib from PyPI;
# set BASELINE_VENV to reuse one elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${BASELINE_VENV:-.venv-baselines}"
batches="${BASELINE_BATCHES:-20}"
export OPENBLAS_NUM_THREADS=1

if [ ! -x "$venv/bin/python" ]; then
  echo "bench-compare: creating $venv (tensorflow-cpu, psychrnn, jax, jaxlib from PyPI)…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q tensorflow-cpu psychrnn jax jaxlib
fi

swift build -c release --product psychrnn-bench >&2
echo "== psychrnn-bench (Swift, OpenBLAS 1 thread; second core: next batch and weight gradients)"
.build/release/psychrnn-bench --configs pd50,pd256 --batches "$batches"
echo "== psychrnn-bench --one-core (Swift, OpenBLAS 1 thread, nothing on the second core)"
.build/release/psychrnn-bench --configs pd50,pd256 --batches "$batches" --one-core
for n in 50 256; do
  trials=$((batches * 128))
  echo "== PsychRNN (TensorFlow CPU), N_rec $n, $batches batches"
  "$venv/bin/python" bench/baselines/psychrnn_pd.py "$n" "$trials" basic 2>/dev/null | tail -1
  echo "== JAX (jit, CPU), N_rec $n, $batches batches"
  "$venv/bin/python" bench/baselines/jax_pd.py "$n" "$batches" 2>/dev/null | tail -1
done
