#!/usr/bin/env bash
# Builds everything and runs the whole test suite (core, sandbox, conformance, views, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/configure.sh # sets $build
cmake --build "$build" --parallel "$(nproc)"
cd "$build"
# The soak label is the 30-minute run (tests/soak); its 60-second form, test_soak, runs here.
ctest --output-on-failure --timeout 600 --parallel 2 --label-exclude soak
