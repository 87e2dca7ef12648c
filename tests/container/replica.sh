#!/usr/bin/env bash
# The replica stack: a primary and a replica as two compose projects on one machine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stack.sh"
REPLICA_DIR="$(cd "$(dirname "$0")/../../stacks/replica" && pwd)"
project="aza-test-repl-$$"
envf=$(mktemp)
# 8 GiB on the primary gives max_connections 150; the replica's 1 GiB alone would give 100.
stack_up "$project" "$envf" POSTGRES_MEMORY_LIMIT=8g || { fail "primary not healthy"; finish; }
pg="${project}-postgres-1"
su_pw=$(env_get "$envf" POSTGRES_PASSWORD)
primary_sql() { docker exec -e PGPASSWORD="$su_pw" "$pg" psql -U postgres -d appdb -XtAq -v ON_ERROR_STOP=1 -c "$1"; }

# replica_compose PROJECT ENVFILE ARGS...: the replica stack joined to the primary's network.
replica_compose() {
  local p=$1 e=$2; shift 2
  docker compose -p "$p" --project-directory "$REPLICA_DIR" -f "$REPLICA_DIR/compose.yml" \
    -f "$REPLICA_DIR/compose.local.yml" --env-file "$e" "$@"
}
replica_env() {  # ENVFILE REPLICATION_PASSWORD [VAR=value...]
  local e=$1 pw=$2; shift 2
  { echo "PRIMARY_HOST=postgres"; echo "PRIMARY_NETWORK=${project}_backend"
    echo "REPLICATION_PASSWORD=$pw"; echo "POSTGRES_PASSWORD=$su_pw"
    echo "EXPORTER_PASSWORD=$(env_get "$envf" EXPORTER_PASSWORD)"
    echo "REPLICA_PORT=25433"; echo "REPLICA_EXPORTER_PORT=29188"; echo "POSTGRES_MEMORY_LIMIT=1g"
    echo "AZA_IMAGE_TAG=${AZA_IMAGE_TAG:-dev}"
    for kv in "$@"; do echo "$kv"; done; } >"$e"
}

primary_sql "CREATE TABLE repl_t (id int); INSERT INTO repl_t SELECT generate_series(1, 1000)"

rproject="$project-replica"; renv=$(mktemp)
replica_env "$renv" "$(env_get "$envf" REPLICATION_PASSWORD)"
CLEANUP+=("replica_compose $rproject $renv down -v; rm -f $renv")
replica_compose "$rproject" "$renv" up -d replica >/dev/null 2>&1
rc="${rproject}-replica-1"
replica_sql() { docker exec -e PGPASSWORD="$su_pw" "$rc" psql -U postgres -d "${2:-appdb}" -XtAq -c "$1" 2>&1; }

# The healthcheck: unhealthy while cloning and starting, healthy once streaming.
seen_unhealthy=no; healthy=no
for _ in $(seq 1 240); do
  out=$(docker exec "$rc" aza-pg healthcheck 2>&1 || true)
  case "$out" in
    healthy:*) healthy=$out; break ;;
    *) seen_unhealthy=yes ;;
  esac
  sleep 0.5
done
expect_eq "$seen_unhealthy" yes "replica healthcheck was unhealthy before streaming"
expect_contains "$healthy" "healthy: streaming" "replica healthcheck healthy once streaming"
replica_compose "$rproject" "$renv" up -d --wait >/dev/null 2>&1 || fail "replica stack (exporter) not healthy"
log=$(docker logs "$rc" 2>&1)
expect_contains "$log" "cloning from postgres:5432 with pg_basebackup (slot replica_1" "cloned over the slot"
expect_not_contains "$log" "init: running" "no init scripts run on a replica"

# Data flows; writes are refused.
expect_eq "$(replica_sql "SELECT count(*) FROM repl_t")" 1000 "rows written before the clone are on the replica"
primary_sql "INSERT INTO repl_t SELECT generate_series(1001, 1500)"
for _ in $(seq 1 40); do [ "$(replica_sql "SELECT count(*) FROM repl_t")" = 1500 ] && break; sleep 0.25; done
expect_eq "$(replica_sql "SELECT count(*) FROM repl_t")" 1500 "new rows reach the replica within 10 s"
expect_contains "$(replica_sql "INSERT INTO repl_t VALUES (0)")" "read-only transaction" "writes on the replica are refused"

# Required settings follow the primary; memory settings follow the replica's own limit.
expect_eq "$(replica_sql "SHOW max_connections")" 150 "replica max_connections follows the primary (150)"
expect_eq "$(replica_sql "SHOW shared_buffers")" 128MB "replica shared_buffers follows its own 1 GiB"
expect_contains "$log" "replica: the primary requires max_connections>=150" "the log says why"

# Metrics on both sides.
rmetrics=$(curl -sS http://127.0.0.1:29188/metrics || true)
expect_contains "$rmetrics" "aza_replication_is_replica{server=\"replica:5432\"} 1" "replica exporter: is_replica 1"
expect_contains "$rmetrics" "aza_replication_lag_seconds" "replica exporter: lag metric"
expect_contains "$(curl -sS http://127.0.0.1:29187/metrics)" 'aza_slot_retained_wal_bytes{server="postgres:5432",slot_name="replica_1"}' "primary exporter: slot metric"

# Stop the replica, write on the primary: the slot keeps the WAL; the replica catches up.
docker stop -t 30 "$rc" >/dev/null
primary_sql "CREATE TABLE repl_big AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 100000) g"
for _ in $(seq 1 30); do
  slot=$(curl -sS http://127.0.0.1:29187/metrics | grep '^aza_slot_retained_wal_bytes.*replica_1' | awk '{print $2}')
  [ -n "$slot" ] && awk -v v="$slot" 'BEGIN { exit !(v > 10000000) }' && break; sleep 1
done
awk -v v="${slot:-0}" 'BEGIN { exit !(v > 10000000) }' && pass "slot retains ${slot} bytes of WAL while the replica is down" \
  || fail "slot retained WAL not visible (${slot:-none})"
docker start "$rc" >/dev/null
for _ in $(seq 1 80); do [ "$(replica_sql "SELECT count(*) FROM repl_big")" = 100000 ] && break; sleep 0.25; done
expect_eq "$(replica_sql "SELECT count(*) FROM repl_big")" 100000 "the replica catches up from the slot"

# Wrong password: a clear error, bounded, and nothing half-built left behind.
bc="$project-badpw"; bvol="$project-badpw-data"
CLEANUP+=("docker volume rm $bvol" "docker rm -f -v $bc")  # run last to first
docker run -d --name "$bc" --network "${project}_backend" -v "$bvol:/var/lib/postgresql" \
  -e PRIMARY_HOST=postgres -e REPLICATION_PASSWORD=wrong -e POSTGRES_PASSWORD=x \
  -e REPLICA_WAIT_SECONDS=20 "$IMAGE" >/dev/null
code=$(wait_exit "$bc" 60)
expect_eq "$code" 1 "wrong password: the replica exits 1"
expect_contains "$(docker logs "$bc" 2>&1)" "rejected REPLICATION_PASSWORD" "wrong password: a clear error"
left=$(docker run --rm -v "$bvol:/v" --entrypoint bash "$IMAGE" -c 'if [ -d /v/18/docker ]; then ls -A /v/18/docker | wc -l; else echo missing; fi')
expect_eq "$left" 0 "wrong password: the data directory stays empty"
docker start "$bc" >/dev/null
expect_eq "$(wait_exit "$bc" 60)" 1 "wrong password: a restart fails the same way, never a broken standby"

# Promotion: the replica accepts writes afterwards.
expect_eq "$(replica_sql "SELECT pg_promote()")" t "pg_promote() succeeds"
for _ in $(seq 1 40); do [ "$(replica_sql "SELECT pg_is_in_recovery()")" = f ] && break; sleep 0.25; done
expect_eq "$(replica_sql "INSERT INTO repl_t VALUES (0) RETURNING id")" 0 "the promoted replica accepts writes"
expect_contains "$(docker exec "$rc" aza-pg healthcheck)" "healthy: primary" "healthcheck reports the new role"
finish
