#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, in its own build folder (.build/asan) so the
# normal build is untouched. Extra arguments go to `swift test` (e.g. --filter NumpyFormatTests).
# Takes much longer than `swift test` (see docs/reliability.md for the last run's time), so CI does
# not run it.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
swift build --build-tests -j 1 --build-path .build/asan --sanitize=address
swift test --skip-build --build-path .build/asan --sanitize=address "$@"
