#!/usr/bin/env bash
# Builds the app and starts it on the embedded demo: an in-process sandbox seeded with the demo history.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/configure.sh # sets $build
cmake --build "$build" --parallel "$(nproc)" --target chronoscope
exec "$build/app/chronoscope" --demo "$@"
