#!/usr/bin/env bash
# bench/run.sh quick|full — pgbench TPC-B and select-only under real container limits for four
# configurations: PostgreSQL defaults (stock postgresql.conf, auto-config off), aza-pg, PGTune
# and timescaledb-tune (bench/peers.cc). Repetitions are interleaved across configurations
# (the order rotates each round) so drift hits all alike. Each run restarts its server, warms
# up, runs, and records the settings in effect, the cgroup's memory peak and OOM kills.
# Raw runs go to bench/results/<stamp>-<mode>/runs.jsonl; bench/report.sh turns them into
# REPORT.md and plots. quick: 1 and 2 GiB, 2 CPUs, 3 rounds of 10 s (about 15 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-quick}
case $mode in
  quick) mems=(1g 2g); cpu_list=(2); rounds=3; secs=10; warm=3 ;;
  full)  mems=(1g 2g 4g 8g); cpu_list=(2 1); rounds=5; secs=60; warm=10 ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
configs=(defaults aza pgtune tstune)
workloads=(tpcb select)
image=aza-pg/postgres:${AZA_IMAGE_TAG:-dev}
peer_tune=build/ci/bench/peer_tune
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode
mkdir -p "$out"
runs=$out/runs.jsonl
pw=bench_$$
cleanup() {
  for c in "${configs[@]}"; do docker rm -f -v "bench-$c" >/dev/null 2>&1 || true; done
  rm -rf "$no_scripts"
}

# The server's arguments for a configuration (after the image's entrypoint).
server_args() {  # config mem cpus
  case $1 in
    defaults) echo "postgres" ;;  # initdb's postgresql.conf in PGDATA: what postgres:18 users get
    aza)      echo "postgres -c config_file=/etc/postgresql/postgresql.conf" ;;
    pgtune|tstune)
      echo "postgres -c config_file=/etc/postgresql/postgresql.conf $("$peer_tune" "$1" "$2" "$3" | tr '\n' ' ')" ;;
  esac
}
skip_autoconfig() { [ "$1" = aza ] && echo false || echo true; }
# Stock PostgreSQL has none of our init scripts (01-extensions.sql needs pg_cron preloaded):
# an empty directory is mounted over them (podman's --tmpfs would copy the image's files in).
no_scripts=$(mktemp -d)
chmod 755 "$no_scripts"
extra_opts() { if [ "$1" = defaults ]; then echo "-v $no_scripts:/docker-entrypoint-initdb.d:ro"; fi; }
trap cleanup EXIT

healthy() {
  for _ in $(seq 1 600); do docker exec "$1" aza-pg healthcheck >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "bench: $1 never became healthy" >&2; docker logs "$1" 2>&1 | tail -20 >&2; return 1
}
# pgbench from its own container in the server's network namespace: the client never takes
# CPU from the server's quota.
client() { docker run --rm --network "container:$1" -e PGPASSWORD="$pw" --entrypoint pgbench "$image" -h 127.0.0.1 -U postgres "${@:2}" postgres; }
cgroup_file() {  # container v1-file v2-file
  docker exec "$1" sh -c "cat /sys/fs/cgroup/memory/$2 2>/dev/null || cat /sys/fs/cgroup/$3 2>/dev/null || echo 0"
}

echo "bench: $mode -> $out"
for cpus in "${cpu_list[@]}"; do
  for mem in "${mems[@]}"; do
    mb=$(( ${mem%g} * 1024 ))
    scale=$(( mb / 2 / 16 ))  # about 16 MB per pgbench scale unit: data set = half the limit
    for c in "${configs[@]}"; do
      docker rm -f -v "bench-$c" >/dev/null 2>&1 || true
      # shellcheck disable=SC2046
      docker run -d --name "bench-$c" --memory "$mem" --cpus "$cpus" --shm-size 1g $(extra_opts "$c") \
        -e POSTGRES_PASSWORD="$pw" -e POSTGRES_SKIP_AUTOCONFIG="$(skip_autoconfig "$c")" \
        "$image" $(server_args "$c" "$mem" "$cpus") >/dev/null
      healthy "bench-$c"
      client "bench-$c" -i -q -s "$scale" >/dev/null 2>&1
      docker stop -t 60 "bench-$c" >/dev/null
      echo "bench: $mem/$cpus CPU $c initialized (scale $scale)"
    done
    for round in $(seq 1 "$rounds"); do
      for w in "${workloads[@]}"; do
        for i in "${!configs[@]}"; do
          c=${configs[$(( (i + round) % ${#configs[@]} ))]}
          docker start "bench-$c" >/dev/null
          healthy "bench-$c"
          flag=""; [ "$w" = select ] && flag="-S"
          client "bench-$c" $flag -c 8 -j 2 -T "$warm" >/dev/null 2>&1 || true
          result=$(client "bench-$c" $flag -c 8 -j 2 -T "$secs" 2>&1 || true)
          tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$result" | tail -1)
          settings=$(docker exec -e PGPASSWORD="$pw" "bench-$c" psql -h 127.0.0.1 -U postgres -XtA -c \
            "SELECT json_object_agg(name, current_setting(name)) FROM unnest(ARRAY['shared_buffers','work_mem','effective_cache_size','maintenance_work_mem','max_connections','max_wal_size']) AS name")
          peak=$(cgroup_file "bench-$c" memory.max_usage_in_bytes memory.peak)
          ooms=$(cgroup_file "bench-$c" memory.oom_control memory.events | sed -nE 's/^oom_kill ([0-9]+)/\1/p')
          docker stop -t 60 "bench-$c" >/dev/null
          jq -nc --arg mem "$mem" --argjson cpus "$cpus" --arg w "$w" --arg c "$c" --argjson round "$round" \
            --arg tps "${tps:-0}" --argjson settings "${settings:-{\}}" --arg peak "$peak" --arg ooms "${ooms:-0}" \
            '{memory: $mem, cpus: $cpus, workload: $w, config: $c, round: $round, tps: ($tps | tonumber),
              settings: $settings, memory_peak_bytes: ($peak | tonumber), oom_kills: ($ooms | tonumber)}' >>"$runs"
          echo "bench: $mem/$cpus CPU round $round $w $c: ${tps:-FAILED} tps, peak $(( ${peak:-0} / 1048576 )) MiB, OOM kills ${ooms:-0}"
        done
      done
    done
    for c in "${configs[@]}"; do docker rm -f -v "bench-$c" >/dev/null 2>&1 || true; done
  done
done
{ echo "machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, $(uname -r)";
  echo "engine: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"; echo "command: bench/run.sh $mode"; } >"$out/machine.txt"
bench/report.sh "$out"
