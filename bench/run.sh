#!/usr/bin/env bash
# bench/run.sh quick|full — aza-pg's auto-config against PostgreSQL's stock settings, PGTune,
# timescaledb-tune and a grid around its own values (bench/configs.h), under real container
# memory and CPU limits, on five workloads: pgbench TPC-B and select-only, analytics queries,
# a B-tree build and an HNSW build (bench/sql/). Then bench/extras.sh (PgBouncer, WAL, audit
# cost, start-up) and bench/report.sh. Method and caveats: docs/benchmarks.md.
#   quick: 2 GiB / 2 CPUs, 2 rounds, pgbench 6 s, the four tuners, no grid, 4M rows and 60k
#          vectors (~11 minutes)
#   full:  1, 2, 4, 8 GiB x 2 and 1 CPUs, 5 rounds, pgbench 15 s, every grid point, 10M rows
#          and 100k vectors (hours)
# Partial runs: BENCH_MEMS="1g 2g" BENCH_CPUS="1" BENCH_ROUNDS=3 BENCH_CONFIGS="defaults aza"
# BENCH_WORKLOADS="btree hnsw" BENCH_SECS=60 BENCH_EXTRAS=0. Raw results:
# bench/results/<UTC stamp>-<mode>/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
mode=${1:-quick}
case $mode in
  quick) mems=(2g); cpu_list=(2); rounds=2; only=(defaults aza pgtune tstune) ;;
  full)  mems=(1g 2g 4g 8g); cpu_list=(2 1); rounds=5; only=() ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
run_parameters "$mode"
[ -z "${BENCH_MEMS:-}" ] || read -ra mems <<<"$BENCH_MEMS"
[ -z "${BENCH_CPUS:-}" ] || read -ra cpu_list <<<"$BENCH_CPUS"
[ -z "${BENCH_CONFIGS:-}" ] || read -ra only <<<"$BENCH_CONFIGS"
read -ra only_workloads <<<"${BENCH_WORKLOADS:-}"
rounds=${BENCH_ROUNDS:-$rounds}
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode
mkdir -p "$out"
runs=$out/runs.jsonl
srv=bench-srv
volumes=()
trap remove_server EXIT

# The configurations of one cell, filtered by `only` and `only_workloads`: "NAME BASE KIND
# WORKLOADS" lines.
configs_of() {  # mem cpus
  local name base kind workloads w kept
  "$BENCH_BIN/bench_config" list "$1" "$2" | while read -r name base kind workloads; do
    if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
    kept=""
    for w in ${workloads//,/ }; do
      if [ ${#only_workloads[@]} -eq 0 ] || [[ " ${only_workloads[*]} " == *" $w "* ]]; then kept+="${kept:+,}$w"; fi
    done
    [ -z "$kept" ] || echo "$name $base $kind $kept"
  done
}

settings_json() {
  sql "$srv" "SELECT json_object_agg(name, current_setting(name)) FROM unnest(ARRAY['shared_buffers',
    'work_mem','maintenance_work_mem','max_wal_size','max_connections','effective_cache_size',
    'max_parallel_workers_per_gather']) AS name" postgres 2>/dev/null || echo '{}'
}

# Progress: runs planned, for the ETA.
total=0
for cpus in "${cpu_list[@]}"; do for mem in "${mems[@]}"; do
  n=$(configs_of "$mem" "$cpus" | awk '{n += split($4, w, ",")} END {print n + 0}')
  total=$(( total + n * rounds ))
done; done
done_runs=0 started=$(now)
progress() {
  done_runs=$(( done_runs + 1 ))
  local left=$(( ( $(now) - started ) * (total - done_runs) / done_runs ))
  echo "bench: [$done_runs/$total, ~$(( left / 60 )) min left] $*"
}

echo "bench: $mode -> $out ($total runs)"
for mem in "${mems[@]}"; do
  vol=bench-data-$mem
  init_data "$mem" "$vol" "$rows" "$vectors" \
    "$("$BENCH_BIN/bench_config" list "$mem" 2 | awk 'NR == 1 {gsub(",", " ", $4); print $4}')"
  for cpus in "${cpu_list[@]}"; do
    mapfile -t cell < <(configs_of "$mem" "$cpus")
    for round in $(seq 1 "$rounds"); do
      for i in "${!cell[@]}"; do
        read -r name base kind workloads <<<"${cell[$(( (i + round) % ${#cell[@]} ))]}"
        healthy=true
        start_config "$name" "$base" "$mem" "$cpus" "$vol" || healthy=false
        settings=$($healthy && settings_json || echo '{}')
        cg=$($healthy && host_cgroup "$srv" || echo /nonexistent)
        cpu_cg=$($healthy && host_cgroup "$srv" cpuacct || echo /nonexistent)
        for w in ${workloads//,/ }; do
          ooms_before=$(oom_kills "$cg"); peak_reset "$cg"
          unit=$(unit_of "$w") value="" censored="" before=$(counters "$cg" "$cpu_cg")
          if $healthy; then read -r value censored < <(run_workload "$srv" "$w" || true) || true; fi
          peak=$(peak_read "$cg"); ooms=$(( $(oom_kills "$cg") - ooms_before ))
          used=$(counters_json "$before" "$(counters "$cg" "$cpu_cg")")
          # shellcheck disable=SC2016  # a jq program, not shell
          record "$runs" --arg memory "$mem" --argjson cpus "$cpus" --arg config "$name" \
            --argjson grid "$([ "$kind" = grid ] && echo true || echo false)" --arg workload "$w" \
            --argjson round "$round" --arg unit "$unit" --arg value "${value:-0}" \
            --argjson settings "$settings" --arg peak "${peak:-0}" --argjson ooms "$ooms" \
            --argjson censored "$([ -n "$censored" ] && echo true || echo false)" --argjson used "$used" \
            '{memory: $memory, cpus: $cpus, config: $config, grid: $grid, workload: $workload,
              round: $round, unit: $unit, value: ($value | tonumber), ok: (($value | tonumber) > 0),
              censored: $censored, settings: $settings, memory_peak_bytes: ($peak | tonumber),
              oom_kills: $ooms} + $used'
          progress "$mem/$cpus CPU round $round/$rounds $name $w: ${censored:+≥}${value:-FAILED} $unit, peak $(( ${peak:-0} / 1048576 )) MiB, OOM kills $ooms, $(counters_text "$used")"
          # A server that died (an OOM kill of the postmaster) gets no further workloads.
          if $healthy && ! docker exec "$srv" aza-pg healthcheck >/dev/null 2>&1; then
            wait_healthy "$srv" || healthy=false
          fi
        done
        docker stop -t 120 "$srv" >/dev/null 2>&1 || true
      done
    done
  done
  remove_containers "$srv"
  docker volume rm -f "$vol" >/dev/null
done

{ echo "machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, kernel $(uname -r), $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"')"
  echo "engine: $(docker version --format '{{.Server.Version}}' 2>/dev/null) ($(docker info --format '{{.CgroupVersion}}' 2>/dev/null || echo '?') cgroups)"
  echo "image: $BENCH_IMAGE $(docker image inspect -f '{{.Id}}' "$BENCH_IMAGE" | cut -c1-19)"
  echo "command: bench/run.sh $mode${BENCH_MEMS:+ BENCH_MEMS=\"$BENCH_MEMS\"}${BENCH_CPUS:+ BENCH_CPUS=\"$BENCH_CPUS\"}${BENCH_CONFIGS:+ BENCH_CONFIGS=\"$BENCH_CONFIGS\"}${BENCH_WORKLOADS:+ BENCH_WORKLOADS=\"$BENCH_WORKLOADS\"} (rounds $rounds, pgbench $secs s after $warm s warm-up, 8 clients; $rows facts rows, $vectors vectors; caps groupby ${caps[0]} s, analytics/btree ${caps[1]} s, hnsw ${caps[2]} s)"
  echo "cells:$(for m in "${mems[@]}"; do for c in "${cpu_list[@]}"; do printf ' %s/%s' "$m" "$c"; done; done)"
  echo "started: $(date -u -d "@$started" +%FT%TZ), matrix took $(( ($(now) - started) / 60 )) min"; } >"$out/machine.txt"
[ "${BENCH_EXTRAS:-1}" = 0 ] || bench/extras.sh "$mode" "$out"
bench/report.sh "$out"
