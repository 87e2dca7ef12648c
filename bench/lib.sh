#!/usr/bin/env bash
# shellcheck disable=SC2154  # srv and volumes: set by the sourcing script
# bench/lib.sh — helpers shared by bench/run.sh, bench/sweep.sh and bench/extras.sh: the
# server and client containers, the host's view of a container's memory cgroup, one JSON line
# per result, and the workloads. Sourced from the repository root.

BENCH_IMAGE=aza-pg/postgres:${AZA_IMAGE_TAG:-dev}
BENCH_PW=bench_$$
# shellcheck disable=SC2034  # used by the scripts that source this file
BENCH_BIN=build/ci/bench

# The host's page cache survives a container: a later container would read it without its
# memory limit counting it. Dropping it before each server start makes every configuration
# warm its cache inside its own limit, as a long-running server does.
drop_caches() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 >/proc/sys/vm/drop_caches
  else echo "bench: cannot drop the page cache (not root): cached data escapes the memory limit" >&2; fi
}

wait_healthy() {  # container
  for _ in $(seq 1 900); do
    docker exec "$1" aza-pg healthcheck >/dev/null 2>&1 && return 0
    [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ] || break
    sleep 0.2
  done
  echo "bench: $1 did not become healthy; its log:" >&2
  docker logs "$1" 2>&1 | tail -20 >&2
  return 1
}

# Clients (pgbench, psql) run by `docker exec` in a companion container, NAME-client, that
# idles in the network namespace NETWORK (default: the server NAME's), so they spend neither
# the server's CPU quota nor its memory limit. Not `docker run --rm` per call: podman 4.3's
# API service spins about one core for as long as a caller waits on a container (its
# Docker-compatible wait, which `docker run` uses), and on a 2-core machine that ran against
# every measurement (bench/client-cost.sh shows the cost); an exec costs nothing. No
# healthcheck either: the podman ticker (scripts/podman-health-ticker.sh) would exec one into
# the container every 2 s. start_client NAME [NETWORK]
start_client() {
  docker rm -f -v "$1-client" >/dev/null 2>&1 || true
  docker run -d --name "$1-client" --no-healthcheck --network "${2:-container:$1}" \
    -v "$PWD/bench/sql:/bench:ro" --entrypoint sleep "$BENCH_IMAGE" infinity >/dev/null
}
# client SERVER PROGRAM ARGS...: PROGRAM as postgres against SERVER, in SERVER's companion.
client() {
  docker exec -e PGPASSWORD="$BENCH_PW" -e PGOPTIONS="${PGOPTIONS:-}" "$1-client" \
    "$2" -h 127.0.0.1 -U postgres "${@:3}"
}
# Removes a server and its companion, one after the other: podman refuses to remove a server
# whose companion still shares its network, and the docker CLI removes a list concurrently.
remove_containers() {
  docker rm -f -v "$1-client" >/dev/null 2>&1 || true
  docker rm -f -v "$1" >/dev/null 2>&1 || true
}
sql() { client "$1" psql -d "${3:-bench}" -XtAq -v ON_ERROR_STOP=1 -c "$2"; }

# The host directory of a container's cgroup (v1: of the controller asked for; v2: the one
# directory), from its main process.
host_cgroup() {  # container [controller: memory (default) or cpuacct]
  local pid line c=${2:-memory}
  pid=$(docker inspect -f '{{.State.Pid}}' "$1")
  line=$(grep -E "^[0-9]+:([^:]*,)?$c(,[^:]*)?:" "/proc/$pid/cgroup" || true)
  if [ -n "$line" ]; then echo "/sys/fs/cgroup/$c${line#*:*:}"
  else echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"; fi
}
# Peak memory since the last reset (v1 can be reset; v2 memory.peak counts from the start).
peak_reset() { if [ -w "$1/memory.max_usage_in_bytes" ]; then echo 0 >"$1/memory.max_usage_in_bytes"; fi; }
peak_read() { cat "$1/memory.max_usage_in_bytes" 2>/dev/null || cat "$1/memory.peak" 2>/dev/null || echo 0; }
# The cgroup's cumulative page faults (minor and major) and file refaults (page cache read
# back soon after eviction: the cache is too small for the data), one line: "FAULTS REFAULTS".
# v1 names its hierarchical counters total_*, v2 has only those.
fault_counts() {
  awk '{sub(/^total_/, "", $1); v[$1] = $2} END {print v["pgfault"] + 0, v["workingset_refault_file"] + 0}' \
    "$1/memory.stat" 2>/dev/null || echo "0 0"
}
# The CPU seconds a cgroup (its cpuacct directory on v1, its directory on v2) has spent in user
# and in kernel mode, one line: "USER SYSTEM". Page faults and zeroing new pages are system time.
cpu_seconds() {
  if [ -r "$1/cpuacct.stat" ]; then
    awk -v hz="$(getconf CLK_TCK)" '{v[$1] = $2} END {printf "%.2f %.2f\n", v["user"] / hz, v["system"] / hz}' "$1/cpuacct.stat"
  else
    awk '{v[$1] = $2} END {printf "%.2f %.2f\n", v["user_usec"] / 1e6, v["system_usec"] / 1e6}' "$1/cpu.stat" 2>/dev/null || echo "0 0"
  fi
}
# What a run cost its container: counters MEMORY_CG CPU_CG before the run and again after it,
# then counters_json BEFORE AFTER gives the page faults, file refaults and CPU seconds in user
# and kernel mode between the two, as one JSON object.
counters() { echo "$(fault_counts "$1") $(cpu_seconds "$2")"; }
counters_json() {
  jq -nc --arg a "$1" --arg b "$2" '[$a, $b | split(" ") | map(tonumber)] as [$x, $y] |
    def d(i): ($y[i] - $x[i]) * 100 | round / 100;
    {page_faults: d(0), file_refaults: d(1), cpu_user_seconds: d(2), cpu_system_seconds: d(3)}'
}
counters_text() {  # JSON of counters_json, for a progress line
  jq -r '"\(.page_faults // 0) page faults, \(.file_refaults // 0) file refaults, CPU \(.cpu_user_seconds // 0) s user + \(.cpu_system_seconds // 0) s system"' <<<"$1"
}
oom_kills() {
  local n
  n=$(cat "$1/memory.oom_control" "$1/memory.events" 2>/dev/null | sed -n 's/^oom_kill //p' | head -1 || true)
  echo "${n:-0}"
}

# Sum of psql's "Time: N ms" lines in seconds; empty when there are none.
psql_seconds() { sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p' | awk '{s += $1; n++} END {if (n) printf "%.3f", s / 1000}'; }
# pgbench's tps line.
pgbench_tps() { sed -nE 's/^tps = ([0-9.]+) .*/\1/p' | tail -1; }

# Appends one JSON object to FILE: record FILE jq-args... 'object-expression'
record() { local file=$1; shift; jq -nc "$@" >>"$file"; }

now() { date +%s; }

# --- The benchmark server and its workloads. The sourcing script sets srv (the container's
# name) and volumes (data volumes to remove on exit), and calls run_parameters for secs and
# warm (pgbench seconds), caps (statement_timeout seconds for groupby, analytics/btree, hnsw)
# and the data sizes.

# What a run of each mode measures: pgbench seconds (BENCH_SECS overrides them) after a
# warm-up, the caps (statement_timeout seconds for groupby, analytics/btree, hnsw: a run that
# reaches its cap is recorded at the cap and marked censored, a lower bound shown as ≥), the
# data sizes. Quick mode's 60k vectors still make an HNSW graph (about 75 MB) larger than the
# stock 64MB.
# shellcheck disable=SC2034  # rows and vectors: read by the sourcing script
run_parameters() {  # quick|full
  case $1 in
    quick) secs=6 warm=2 caps=(10 30 40) rows=4000000 vectors=60000 ;;
    full) secs=15 warm=3 caps=(30 240 120) rows=10000000 vectors=100000 ;;
  esac
  secs=${BENCH_SECS:-$secs}
  case $secs in
    ''|*[!0-9]*|0) echo "bench: BENCH_SECS '$secs' must be a whole number of seconds > 0" >&2; exit 2 ;;
  esac
}

remove_server() {  # on exit: the server, its companion and the data volumes
  remove_containers "$srv"
  for v in "${volumes[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1 || true; done
}

# The server for BASE with extra settings (name=value). "stock" is initdb's postgresql.conf plus
# only the feature lines of aza-pg's base configuration (extensions, pgAudit, pg_cron), so that
# tuning is all that differs from the others; "aza" is the image's configuration and auto-config.
# A setting whose name is upper case (GLIBC_TUNABLES=..., POSTGRES_MEMORY=...) is the
# container's environment instead: PostgreSQL's own names are lower case.
start_server() {  # base mem cpus volume [setting=value...]
  local base=$1 mem=$2 cpus=$3 vol=$4 args=(postgres) env=() f
  shift 4
  if [ "$base" = stock ]; then
    while IFS= read -r f; do args+=(-c "$f"); done < <(
      grep -E '^(shared_preload_libraries|pgaudit\.|cron\.)' docker/postgres/configs/postgresql-base.conf |
        sed -E "s/[[:space:]]*#.*//; s/[[:space:]]*=[[:space:]]*/=/; s/'//g")
  else
    args+=(-c config_file=/etc/postgresql/postgresql.conf)
  fi
  for f in "$@"; do
    if [[ $f =~ ^[A-Z][A-Z0-9_]*= ]]; then env+=(-e "$f"); else args+=(-c "$f"); fi
  done
  remove_containers "$srv"
  drop_caches
  docker run -d --name "$srv" --no-healthcheck --memory "$mem" --cpus "$cpus" --shm-size 1g \
    -v "$vol:/var/lib/postgresql" -e POSTGRES_PASSWORD="$BENCH_PW" \
    -e POSTGRES_SKIP_AUTOCONFIG="$([ "$base" = aza ] && echo false || echo true)" "${env[@]}" \
    "$BENCH_IMAGE" "${args[@]}" >/dev/null
  wait_healthy "$srv" && start_client "$srv"
}

# The server of one configuration of bench_config: its flags on top of its base, then any
# further settings (which win, coming last).
start_config() {  # name base mem cpus volume [setting=value...]
  local flags
  mapfile -t flags < <("$BENCH_BIN/bench_config" flags "$1" "$3" "$4")
  start_server "$2" "$3" "$4" "$5" "${flags[@]}" "${@:6}"
}

# A fresh data volume: pgbench's tables at about half the memory limit (16 MB per scale unit)
# and the analytics/maintenance data (bench/sql/setup.sql), then one untimed pass of every
# workload given: the first server on fresh data pays a first-touch cost (measured at 2 GiB: the
# configuration run first after loading was 15-35% slower on every workload than in its later
# rounds), which would otherwise land on one configuration.
init_data() {  # mem volume facts-rows vectors "workload..."
  local scale=$(( ${1%g} * 1024 / 2 / 16 )) w
  docker volume rm -f "$2" >/dev/null 2>&1 || true
  volumes+=("$2")
  start_server aza "$1" 2 "$2"
  sql "$srv" "CREATE DATABASE bench" postgres
  client "$srv" pgbench -i -q -s "$scale" bench >/dev/null 2>&1
  client "$srv" psql -d bench -Xq -v facts_rows="$3" -v vectors="$4" -f /bench/setup.sql >/dev/null
  for w in $5; do run_workload "$srv" "$w" >/dev/null || true; done
  docker stop -t 120 "$srv" >/dev/null
  echo "bench: $1 data ready in $2 (pgbench scale $scale, $3 facts rows, $4 vectors, one untimed pass)"
}

prewarm() {  # server relation...
  local list
  list=$(printf "'%s'," "${@:2}")
  sql "$1" "SELECT sum(pg_prewarm(r::regclass, 'read')) FROM unnest(ARRAY[${list%,}]) AS r" >/dev/null
}

unit_of() { case $1 in tpcb|select|select-skew) echo tps ;; *) echo s ;; esac; }

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
# capped), nothing when it failed. With `interval` set (seconds), pgbench also reports the tps
# of each interval of the run, written comma-separated to $intervals_file.
run_workload() {  # server workload
  local flag=()
  case $2 in
    tpcb|select|select-skew)
      case $2 in
        select) flag=(-S) ;;
        select-skew) flag=(-f /bench/select_skew.pgbench -D "naccounts=$(sql "$1" "SELECT count(*) * 100000 FROM pgbench_branches")") ;;
      esac
      prewarm "$1" pgbench_accounts pgbench_accounts_pkey pgbench_branches pgbench_tellers
      client "$1" pgbench "${flag[@]}" -c 8 -j 2 -T "$warm" bench >/dev/null 2>&1 || true
      local out
      out=$(client "$1" pgbench "${flag[@]}" -c 8 -j 2 -T "$secs" ${interval:+-P "$interval"} bench 2>&1 || true)
      [ -z "${interval:-}" ] || sed -nE 's/^progress: [0-9.]+ s, ([0-9.]+) tps.*/\1/p' <<<"$out" | paste -sd, >"$intervals_file"
      pgbench_tps <<<"$out" ;;
    groupby) prewarm "$1" facts; timed_sql "$1" groupby "${caps[0]}" ;;
    analytics) prewarm "$1" facts customers; timed_sql "$1" analytics "${caps[1]}" ;;
    btree) prewarm "$1" facts; timed_sql "$1" btree "${caps[1]}" ;;
    hnsw) prewarm "$1" items; timed_sql "$1" hnsw "${caps[2]}" ;;
  esac
}
