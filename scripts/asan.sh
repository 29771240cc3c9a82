#!/usr/bin/env bash
# Builds the engine and the sandbox with AddressSanitizer and UBSan (the `asan` preset, in build-asan) and
# runs the core and sandbox tests under them; any report fails its test. Extra arguments go to ctest
# (e.g. `-R test_fold`). CHRONOSCOPE_JOBS limits the build's parallelism (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset asan >/dev/null
cmake --build --preset asan --parallel "${CHRONOSCOPE_JOBS:-$(nproc)}"
ctest --preset asan -L 'core|sandbox' "$@"
