#!/usr/bin/env bash
# The fuzz campaign: builds every fuzz target with libFuzzer, ASan and UBSan (the `fuzz` preset, in
# build-fuzz), runs each for a fixed budget, and prints per target the executions, coverage (edges and
# features) and crashes found. Findings land in build-fuzz/artifacts/<target>/; fix each and copy it into
# tests/fuzz/corpus/<target>/ under a telling name (the corpora replay in ctest on every run).
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--jobs N] [target…]
#     --seconds  time budget per target (default 600)
#     --runs     execution budget per target (default 10000000); whichever ends first
#     --jobs     build parallelism (default: the number of cores)
#   CHRONOSCOPE_FUZZ_NICE=0 runs without nice.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
runs=10000000
jobs=$(nproc)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 1 ;;
    *) targets+=("$1"); shift ;;
  esac
done

# clang and its sanitizer runtime are not part of the everyday build (scripts/setup.sh).
missing=()
for p in clang libclang-rt-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz.sh: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^chronoscope_fuzz_target(\([a-z_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
fi
nice=(nice); [ "${CHRONOSCOPE_FUZZ_NICE:-1}" = 0 ] && nice=()

cmake --preset fuzz >/dev/null
"${nice[@]}" cmake --build --preset fuzz --parallel "$jobs" --target "${targets[@]}"

printf '%-26s %12s %10s %10s %8s %8s\n' target executions edges features crashes seconds
for t in "${targets[@]}"; do
  work=build-fuzz/corpus-work/$t
  artifacts=build-fuzz/artifacts/$t
  mkdir -p "$work" "$artifacts"
  log=build-fuzz/$t.log
  start=$(date +%s)
  # -fork keeps going after a crash, so one finding does not end the target's budget.
  "${nice[@]}" build-fuzz/tests/fuzz/"$t" "$work" "tests/fuzz/corpus/$t" -fork=1 -ignore_crashes=1 \
    -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || true
  took=$(( $(date +%s) - start ))
  # Fork mode prints "#N: cov: C ft: F …" per job; the last line holds the totals.
  # (grep finding nothing is not an error here: a target that crashed at once prints no stats)
  execs=$( (grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
  [ "$execs" = 0 ] && execs=$( (grep -oE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')
  cov=$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | awk '{print $2}')
  ft=$( (grep -oE 'ft: [0-9]+' "$log" || true) | tail -1 | awk '{print $2}')
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-26s %12s %10s %10s %8s %8s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$took"
done
