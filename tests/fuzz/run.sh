#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and runs each for a
# bounded time; CTest's `fuzz_smoke` test calls it, so the README's test command fuzzes every
# parser. Usage: tests/fuzz/run.sh [seconds per target, default 60]. A crash fails the run and
# leaves its input in the working folder (crash-*); make it a regression test (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; tools/install-deps.sh installs clang and libclang-rt-14-dev" >&2
  exit 1
fi
cmake --preset fuzz -DARCHSIM_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz
