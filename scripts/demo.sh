#!/usr/bin/env bash
# Builds the app and starts it on the embedded demo: an in-process sandbox seeded with the demo history.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${CHRONOSCOPE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target chronoscope
exec "$build/app/chronoscope" --demo "$@"
