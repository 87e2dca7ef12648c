#!/usr/bin/env bash
# bench/lib.sh — helpers shared by bench/run.sh and bench/extras.sh: the server and client
# containers, the host's view of a container's memory cgroup, and one JSON line per result.
# Sourced from the repository root.

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

# A client (pgbench or psql) in its own container, in the server's network namespace: it does
# not count against the server's CPU quota. client SERVER PROGRAM ARGS...
client() {
  docker run --rm --network "container:$1" -e PGPASSWORD="$BENCH_PW" -e PGOPTIONS="${PGOPTIONS:-}" \
    -v "$PWD/bench/sql:/bench:ro" --entrypoint "$2" "$BENCH_IMAGE" -h 127.0.0.1 -U postgres "${@:3}"
}
sql() { client "$1" psql -d "${3:-bench}" -XtAq -v ON_ERROR_STOP=1 -c "$2"; }

# The host directory of a container's memory cgroup (v1 or v2), from its main process.
host_cgroup() {
  local pid line
  pid=$(docker inspect -f '{{.State.Pid}}' "$1")
  line=$(grep -E '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' "/proc/$pid/cgroup" || true)
  if [ -n "$line" ]; then echo "/sys/fs/cgroup/memory${line#*:*:}"
  else echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"; fi
}
# Peak memory since the last reset (v1 can be reset; v2 memory.peak counts from the start).
peak_reset() { if [ -w "$1/memory.max_usage_in_bytes" ]; then echo 0 >"$1/memory.max_usage_in_bytes"; fi; }
peak_read() { cat "$1/memory.max_usage_in_bytes" 2>/dev/null || cat "$1/memory.peak" 2>/dev/null || echo 0; }
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
