#!/usr/bin/env bash
# The packaging check (test_packaging): builds the .deb with CPack from the build folder and puts it through
# what Debian and the desktops check, printing each tool's verdict:
#   lintian --fail-on error,warning, appstreamcli validate --pedantic --no-net, desktop-file-validate,
#   apt-get install --simulate from Debian's archive alone (an empty dpkg status: a bare system), then from a
#   `dpkg-deb -x` tree: every binary's --version and a screenshot of the demo window under Xvfb.
# Usage: check-deb.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
verdict() { # verdict NAME STATUS DETAIL
  printf '== %-22s %s%s\n' "$1" "$2" "${3:+ ($3)}"
  [ "$2" = PASS ] || failed+=("$1")
}
for tool in cpack lintian appstreamcli desktop-file-validate dpkg-deb apt-get xvfb-run python3 man; do
  command -v "$tool" >/dev/null || { echo "packaging check: $tool is missing (bash scripts/setup.sh installs it)"; exit 1; }
done

# The package, from what the build folder holds (test.sh builds everything first).
rm -rf "$build/packages"
if ! (cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; verdict cpack FAIL; exit 1
fi
deb=$(ls "$build"/packages/chronoscope_*.deb)
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)
[ "$(basename "$deb")" = "chronoscope_${version}_${arch}.deb" ] && verdict cpack PASS "$(basename "$deb")" ||
  verdict cpack FAIL "not the standard name: $(basename "$deb")"
dpkg-deb -I "$deb" control | sed 's/^/   /'

# lintian: errors and warnings fail; info tags are printed for the record.
lintian --display-info --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1
status=$?
grep -v 'running with root privileges' "$work/lintian.log" | sed 's/^/   /'
[ $status -eq 0 ] && verdict lintian PASS "$(grep -c '^[EW]:' "$work/lintian.log") errors and warnings, $(grep -c '^I:' "$work/lintian.log") info" ||
  verdict lintian FAIL

root=$work/root
dpkg-deb -x "$deb" "$root"

metainfo=$(ls "$root"/usr/share/metainfo/*.metainfo.xml)
appstreamcli validate --pedantic --no-net "$metainfo" >"$work/appstream.log" 2>&1
status=$?
sed 's/^/   /' "$work/appstream.log"
[ $status -eq 0 ] && verdict appstreamcli PASS "$(tail -n 1 "$work/appstream.log")" || verdict appstreamcli FAIL

desktop=$(ls "$root"/usr/share/applications/*.desktop)
if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then
  verdict desktop-file-validate PASS "$(basename "$desktop"): no remarks"
else
  echo "$out" | sed 's/^/   /'; verdict desktop-file-validate FAIL
fi

# The metadata agrees with itself: one id, the package's version as the newest release and changelog entry,
# the README's screenshots, an icon under the desktop entry's name, a man page per binary.
id=$(basename "$desktop" .desktop)
problems=()
grep -q "<id>$id</id>" "$metainfo" || problems+=("metainfo id is not $id")
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || problems+=("no launchable $id.desktop")
release=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2)
[ "$release" = "$version" ] || problems+=("newest AppStream release $release, package $version")
entry=$(zcat "$root/usr/share/doc/chronoscope/changelog.gz" | head -n 1)
[[ "$entry" == "chronoscope ($version) "* ]] || problems+=("newest changelog entry: $entry")
for shot in $(grep -o '<image>[^<]*</image>' "$metainfo" | sed 's/<[^>]*>//g'); do
  [ -f "$src/docs/screenshots/$(basename "$shot")" ] || problems+=("screenshot not in docs/screenshots: $shot")
  grep -q "docs/screenshots/$(basename "$shot")" "$src/README.md" || problems+=("screenshot not in the README: $shot")
done
grep -q "^Icon=$id$" "$desktop" || problems+=("Icon= is not $id")
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$id.svg" ] || problems+=("no scalable icon $id.svg")
for size in 16 32 48 64 128 256; do
  [ -f "$root/usr/share/icons/hicolor/${size}x${size}/apps/$id.png" ] || problems+=("no ${size}x${size} icon")
done
binaries=$(ls "$root/usr/bin")
for binary in $binaries; do
  page="$root/usr/share/man/man1/$binary.1.gz"
  if [ ! -f "$page" ]; then problems+=("no man page for $binary"); continue; fi
  # Its help, and with commands (chronoscope-cli) each command's: every option they name is in the page.
  help=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/$binary" --help 2>/dev/null)
  for command in $(echo "$help" | sed -n '/^Commands:/,/^$/p' | grep -o '^  [a-z][a-z-]*'); do
    help+=$'\n'$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/$binary" help "$command" 2>/dev/null)
  done
  text=$(zcat "$page" | sed 's/\\-/-/g')
  for option in $(echo "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -F -e "$option" <<<"$text" || problems+=("$binary(1) lacks $option")
  done
done
if [ ${#problems[@]} -eq 0 ]; then
  verdict metadata PASS "id $id, version $version, man pages for: $(echo $binaries)"
else
  printf '   %s\n' "${problems[@]}"; verdict metadata FAIL
fi

# Dependencies resolve from Debian's archive alone, on a system with nothing installed.
mkdir -p "$work/apt/sources.list.d"
grep -l -E 'deb\.debian\.org|security\.debian\.org' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list 2>/dev/null | while read -r f; do cp "$f" "$work/apt/sources.list.d/"; done
: >"$work/apt/status"
apt-get install --simulate -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$work/apt/sources.list.d" \
  -o Dir::State::status="$work/apt/status" "$deb" >"$work/apt.log" 2>&1
status=$?
installs=$(grep -c '^Inst ' "$work/apt.log")
foreign=$(grep '^Inst ' "$work/apt.log" | grep -v '^Inst chronoscope ' | grep -v -E '\((\S+) (Debian|Debian-Security):' || true)
if [ $status -eq 0 ] && [ -z "$foreign" ] && grep -q '^Inst chronoscope ' "$work/apt.log"; then
  verdict apt-simulate PASS "$installs packages on a bare system, all from Debian"
else
  tail -n 20 "$work/apt.log" | sed 's/^/   /'; echo "$foreign" | sed 's/^/   /'; verdict apt-simulate FAIL
fi

# From the extracted tree: each binary answers --version, and the window paints the demo.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
versions=()
for binary in $binaries; do
  if out=$(QT_QPA_PLATFORM=offscreen timeout 20 "$root/usr/bin/$binary" --version 2>&1) && [[ "$out" == *"$version"* ]]; then
    versions+=("$out")
  else
    versions+=("$binary --version: '$out'"); failed+=("version:$binary")
  fi
done
verdict versions "$([[ " ${failed[*]} " == *" version:"* ]] && echo FAIL || echo PASS)" "$(IFS=';'; echo "${versions[*]}")"

shot=$work/window.png
QT_QPA_PLATFORM=xcb timeout 150 xvfb-run -a -s "-screen 0 1280x800x24" "$root/usr/bin/chronoscope" --demo \
  --demo-events 20000 --theme light --size 1280x800 --screenshot "$shot" >"$work/app.log" 2>&1
status=$?
if [ $status -eq 0 ] && painted=$(python3 "$src/tests/packaging/png_painted.py" "$shot" 1280 800); then
  cp "$shot" "$build/packages/window-from-deb.png" # to look at
  verdict screenshot PASS "$painted, kept as packages/window-from-deb.png"
else
  tail -n 20 "$work/app.log" | sed 's/^/   /'; verdict screenshot FAIL "exit $status ${painted:-}"
fi

if [ ${#failed[@]} -eq 0 ]; then
  echo "packaging check: PASS ($(basename "$deb"))"
else
  echo "packaging check: FAIL (${failed[*]})"
  exit 1
fi
