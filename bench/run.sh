#!/usr/bin/env bash
# bench/run.sh quick|full — aza-pg's auto-config against PostgreSQL's stock settings, PGTune,
# timescaledb-tune and a grid around its own values (bench/configs.h), under real container
# memory and CPU limits, on five workloads: pgbench TPC-B and select-only, analytics queries,
# a B-tree build and an HNSW build (bench/sql/). Then bench/extras.sh (PgBouncer, WAL, audit
# cost, start-up) and bench/report.sh. Method and caveats: docs/benchmarks.md.
#   quick: 2 GiB / 2 CPUs, 2 rounds, pgbench 6 s, the four tuners, no grid, 4M rows and 60k
#          vectors (~15 minutes)
#   full:  1, 2, 4, 8 GiB x 2 and 1 CPUs, 5 rounds, pgbench 15 s, every grid point, 10M rows
#          and 100k vectors (hours)
# Partial runs: BENCH_MEMS="1g 2g" BENCH_CPUS="1" BENCH_ROUNDS=3 BENCH_CONFIGS="defaults aza"
# BENCH_WORKLOADS="btree hnsw" BENCH_EXTRAS=0. Raw results: bench/results/<UTC stamp>-<mode>/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
mode=${1:-quick}
# caps: statement_timeout in seconds for the groupby, analytics and index workloads; a run
# that reaches its cap is recorded at the cap and marked censored (a lower bound, shown as ≥).
case $mode in
  quick) mems=(2g); cpu_list=(2); rounds=2; secs=6; warm=2; caps=(10 30 40); rows=4000000
         vectors=60000; only=(defaults aza pgtune tstune) ;;
  full)  mems=(1g 2g 4g 8g); cpu_list=(2 1); rounds=5; secs=15; warm=3; caps=(30 240 120)
         rows=10000000; vectors=100000; only=() ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
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
cleanup() {
  docker rm -f -v "$srv" >/dev/null 2>&1 || true
  for v in "${volumes[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

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

# The server's arguments (after the entrypoint), one a line. "stock" is initdb's
# postgresql.conf plus only the feature lines of aza-pg's base configuration (extensions,
# pgAudit, pg_cron), so that tuning is all that differs from the others.
server_args() {  # name base mem cpus
  echo postgres
  if [ "$2" = stock ]; then
    grep -E '^(shared_preload_libraries|pgaudit\.|cron\.)' docker/postgres/configs/postgresql-base.conf |
      sed -E "s/[[:space:]]*#.*//; s/[[:space:]]*=[[:space:]]*/=/; s/'//g" | while IFS= read -r f; do echo -c; echo "$f"; done
  else
    echo -c; echo config_file=/etc/postgresql/postgresql.conf
  fi
  "$BENCH_BIN/bench_config" flags "$1" "$3" "$4" | while IFS= read -r f; do echo -c; echo "$f"; done
}

start_server() {  # name base mem cpus volume
  local args
  mapfile -t args < <(server_args "$1" "$2" "$3" "$4")
  docker rm -f -v "$srv" >/dev/null 2>&1 || true
  drop_caches
  docker run -d --name "$srv" --memory "$3" --cpus "$4" --shm-size 1g -v "$5:/var/lib/postgresql" \
    -e POSTGRES_PASSWORD="$BENCH_PW" -e POSTGRES_SKIP_AUTOCONFIG="$([ "$2" = aza ] && echo false || echo true)" \
    "$BENCH_IMAGE" "${args[@]}" >/dev/null
  wait_healthy "$srv"
}

# One data volume per memory point, shared by every configuration: pgbench's tables at about
# half the memory limit (16 MB per scale unit) and the analytics/maintenance data. Quick mode's
# 60k vectors still make an HNSW graph (about 75 MB) larger than the stock 64MB.
init_data() {  # mem volume
  local scale=$(( ${1%g} * 1024 / 2 / 16 ))
  docker volume rm -f "$2" >/dev/null 2>&1 || true
  volumes+=("$2")
  start_server aza aza "$1" 2 "$2"
  sql "$srv" "CREATE DATABASE bench" postgres
  client "$srv" pgbench -i -q -s "$scale" bench >/dev/null 2>&1
  client "$srv" psql -d bench -Xq -v facts_rows="$rows" -v vectors="$vectors" -f /bench/setup.sql >/dev/null
  # One untimed pass of every workload: the first server on fresh data pays a first-touch cost
  # (measured at 2 GiB: the configuration run first after loading was 15-35% slower on every
  # workload than in its later rounds), which would otherwise land on one configuration.
  local w
  for w in $("$BENCH_BIN/bench_config" list "$1" 2 | awk 'NR == 1 {gsub(",", " ", $4); print $4}'); do
    run_workload "$srv" "$w" >/dev/null || true
  done
  docker stop -t 120 "$srv" >/dev/null
  echo "bench: $1 data ready in $2 (pgbench scale $scale, $rows facts rows, $vectors vectors, one untimed pass)"
}

prewarm() {  # server relation...
  local list
  list=$(printf "'%s'," "${@:2}")
  sql "$1" "SELECT sum(pg_prewarm(r::regclass, 'read')) FROM unnest(ARRAY[${list%,}]) AS r" >/dev/null
}

unit_of() { case $1 in tpcb|select) echo tps ;; *) echo s ;; esac; }

# Runs bench/sql/FILE.sql under a statement_timeout of CAP seconds; prints the seconds psql
# timed, "SECONDS censored" when a statement reached the cap (psql times the cancelled
# statement too, so the sum already holds the cap), nothing when it failed otherwise.
timed_sql() {  # server file cap
  local out secs
  out=$(PGOPTIONS="-c statement_timeout=${3}s" client "$1" psql -d bench -Xq -f "/bench/$2.sql" 2>&1 || true)
  secs=$(psql_seconds <<<"$out")
  if grep -q "canceling statement due to statement timeout" <<<"$out"; then
    echo "${secs:-$3} censored"
  elif [ -n "$secs" ] && ! grep -q ERROR <<<"$out"; then
    echo "$secs"
  fi
}

# Runs one workload after warming its data; prints tps or seconds (then "censored" when
# capped), nothing when it failed.
run_workload() {  # server workload
  local flag=()
  case $2 in
    tpcb|select)
      [ "$2" = select ] && flag=(-S)
      prewarm "$1" pgbench_accounts pgbench_accounts_pkey pgbench_branches pgbench_tellers
      client "$1" pgbench "${flag[@]}" -c 8 -j 2 -T "$warm" bench >/dev/null 2>&1 || true
      client "$1" pgbench "${flag[@]}" -c 8 -j 2 -T "$secs" bench 2>&1 | pgbench_tps ;;
    groupby) prewarm "$1" facts; timed_sql "$1" groupby "${caps[0]}" ;;
    analytics) prewarm "$1" facts customers; timed_sql "$1" analytics "${caps[1]}" ;;
    btree) prewarm "$1" facts; timed_sql "$1" btree "${caps[1]}" ;;
    hnsw) prewarm "$1" items; timed_sql "$1" hnsw "${caps[2]}" ;;
  esac
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
  init_data "$mem" "$vol"
  for cpus in "${cpu_list[@]}"; do
    mapfile -t cell < <(configs_of "$mem" "$cpus")
    for round in $(seq 1 "$rounds"); do
      for i in "${!cell[@]}"; do
        read -r name base kind workloads <<<"${cell[$(( (i + round) % ${#cell[@]} ))]}"
        healthy=true
        start_server "$name" "$base" "$mem" "$cpus" "$vol" || healthy=false
        settings=$($healthy && settings_json || echo '{}')
        cg=$($healthy && host_cgroup "$srv" || echo /nonexistent)
        for w in ${workloads//,/ }; do
          ooms_before=$(oom_kills "$cg"); peak_reset "$cg"
          unit=$(unit_of "$w") value="" censored=""
          if $healthy; then read -r value censored < <(run_workload "$srv" "$w" || true) || true; fi
          peak=$(peak_read "$cg"); ooms=$(( $(oom_kills "$cg") - ooms_before ))
          # shellcheck disable=SC2016  # a jq program, not shell
          record "$runs" --arg memory "$mem" --argjson cpus "$cpus" --arg config "$name" \
            --argjson grid "$([ "$kind" = grid ] && echo true || echo false)" --arg workload "$w" \
            --argjson round "$round" --arg unit "$unit" --arg value "${value:-0}" \
            --argjson settings "$settings" --arg peak "${peak:-0}" --argjson ooms "$ooms" \
            --argjson censored "$([ -n "$censored" ] && echo true || echo false)" \
            '{memory: $memory, cpus: $cpus, config: $config, grid: $grid, workload: $workload,
              round: $round, unit: $unit, value: ($value | tonumber), ok: (($value | tonumber) > 0),
              censored: $censored, settings: $settings, memory_peak_bytes: ($peak | tonumber),
              oom_kills: $ooms}'
          progress "$mem/$cpus CPU round $round/$rounds $name $w: ${censored:+≥}${value:-FAILED} $unit, peak $(( ${peak:-0} / 1048576 )) MiB, OOM kills $ooms"
          # A server that died (an OOM kill of the postmaster) gets no further workloads.
          if $healthy && ! docker exec "$srv" aza-pg healthcheck >/dev/null 2>&1; then
            wait_healthy "$srv" || healthy=false
          fi
        done
        docker stop -t 120 "$srv" >/dev/null 2>&1 || true
      done
    done
  done
  docker rm -f -v "$srv" >/dev/null 2>&1 || true
  docker volume rm -f "$vol" >/dev/null
done

{ echo "machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, kernel $(uname -r), $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"')"
  echo "engine: $(docker version --format '{{.Server.Version}}' 2>/dev/null) ($(docker info --format '{{.CgroupVersion}}' 2>/dev/null || echo '?') cgroups)"
  echo "image: $BENCH_IMAGE $(docker image inspect -f '{{.Id}}' "$BENCH_IMAGE" | cut -c1-19)"
  echo "command: bench/run.sh $mode${BENCH_MEMS:+ BENCH_MEMS=\"$BENCH_MEMS\"}${BENCH_CPUS:+ BENCH_CPUS=\"$BENCH_CPUS\"}${BENCH_CONFIGS:+ BENCH_CONFIGS=\"$BENCH_CONFIGS\"}${BENCH_WORKLOADS:+ BENCH_WORKLOADS=\"$BENCH_WORKLOADS\"} (rounds $rounds, pgbench $secs s after $warm s warm-up, 8 clients; $rows facts rows, $vectors vectors; caps groupby ${caps[0]} s, analytics/btree ${caps[1]} s, hnsw ${caps[2]} s)"
  echo "started: $(date -u -d "@$started" +%FT%TZ), matrix took $(( ($(now) - started) / 60 )) min"; } >"$out/machine.txt"
[ "${BENCH_EXTRAS:-1}" = 0 ] || bench/extras.sh "$mode" "$out"
bench/report.sh "$out"
