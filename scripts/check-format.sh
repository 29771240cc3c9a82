#!/usr/bin/env bash
# Checks that C++ changes follow .clang-format, without asking anyone to reformat code they did not touch.
#
#   scripts/check-format.sh                 the lines changed since the base (working tree included)
#   scripts/check-format.sh --base REF      the same, against REF
#   scripts/check-format.sh FILE...         these files, whole
#   scripts/check-format.sh --fix [...]     formats what it would flag instead of reporting it
#
# The base is `git merge-base HEAD origin/main`, else `git merge-base HEAD main` (when HEAD is not main
# itself), else HEAD's first parent. Prints each offending file with the change clang-format wants and
# exits 1; exits 0 when everything is formatted; exits 77 when it cannot check (no clang-format, not a git
# checkout), the code ctest's test_format treats as skipped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

base="" fix=0 files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:?--base needs a ref}; shift 2 ;;
    --fix) fix=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; files+=("$@"); break ;;
    -*) echo "check-format: unknown option $1" >&2; exit 2 ;;
    *) files+=("$(realpath -m --relative-to="$repo" "$1")"); shift ;;
  esac
done
cd "$repo"

# The version .clang-format was tuned with first: other versions format a few constructs differently.
clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
  for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null; then clang_format=$candidate; break; fi
  done
fi
if [ -z "$clang_format" ] || ! command -v "$clang_format" >/dev/null; then
  echo "check-format: clang-format is not installed (scripts/setup.sh installs it); not checked"
  exit 77
fi

# tests/layering/bad/ is a fixture whose includes are wrong on purpose, at the lines its test expects.
is_cpp() {
  case "$1" in tests/layering/bad/*) return 1 ;; esac
  case "$1" in *.cpp|*.h|*.hpp|*.cc|*.c) return 0 ;; *) return 1 ;; esac
}
bad=0
report() { # file, then clang-format's line options
  local file=$1; shift
  if [ "$fix" -eq 1 ]; then
    "$clang_format" -i "$@" "$file"
    echo "formatted: $file"
  elif ! "$clang_format" --dry-run --Werror "$@" "$file" >/dev/null 2>&1; then
    echo "needs formatting: $file"
    "$clang_format" "$@" "$file" | diff -u --label "$file" --label "$file (formatted)" "$file" - | sed 's/^/    /' || true
    bad=1
  fi
}

if [ ${#files[@]} -gt 0 ] && [ -z "$base" ]; then
  for f in "${files[@]}"; do
    [ -f "$f" ] || { echo "check-format: no such file: $f" >&2; exit 2; }
    report "$f"
  done
else
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check-format: not a git checkout, nothing to compare against; not checked"
    exit 77
  fi
  if [ -z "$base" ]; then
    head=$(git rev-parse HEAD)
    for ref in origin/main main; do
      if mb=$(git merge-base HEAD "$ref" 2>/dev/null) && [ "$mb" != "$head" ]; then base=$mb; break; fi
    done
    [ -n "$base" ] || base=$(git rev-parse --verify -q HEAD^ || true)
    [ -n "$base" ] || { echo "check-format: no base to compare against (a single commit?); not checked"; exit 77; }
  fi
  echo "check-format: $clang_format, lines changed since $(git rev-parse --short "$base")"
  # The changed line ranges of each file, from one diff of the whole tree (a diff limited to one path
  # would not see where a moved file came from, and would count all of it as new): "+++ b/path", then
  # "@@ -a,b +start,count @@" per hunk.
  declare -A ranges=()
  while read -r path start count; do
    if [ "$count" -gt 0 ]; then ranges[$path]+="--lines=$start:$((start + count - 1)) "; fi
  done < <(git diff -U0 -M --no-color --no-ext-diff "$base" -- \
             | awk '/^\+\+\+ / { path = substr($0, 7); next }
                    /^@@ / { split($3, r, ","); print path, substr(r[1], 2), (2 in r ? r[2] : 1) }')
  if [ ${#files[@]} -eq 0 ]; then
    mapfile -t files < <(printf '%s\n' "${!ranges[@]}" | sort)
  fi
  for f in "${files[@]}"; do
    if ! is_cpp "$f" || [ ! -f "$f" ] || [ -z "${ranges[$f]:-}" ]; then continue; fi
    read -ra lines <<<"${ranges[$f]}"
    report "$f" "${lines[@]}"
  done
fi

if [ "$bad" -ne 0 ]; then
  echo "check-format: the files above need formatting (scripts/check-format.sh --fix formats those lines)"
  exit 1
fi
echo "check-format: ok"
