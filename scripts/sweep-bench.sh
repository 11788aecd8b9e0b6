#!/usr/bin/env bash
# The sweep figures of docs/performance.md, with the release build:
#   1. speed-up of the local pool: 8 equal training runs with --jobs 2 against --jobs 1 (one after
#      the other, each run free to use the second core for prefetching as psychrnn does alone) and
#      against --jobs 1 under `taskset -c 0` (one after the other, each on one core, as the pool's
#      workers run), alternating, ROUNDS times; prints each round and the medians;
#   2. the tool's own cost per run: a 200-run sweep of a script that only reports (plan, 200 runs
#      each a fresh process, collect) on one worker, divided by 200; and one `psychrnn -e` start.
# Usage: scripts/sweep-bench.sh [ROUNDS [all|speedup|overhead]]
#   (ROUNDS default 3; run `swift build -c release --product psychrnn` first)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; part="${2:-all}"
tool="$(pwd)/.build/release/psychrnn"
[ -x "$tool" ] || { echo "build first: swift build -c release --product psychrnn" >&2; exit 1; }
work="$(mktemp -d -t psychrnn-sweep-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > equal.rnn <<'RNN'
seed s
task = PerceptualDiscrimination(dt: 10, tau: 100, T: 1000, N_batch: 64)
net = Basic(task, N_rec: 50)
r = train net task training_iters: 38400 verbosity: false
report loss: r.losses[-1]
RNN
printf 'report x: s\n' > trivial.rnn
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

if [ "$part" != overhead ]; then
echo "1. 8 equal runs (PerceptualDiscrimination T 1000, N_batch 64, N_rec 50, 38400 trials each)"
: > one.txt; : > two.txt; : > core.txt
for r in $(seq 1 "$rounds"); do
  for mode in one core two; do
    rm -rf "s-$mode"
    t0=$(now)
    case "$mode" in
      one) "$tool" sweep equal.rnn --grid s=1..8 --out s-one --jobs 1 >/dev/null ;;
      core) taskset -c 0 "$tool" sweep equal.rnn --grid s=1..8 --out s-core --jobs 1 >/dev/null ;;
      two) "$tool" sweep equal.rnn --grid s=1..8 --out s-two --jobs 2 >/dev/null ;;
    esac
    t1=$(now)
    echo "$t1 - $t0" | bc -l >> "$mode.txt"
  done
  printf '   round %d: one after the other %.2f s (each on one core %.2f s), two workers %.2f s\n' "$r" \
    "$(tail -1 one.txt)" "$(tail -1 core.txt)" "$(tail -1 two.txt)"
done
for m in one core two; do "$tool" sweep collect "s-$m" >/dev/null; cut -d, -f1-3 "s-$m/results.csv" > "$m.csv"; done
cmp one.csv two.csv && cmp core.csv two.csv && echo "   the three tables' losses are identical"
one=$(median < one.txt); core=$(median < core.txt); two=$(median < two.txt)
printf '   medians: %.2f s, %.2f s on one core, %.2f s with two workers: speed-up %.2f× (%.2f× against one core)\n' \
  "$one" "$core" "$two" "$(echo "$one / $two" | bc -l)" "$(echo "$core / $two" | bc -l)"

fi

[ "$part" != speedup ] || exit 0
echo "2. the tool's own cost per run (200 runs of 'report x: s', one worker)"
: > per.txt; : > start.txt
for r in $(seq 1 "$rounds"); do
  rm -rf t
  t0=$(now)
  "$tool" sweep trivial.rnn --grid s=1..200 --out t --jobs 1 >/dev/null
  "$tool" sweep collect t >/dev/null
  t1=$(now)
  echo "($t1 - $t0) * 1000 / 200" | bc -l >> per.txt
  t0=$(now); for i in $(seq 1 20); do "$tool" -e 'report x: 1' >/dev/null; done; t1=$(now)
  echo "($t1 - $t0) * 1000 / 20" | bc -l >> start.txt
  printf '   round %d: %.1f ms per run (plan + run + collect); psychrnn -e start and exit %.1f ms\n' "$r" "$(tail -1 per.txt)" "$(tail -1 start.txt)"
done
printf '   medians: %.1f ms per run, %.1f ms per start\n' "$(median < per.txt)" "$(median < start.txt)"
