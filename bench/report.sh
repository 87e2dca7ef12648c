#!/usr/bin/env bash
# bench/report.sh RESULTS_DIR... — bench/REPORT.md and bench/report-ratios.png from the raw
# results of bench/run.sh. The raw files are copied to bench/report-data/, which is committed,
# so `bench/report.sh bench/report-data` regenerates the same report. Several directories are
# merged in order: a cell (memory / CPUs) that a later directory holds replaces that cell's
# runs in the earlier ones, so `bench/report.sh bench/report-data NEW` re-measures a cell
# rather than mixing rounds of two machines; a machine note ("cells:" line) goes when later
# notes name every cell it names. Extras and start-up figures come from the last directory that
# has them, whole, for the same reason.
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
# Prints the machine notes (blocks that start with "machine:") of stdin, less those whose every
# cell (its "cells:" line, "4g/2 8g/1") a later note names too: those runs were replaced. A note
# without a "cells:" line is kept.
machine_notes_kept() {
  awk '
    /^machine:/ { n++ }
    { text[n] = text[n] $0 "\n" }
    /^cells:/ { for (i = 2; i <= NF; i++) { cell[n, i - 1] = $i; last[$i] = n } ncells[n] = NF - 1 }
    END {
      for (b = 0; b <= n; b++) {
        gone = ncells[b] > 0
        for (i = 1; i <= ncells[b]; i++) if (last[cell[b, i]] == b) gone = 0
        if (!gone) printf "%s", text[b]
      }
    }'
}
[ -x build/ci/bench/bench_report ] || cmake --build build/ci --target bench_report >/dev/null
data=bench/report-data
if [ $# -gt 1 ] || [ "$(realpath "$1")" != "$(realpath -m "$data")" ]; then
  merged=$(mktemp -d) dirs=("$@") cells=()
  for dir in "${dirs[@]}"; do cells+=("$(jq -r '"\(.memory)/\(.cpus)"' "$dir/runs.jsonl" | sort -u | tr '\n' ' ')"); done
  for i in "${!dirs[@]}"; do
    dir=${dirs[$i]} later=" ${cells[*]:i+1} "  # the cells a later directory replaces
    jq -c --arg r "$later" 'select(" \(.memory)/\(.cpus) " as $c | $r | contains($c) | not)' \
      "$dir/runs.jsonl" >>"$merged/runs.jsonl"
    [ ! -f "$dir/machine.txt" ] || cat "$dir/machine.txt" >>"$merged/machine.txt"
    for f in extras.jsonl startup.txt; do [ ! -f "$dir/$f" ] || cp "$dir/$f" "$merged/$f"; done
  done
  if [ -f "$merged/machine.txt" ]; then
    machine_notes_kept <"$merged/machine.txt" >"$merged/notes" && mv "$merged/notes" "$merged/machine.txt"
  fi
  rm -rf "$data" && mkdir -p "$data" && cp "$merged"/* "$data"/ && rm -rf "$merged"
fi
build/ci/bench/bench_report "$data" >bench/REPORT.md
gnuplot -e "dir='$data'" bench/plots.gp
rm -f "$data"/ratios-*.dat
echo "report: bench/REPORT.md, bench/report-ratios.png (from $data)"
