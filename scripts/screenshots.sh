#!/usr/bin/env bash
# Retakes the screenshots in docs/screenshots: the demo's main screens at 1280×800 and 1920×1080,
# light and dark, each in a real window under Xvfb. Usage: bash scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
app="$build/app/chronoscope"
out=docs/screenshots
mkdir -p "$out"
[ -x "$app" ] || { echo "screenshots: build $app first" >&2; exit 1; }
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT

shoot() { # name size theme [app options…]
  local name=$1 size=$2 theme=$3; shift 3
  local w=${size%x*} h=${size#*x}
  # A fresh settings folder per shot: no layout or theme carried over from the last one.
  rm -rf "$config"/*
  XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$config/data" \
    xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$app" --demo --theme "$theme" --size "$size" \
      --screenshot "$out/$name-$size-$theme.png" "$@"
  echo "$out/$name-$size-$theme.png"
}

for size in 1280x800 1920x1080; do
  for theme in light dark; do
    shoot landing "$size" "$theme"                       # the incident: A and B on the two charges, the fold
    shoot diff "$size" "$theme" --pane diff              # A vs B
    shoot reducer "$size" "$theme" --pane reducer        # the demo's reducer file
    shoot throughput "$size" "$theme" --demo-no-landing --stream '$all' --timeline throughput # events/s by category
    shoot connect "$size" "$theme" --connect-dialog      # File ▸ Connect
    # Corrections (F9): the composer on the duplicate charge with the refund template, a syntax error
    # at its line, the dry run's diff, and a conflict (another client appended in between).
    shoot composer "$size" "$theme" --composer refund
    shoot composer-error "$size" "$theme" --composer invalid
    shoot composer-dry-run "$size" "$theme" --composer dry-run
    shoot composer-conflict "$size" "$theme" --composer conflict
  done
done
# The demo's read models falling behind (issue 14): sampled for 40 s once the demo has settled.
shoot lag 1280x800 light --demo-no-landing --pane lag --screenshot-wait 40000

# An archive of the demo's `$all` opened offline (issue 15): chronoscope-cli writes it from a sandbox,
# which is stopped before the window opens the file.
sandbox="$build/sandbox/chronoscope-sandbox" cli="$build/cli/chronoscope-cli"
if [ -x "$sandbox" ] && [ -x "$cli" ]; then
  work=$(mktemp -d)
  "$sandbox" --listen 127.0.0.1:0 --insecure --demo-events 20000 > "$work/sandbox.log" &
  pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/sandbox.log")
    [ -n "$port" ] && break
    sleep 0.2
  done
  "$cli" archive create --connect "esdb://127.0.0.1:$port?tls=false" --stream '$all' --output "$work/demo-all.chronarc"
  kill "$pid"; wait "$pid" || true
  rm -rf "$config"/*
  XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$config/data" \
    xvfb-run -a -s "-screen 0 1280x800x24" "$app" --theme light --size 1280x800 \
      --screenshot "$out/archive-offline.png" "$work/demo-all.chronarc"
  echo "$out/archive-offline.png"
  rm -rf "$work"
else
  echo "screenshots: archive-offline.png needs $sandbox and $cli (not built): kept as it was" >&2
fi
