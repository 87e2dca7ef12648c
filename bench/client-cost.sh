#!/usr/bin/env bash
# bench/client-cost.sh [ROUNDS] — what the benchmark's way of running clients costs the server
# it measures. One aza-pg server (2 GiB / 2 CPUs, pgbench scale 20) runs the same 10-second
# select-only pgbench, alternately from a fresh `docker run --rm` client (the harness before
# 2026-12-01) and by `docker exec` in the companion container (bench/lib.sh start_client),
# and prints tps and the CPU the engine's API service spent meanwhile (podman only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
srv=bench-client-cost
vol=bench-client-cost-data
volumes=("$vol")
trap remove_server EXIT
service=$(pgrep -f 'podman system service' | head -1 || true)
ticks() { if [ -n "$service" ]; then awk '{print $14 + $15}' "/proc/$service/stat"; else echo 0; fi; }

docker volume rm -f "$vol" >/dev/null 2>&1 || true
start_server aza 2g 2 "$vol"
sql "$srv" "CREATE DATABASE bench" postgres
client "$srv" pgbench -i -q -s 20 bench >/dev/null 2>&1
run_pgbench() {  # how: run|exec
  if [ "$1" = run ]; then
    docker run --rm --network "container:$srv" -e PGPASSWORD="$BENCH_PW" --entrypoint pgbench \
      "$BENCH_IMAGE" -h 127.0.0.1 -U postgres -S -c 8 -j 2 -T 10 bench 2>&1 | pgbench_tps
  else
    client "$srv" pgbench -S -c 8 -j 2 -T 10 bench 2>&1 | pgbench_tps
  fi
}
for round in $(seq 1 "$rounds"); do
  for how in run exec; do
    before=$(ticks)
    tps=$(run_pgbench "$how")
    echo "client-cost: round $round, docker $how: ${tps%.*} tps, API service $(( $(ticks) - before )) CPU ticks (100 = one core-second)"
  done
done
