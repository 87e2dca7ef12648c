#!/usr/bin/env bash
# bench/sweep.sh WORKLOAD VARIANT... — one workload under several settings, in interleaved
# rounds, to find which setting makes a difference. A VARIANT is a base, "stock" (PostgreSQL's
# settings) or a configuration of `bench_config list` ("aza", "pgtune", "tstune", a grid point),
# and settings on top of it:
#   bench/sweep.sh btree stock aza "aza maintenance_work_mem=64MB" "tstune shared_buffers=1GB"
# A setting with an upper-case name is the server container's environment instead:
#   bench/sweep.sh btree aza "aza POSTGRES_MEMORY=1GB"
# BENCH_MEM (2g), BENCH_CPU (2), BENCH_ROUNDS (5), BENCH_SECS (pgbench seconds, 15). Data and
# caps as in `bench/run.sh full`. BENCH_INTERVAL=N (pgbench workloads): also the tps of each
# N-second interval of a run, to see how long a configuration takes to reach its steady state.
# BENCH_KEEP_LOGS=1: keep each run's server log (logs/ROUND-VARIANT.log), e.g. for trace_sort=on.
# BENCH_BEFORE="STEP...": untimed steps on the same server first, a workload or "checkpoint",
# as a cell runs its workloads in order: BENCH_BEFORE="tpcb" times select-only after TPC-B.
# Raw runs: bench/results/<UTC stamp>-sweep/sweep.jsonl; prints each variant's median, range,
# highest memory peak, and the median page faults, file refaults and CPU seconds (user and
# kernel mode) of the container's cgroup during the workload (all include the warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -ge 2 ] || { sed -n '2,16s/^# \{0,1\}//p' "$0" >&2; exit 2; }
workloads=" tpcb select select-skew groupby analytics btree hnsw "
workload=$1; shift
[[ $workloads == *" $workload "* ]] ||
  { echo "sweep: unknown workload '$workload' (one of:${workloads% })" >&2; exit 2; }
mem=${BENCH_MEM:-2g} cpus=${BENCH_CPU:-2} rounds=${BENCH_ROUNDS:-5} interval=${BENCH_INTERVAL:-}
read -ra steps <<<"${BENCH_BEFORE:-}"
for step in "${steps[@]}"; do
  [[ "${workloads}checkpoint " == *" $step "* ]] ||
    { echo "sweep: BENCH_BEFORE step '$step' must be a workload or checkpoint" >&2; exit 2; }
done
declare -A base_of=([stock]=stock)
while read -r name base _; do base_of[$name]=$base; done < <("$BENCH_BIN/bench_config" list "$mem" "$cpus")
for v in "$@"; do
  [ -n "${base_of[${v%% *}]:-}" ] ||
    { echo "sweep: variant '$v' must start with one of: ${!base_of[*]}" >&2; exit 2; }
done
run_parameters full
case $interval in
  '') ;;
  *[!0-9]*|0) echo "sweep: BENCH_INTERVAL '$interval' must be a whole number of seconds > 0" >&2; exit 2 ;;
  *) [ "$(unit_of "$workload")" = tps ] ||
       { echo "sweep: BENCH_INTERVAL applies to pgbench workloads (tpcb, select, select-skew), not '$workload'" >&2; exit 2; } ;;
esac
# shellcheck disable=SC2034  # read by bench/lib.sh
srv=bench-sweep volumes=()
vol=bench-sweep-data
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-sweep
mkdir -p "$out"
intervals_file=$out/intervals.tmp
trap remove_server EXIT

init_data "$mem" "$vol" "$rows" "$vectors" "$workload"
variants=("$@")
for round in $(seq 1 "$rounds"); do
  for i in "${!variants[@]}"; do
    variant=${variants[$(( (i + round) % ${#variants[@]} ))]}
    read -ra parts <<<"$variant"
    value="" censored="" peak=0 used='{}'
    : >"$intervals_file"
    config=${parts[0]}; [ "$config" != stock ] || config=defaults
    if start_config "$config" "${base_of[$config]}" "$mem" "$cpus" "$vol" "${parts[@]:1}"; then
      for step in "${steps[@]}"; do
        if [ "$step" = checkpoint ]; then sql "$srv" CHECKPOINT; else run_workload "$srv" "$step" >/dev/null || true; fi
      done
      cg=$(host_cgroup "$srv"); cpu_cg=$(host_cgroup "$srv" cpuacct); peak_reset "$cg"
      before=$(counters "$cg" "$cpu_cg")
      read -r value censored < <(run_workload "$srv" "$workload" || true) || true
      peak=$(peak_read "$cg")
      used=$(counters_json "$before" "$(counters "$cg" "$cpu_cg")")
      if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
        mkdir -p "$out/logs"
        docker logs "$srv" >"$out/logs/$round-${variant//[^A-Za-z0-9_.=-]/_}.log" 2>&1
      fi
    fi
    # shellcheck disable=SC2016  # a jq program, not shell
    record "$out/sweep.jsonl" --arg v "$variant" --arg w "$workload" --arg m "$mem" --argjson c "$cpus" \
      --argjson r "$round" --arg value "${value:-0}" --argjson censored "$([ -n "$censored" ] && echo true || echo false)" \
      --arg peak "$peak" --argjson s "$secs" --argjson used "$used" \
      --argjson iv "[$(cat "$intervals_file")]" --arg before "${BENCH_BEFORE:-}" \
      '{variant: $v, workload: $w, memory: $m, cpus: $c, round: $r, value: ($value | tonumber), censored: $censored,
        memory_peak_bytes: ($peak | tonumber), pgbench_seconds: $s, before: $before} + $used
       + if $iv == [] then {} else {interval_tps: $iv} end'
    echo "sweep: round $round/$rounds $variant: ${censored:+≥}${value:-FAILED} $(unit_of "$workload"), peak $(( peak / 1048576 )) MiB, $(counters_text "$used")"
    docker stop -t 120 "$srv" >/dev/null 2>&1 || true
  done
done

echo "sweep: $workload${BENCH_BEFORE:+ after $BENCH_BEFORE} at $mem / $cpus CPUs, $rounds rounds (pgbench $secs s), median (min-max) in $(unit_of "$workload"); ≥ marks a capped run; the highest memory peak of the container; median faults, refaults and CPU seconds in user and kernel mode ($out)"
# shellcheck disable=SC2016
jq -rs 'def r: . * 100 | round / 100; def med(f): map(f // 0) | sort | .[(length - 1) / 2 | floor];
  group_by(.variant)[] | (map(.value) | sort) as $v |
  "\(med(.value) | r) (\($v[0] | r)-\($v[-1] | r))\(if any(.[]; .censored) then " ≥" else "" end), peak \(map(.memory_peak_bytes // 0) | max / 1048576 | floor) MiB, median \(med(.page_faults)) page faults, \(med(.file_refaults)) file refaults, CPU \(med(.cpu_user_seconds) | r) s user + \(med(.cpu_system_seconds) | r) s system  \(.[0].variant)"' \
  "$out/sweep.jsonl"
[ -z "$interval" ] || jq -rs --argjson n "$interval" 'def med: sort | .[(length - 1) / 2 | floor] | round;
  "sweep: median tps of each \($n)-second interval, over the rounds",
  (group_by(.variant)[] | [.[].interval_tps // []] as $runs |
    "\([range(0; $runs | map(length) | max) as $i | [$runs[][$i] // empty] | med] | join(" "))  \(.[0].variant)")' \
  "$out/sweep.jsonl"
rm -f "$intervals_file"
