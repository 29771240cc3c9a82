#!/usr/bin/env bash
# Builds the Debian package, build/packages/chronoscope_<version>_<arch>.deb: only what it holds is built.
# Install it with `sudo apt install ./build/packages/chronoscope_*.deb`; tests/packaging/check-deb.sh checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/configure.sh # sets $build
cmake --build "$build" --parallel "$(nproc)" --target chronoscope_package_inputs
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB)
ls "$build"/packages/*.deb
