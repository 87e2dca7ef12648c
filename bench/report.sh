#!/usr/bin/env bash
# bench/report.sh RESULTS_DIR — bench/REPORT.md and bench/report-ratios.png from the raw
# results of bench/run.sh. The raw files are copied to bench/report-data/ (committed), so
# `bench/report.sh bench/report-data` regenerates the same report on any machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: bench/report.sh RESULTS_DIR}
[ -f "$dir/runs.jsonl" ] || { echo "report: $dir/runs.jsonl not found" >&2; exit 2; }
command -v gnuplot >/dev/null || {
  echo "report: installing gnuplot (apt)" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
}
[ -x build/ci/bench/bench_report ] || cmake --build build/ci --target bench_report >/dev/null
data=bench/report-data
if [ "$(realpath "$dir")" != "$(realpath -m "$data")" ]; then
  rm -rf "$data" && mkdir -p "$data"
  cp "$dir"/runs.jsonl "$data"/
  for f in extras.jsonl startup.txt machine.txt; do [ ! -f "$dir/$f" ] || cp "$dir/$f" "$data"/; done
fi
build/ci/bench/bench_report "$data" >bench/REPORT.md
gnuplot -e "dir='$data'" bench/plots.gp
rm -f "$data"/ratios-*.dat
echo "report: bench/REPORT.md, bench/report-ratios.png (from $data)"
