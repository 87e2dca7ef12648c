#!/usr/bin/env bash
# bench/extras.sh quick|full OUTDIR — what is measured once rather than per tuning cell;
# results go to OUTDIR/extras.jsonl and OUTDIR/startup.txt for bench/report.sh:
#   audit:     pgbench TPC-B with pgAudit logging writes (aza-pg's default) against DDL and
#              role changes only, interleaved, on one aza-pg server at 2 GiB / 2 CPUs
#   wal:       WAL written by the same pgbench run (8000 transactions right after a
#              checkpoint) with wal_compression = lz4 against off, on that server
#   pgbouncer: the primary stack (2 GiB): 1000 clients through PgBouncer and straight to
#              PostgreSQL, and a connection per transaction (pgbench -C) both ways
#   start-up:  image sizes, cold init, stop and warm start (scripts/measure.sh), and the
#              whole `aza-pg tune` process (bench/tune_bench)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
# shellcheck disable=SC1091
source tests/container/stack.sh  # stack_up/stack_down: the primary stack with random secrets
CLEANUP=()                       # stack_up registers its teardown here
cleanup() { for c in "${CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
mode=$1 out=$2
case $mode in quick) rounds=2; secs=6; measure_runs=3 ;; *) rounds=5; secs=20; measure_runs=5 ;; esac
extras=$out/extras.jsonl
srv=bench-extras
volumes=(bench-extras-data)
CLEANUP+=("remove_server" "remove_containers bench-host")

# --- pgAudit's cost and WAL compression, on one server.
docker volume rm -f "${volumes[0]}" >/dev/null 2>&1 || true
start_server aza 2g 2 "${volumes[0]}"
sql "$srv" "CREATE DATABASE bench" postgres
client "$srv" pgbench -i -q -s 50 bench >/dev/null 2>&1
for round in $(seq 1 "$rounds"); do
  for audit in "ddl,write,role" "ddl,role"; do
    tps=$(PGOPTIONS="-c pgaudit.log=$audit" client "$srv" pgbench -c 8 -j 2 -T "$secs" bench 2>&1 | pgbench_tps || true)
    # shellcheck disable=SC2016  # jq programs, not shell
    record "$extras" --arg s "pgaudit.log = '${audit//,/, }'" --argjson r "$round" --arg tps "${tps:-0}" \
      '{kind: "audit", setting: $s, round: $r, tps: ($tps | tonumber)}'
    echo "bench: audit round $round pgaudit.log=$audit: ${tps:-FAILED} tps"
  done
  for comp in lz4 off; do
    # Right after a checkpoint every first change of a page writes a full-page image, which
    # is what wal_compression compresses. The LSN difference counts all WAL written.
    sql "$srv" "CHECKPOINT" >/dev/null
    start_lsn=$(sql "$srv" "SELECT pg_current_wal_lsn()")
    tps=$(PGOPTIONS="-c wal_compression=$comp" client "$srv" pgbench -c 8 -j 2 -t 1000 bench 2>&1 | pgbench_tps || true)
    bytes=$(sql "$srv" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$start_lsn')::bigint")
    # shellcheck disable=SC2016
    record "$extras" --arg s "$comp" --argjson r "$round" --arg b "$bytes" --arg tps "${tps:-0}" \
      '{kind: "wal", setting: $s, round: $r, wal_bytes: ($b | tonumber), tps: ($tps | tonumber)}'
    echo "bench: WAL round $round wal_compression=$comp: $(( bytes / 1048576 )) MiB, ${tps:-FAILED} tps"
  done
done
remove_server

# --- PgBouncer in the primary stack. max_client_conn is raised from 1000 to 1100 so that
# the healthcheck's own connection never takes one of the 1000 clients' places.
project=aza-bench-primary
envf=$(mktemp)
stack_up "$project" "$envf" PGBOUNCER_MAX_CLIENT_CONN=1100
app_pw=$(env_get "$envf" APP_PASSWORD)
max_conn=$(docker exec -e PGPASSWORD="$(env_get "$envf" POSTGRES_PASSWORD)" "$project-postgres-1" \
  psql -U postgres -XtAc "SHOW max_connections")
start_client bench-host host  # the published ports on 127.0.0.1, as an application sees them
host_pgbench() { docker exec -e PGPASSWORD="$app_pw" bench-host-client pgbench -h 127.0.0.1 -U app "$@" appdb; }
host_pgbench -p 25432 -i -q -s 10 >/dev/null 2>&1
pool_case() {  # label via port clients pgbench-options...
  local result tps errors detail
  result=$(host_pgbench -p "$3" -c "$4" -j 2 -T "$secs" "${@:5}" 2>&1 || true)
  tps=$(pgbench_tps <<<"$result")
  errors=$(grep -ciE 'error|fatal|aborted' <<<"$result" || true)
  failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$result")
  errors=$(( errors + ${failed:-0} ))
  # What went wrong: the server's own reason (FATAL) when there is one, else pgbench's error.
  detail=$( { grep -oE 'FATAL: .*' <<<"$result" || grep -iE 'error' <<<"$result"; } |
    sed -E 's/^pgbench: (error: )?//; s/  +/ /g' | sort | uniq -c | sort -rn | head -1 |
    sed -E 's/^ *([0-9]+) (.*)/\2 (x\1)/' | cut -c1-160 || true)
  [ -n "$detail" ] || detail="all clients connected; $(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1 transactions/p' <<<"$result")"
  # shellcheck disable=SC2016
  record "$extras" --arg c "$1" --arg via "$2" --argjson n "$4" --arg tps "${tps:-0}" --argjson e "$errors" \
    --arg d "$detail" --argjson cpt "$([[ " ${*:5} " == *" -C "* ]] && echo true || echo false)" \
    '{kind: "pgbouncer", case: $c, via: $via, clients: $n, connect_per_transaction: $cpt,
      tps: ($tps | tonumber), errors: $e, detail: $d}'
  echo "bench: $1: ${tps:-0} tps, $errors errors ($detail)"
}
pool_case "select-only, 1000 clients through PgBouncer (6432)" pgbouncer 26432 1000 -S
pool_case "select-only, 1000 clients straight to PostgreSQL (5432, max_connections $max_conn)" direct 25432 1000 -S
pool_case "select-only, new connection per transaction, through PgBouncer" pgbouncer 26432 8 -S -C
pool_case "select-only, new connection per transaction, straight to PostgreSQL" direct 25432 8 -S -C
stack_down "$project" "$envf"

# --- Start-up and image sizes.
{ scripts/measure.sh "$measure_runs"
  echo
  "$BENCH_BIN/tune_bench" --benchmark_filter='Process' --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '^BM_'; } | tee "$out/startup.txt"
