#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Sources: FuzzNumpy for the .npy/.npz/pickle readers,
# FuzzParser for the .rnn lexer and parser) with -sanitize=fuzzer,address, and runs each for a
# bounded time from a copy of its seed corpus (Fuzz/corpus/npy, Fuzz/corpus/rnn). Fails on any
# crash, trap, leak or AddressSanitizer report; the reproducer is left in .build/fuzz/artifacts.
#
#   scripts/fuzz.sh            60 s per target
#   FUZZ_SECONDS=600 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
build=.build/fuzz
export PSYCHRNN_FUZZ=1
for target in FuzzNumpy FuzzParser; do
  swift build -c release -j 1 --build-path "$build" --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
done
bin="$(swift build -c release --build-path "$build" --show-bin-path)"
mkdir -p "$build/artifacts"
status=0
run() {
  local target="$1" seeds="$2" work="$build/corpus-$1"
  rm -rf "$work"; mkdir -p "$work"; cp "$seeds"/* "$work"/
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "$bin/$target" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 2>&1 \
      | tee "$build/$target.log" | grep -E "^#[0-9]+ +(DONE|INITED)|ERROR|stat::number_of_executed_units|cov:.*exec/s" | tail -4; then
    :
  fi
  if grep -qE "ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY: |Fatal error|deadly signal" "$build/$target.log"; then
    echo "fuzz: $target FAILED; see $build/$target.log and $build/artifacts" >&2
    status=1
  fi
}
run FuzzNumpy Fuzz/corpus/npy
run FuzzParser Fuzz/corpus/rnn
exit $status
