#!/usr/bin/env bash
# Formats every Swift file with the toolchain's swift-format and the repository's .swift-format;
# `scripts/format.sh --check` only reports what differs (CI runs it) and fails if anything does.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--check" ]; then
  out="$(swift format lint --recursive Sources Tests Package.swift 2>&1)"
  if [ -n "$out" ]; then echo "$out" >&2; echo "format: run scripts/format.sh" >&2; exit 1; fi
  echo "format: every Swift file is formatted" >&2
else
  swift format --in-place --recursive Sources Tests Package.swift
fi
