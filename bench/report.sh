#!/usr/bin/env bash
# bench/report.sh RESULTS_DIR... — bench/REPORT.md and bench/report-ratios.png from the raw
# results of bench/run.sh. The raw files (several directories are merged: runs and extras
# appended, machine notes kept, the last start-up figures) are copied to bench/report-data/,
# which is committed, so `bench/report.sh bench/report-data` regenerates the same report.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/report.sh RESULTS_DIR..." >&2; exit 2; }
for dir in "$@"; do
  [ -f "$dir/runs.jsonl" ] || { echo "report: $dir/runs.jsonl not found" >&2; exit 2; }
done
command -v gnuplot >/dev/null || {
  echo "report: installing gnuplot (apt)" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
}
[ -x build/ci/bench/bench_report ] || cmake --build build/ci --target bench_report >/dev/null
data=bench/report-data
if [ $# -gt 1 ] || [ "$(realpath "$1")" != "$(realpath -m "$data")" ]; then
  merged=$(mktemp -d)
  for dir in "$@"; do
    cat "$dir/runs.jsonl" >>"$merged/runs.jsonl"
    [ ! -f "$dir/extras.jsonl" ] || cat "$dir/extras.jsonl" >>"$merged/extras.jsonl"
    [ ! -f "$dir/machine.txt" ] || cat "$dir/machine.txt" >>"$merged/machine.txt"
    [ ! -f "$dir/startup.txt" ] || cp "$dir/startup.txt" "$merged/startup.txt"
  done
  rm -rf "$data" && mkdir -p "$data" && cp "$merged"/* "$data"/ && rm -rf "$merged"
fi
build/ci/bench/bench_report "$data" >bench/REPORT.md
gnuplot -e "dir='$data'" bench/plots.gp
rm -f "$data"/ratios-*.dat
echo "report: bench/REPORT.md, bench/report-ratios.png (from $data)"
