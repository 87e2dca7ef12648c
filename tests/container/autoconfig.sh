#!/usr/bin/env bash
# Auto-config under real container limits (the guide's critical tests 2 and 4): for each
# memory limit with one CPU, the log names the detected figures and SHOW returns exactly what
# `aza-pg tune --memory --cpus --shm --format json` predicts inside the same image.
source "$(dirname "$0")/lib.sh"
settings=(shared_buffers effective_cache_size maintenance_work_mem work_mem max_connections
          max_worker_processes max_parallel_workers io_workers autovacuum_max_workers wal_buffers)

for mem in 1g 2g 4g 8g; do
  c="$PREFIX-$mem"
  run_pg "$c" --memory "$mem" --cpus 1
  wait_healthy "$c" || { fail "$mem: container did not become healthy"; continue; }
  mb=$(( ${mem%g} * 1024 ))
  log=$(docker logs "$c" 2>&1)
  expect_contains "$log" "detected RAM=${mb}MB" "$mem: log names the detected memory"
  expect_contains "$log" "CPU=1 (cgroup" "$mem: log names the CPU quota as the source"
  expect_contains "$log" "tuned shared_buffers=" "$mem: log lists the tuned values"
  predicted=$(docker run --rm --entrypoint aza-pg "$IMAGE" tune --memory "$mem" --cpus 1 --shm 1g --format json)
  for s in "${settings[@]}"; do
    want=$(jq -r ".settings.$s" <<<"$predicted")
    got=$(psql_in "$c" "SELECT setting || coalesce(unit, '') FROM pg_settings WHERE name = '$s'")
    # pg_settings reports memory in its base unit (8kB pages, kB); SHOW prints it as set.
    shown=$(psql_in "$c" "SHOW $s")
    [ "$shown" = "$want" ] && pass "$mem: $s = $want" || fail "$mem: $s SHOW '$shown' ($got), predicted '$want'"
  done
  echo "$mem: shared_buffers=$(psql_in "$c" "SHOW shared_buffers") work_mem=$(psql_in "$c" "SHOW work_mem")"
  docker rm -f -v "$c" >/dev/null
done
finish
