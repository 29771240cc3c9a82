#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing (Debian bookworm, as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git python3
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev libgl-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libpqxx-dev libhiredis-dev libqcustomplot-dev libsimdjson-dev libmozjs-102-dev qtkeychain-qt6-dev libssl-dev openssl
  postgresql redis-server
  json-schema-test-suite
  xvfb xauth
  clang-format ccache
  # the .deb (packaging/): icons, man pages, and the tools test_packaging runs
  librsvg2-bin help2man dpkg-dev lintian appstream desktop-file-utils qt6-qpa-plugins
  qt6-base-private-dev  # the QPA API: test_theme_follows_system plays the system's theme with a plugin
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The official Node clients for the conformance suite, exactly as pinned by the lockfile.
conf=tests/conformance
if [ ! -f "$conf/node_modules/.package-lock.json" ] || ! cmp -s "$conf/package-lock.json" "$conf/.installed-lock" ; then
  echo "setup: npm ci in $conf"
  (cd "$conf" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$conf/package-lock.json" "$conf/.installed-lock"
fi
