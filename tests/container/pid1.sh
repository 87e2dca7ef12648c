#!/usr/bin/env bash
# aza-pg as PID 1: docker stop is a clean fast shutdown, orphans are reaped, a second
# SIGTERM escalates to immediate, exit codes are right.
source "$(dirname "$0")/lib.sh"
c=$PREFIX
vol="$PREFIX-data"
CLEANUP+=("docker volume rm $vol")
run_pg "$c" -v "$vol:/var/lib/postgresql"
wait_healthy "$c"
expect_eq "$(docker exec "$c" cat /proc/1/comm)" "aza-pg" "PID 1 is aza-pg"

# Orphans: a process whose parent exits is re-parented to PID 1 and must be reaped.
docker exec "$c" bash -c '(sleep 1 &) ; exit 0'
sleep 2
zombies=$(docker exec "$c" bash -c 'grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l')
expect_eq "$zombies" 0 "no zombies after an orphan exits"

# docker stop: SIGTERM -> fast shutdown, exit 0, well within the grace period.
start=$SECONDS
docker stop -t 30 "$c" >/dev/null
expect_eq "$(docker inspect -f '{{.State.ExitCode}}' "$c")" 0 "docker stop exits 0"
[ $((SECONDS - start)) -lt 10 ] && pass "stopped in $((SECONDS - start)) s" || fail "stop took $((SECONDS - start)) s"
log=$(docker logs "$c" 2>&1)
expect_contains "$log" "received SIGTERM: fast shutdown" "SIGTERM is mapped to a fast shutdown"
expect_contains "$log" "received fast shutdown request" "PostgreSQL saw a fast shutdown"

# The next start needs no crash recovery.
docker start "$c" >/dev/null
wait_healthy "$c"
expect_not_contains "$(docker logs "$c" 2>&1)" "automatic recovery in progress" "restart needs no recovery"

docker stop -t 30 "$c" >/dev/null

# Two SIGTERMs: the second one is an immediate shutdown. An idle server finishes a fast
# shutdown before a second `docker kill` arrives, so this server holds its shutdown open: the
# postmaster waits for the archiver, whose command sleeps, to archive the switched segment.
# (The command is set after initialization, so the init server's own stop is not delayed.)
s="$PREFIX-slow"
run_pg "$s" -- postgres -c config_file=/etc/postgresql/postgresql.conf -c archive_mode=on
wait_healthy "$s"
psql_in "$s" "ALTER SYSTEM SET archive_command = 'sleep 60'" >/dev/null
psql_in "$s" "SELECT pg_reload_conf(); CREATE TABLE t AS SELECT 1 AS x; SELECT pg_switch_wal()" >/dev/null
docker kill -s TERM "$s" >/dev/null
wait_log() {  # container text: polls its log for up to 20 s
  for _ in $(seq 1 100); do docker logs "$1" 2>&1 | grep -qF -- "$2" && return 0; sleep 0.2; done
  return 1
}
wait_log "$s" "received fast shutdown request" && pass "first SIGTERM: fast shutdown under way" \
  || fail "no fast shutdown after the first SIGTERM"
expect_eq "$(docker inspect -f '{{.State.Running}}' "$s")" true "the archiver holds the fast shutdown open"
docker kill -s TERM "$s" >/dev/null
start=$SECONDS
wait_exit "$s" 30 >/dev/null
log=$(docker logs "$s" 2>&1)
expect_contains "$log" "received SIGTERM: immediate shutdown" "a second SIGTERM escalates to immediate"
expect_contains "$log" "received immediate shutdown request" "PostgreSQL saw an immediate shutdown"
[ $((SECONDS - start)) -lt 15 ] && pass "immediate shutdown ended in $((SECONDS - start)) s" \
  || fail "immediate shutdown took $((SECONDS - start)) s"

# docker stop is honoured within 2 s in every wait: a replica waiting for its primary and
# PgBouncer waiting for PostgreSQL (both pointed at a closed port on the container's loopback).
stop_while_waiting() {  # name needle: the container is running
  local name=$1 needle=$2 start ms
  wait_log "$name" "$needle" || fail "$name: never waited ($(docker logs "$name" 2>&1 | tail -2))"
  start=$(date +%s%N)
  docker stop -t 10 "$name" >/dev/null
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 2000 ] && pass "$name: docker stop while waiting took $ms ms" \
    || fail "$name: docker stop while waiting took $ms ms"
  expect_eq "$(docker inspect -f '{{.State.ExitCode}}' "$name")" 0 "$name: a stop while waiting exits 0"
}
run_pg "$PREFIX-replica-wait" -e PRIMARY_HOST=127.0.0.1 -e PRIMARY_PORT=1 -e REPLICATION_PASSWORD=x
stop_while_waiting "$PREFIX-replica-wait" "waiting for the primary"
b="$PREFIX-bouncer-wait"
CLEANUP+=("docker rm -f -v $b")
docker run -d --name "$b" -e DB_HOST=127.0.0.1 -e DB_PORT=1 -e PGBOUNCER_AUTH_PASS=x \
  "aza-pg/pgbouncer:${AZA_IMAGE_TAG:-dev}" >/dev/null
stop_while_waiting "$b" "waiting for PostgreSQL"

# Another command than postgres runs as is; its exit code is the container's. (Read from
# inspect: with --rm, the docker CLI on podman 4.3's API reports 0 whatever the code.)
exit_code_of() {
  local name="$PREFIX-cmd$RANDOM"
  docker run --name "$name" "$IMAGE" "$@" >/dev/null 2>&1 || true
  docker inspect -f '{{.State.ExitCode}}' "$name"
  docker rm -v "$name" >/dev/null
}
expect_eq "$(exit_code_of bash -c 'exit 7')" 7 "exit code of another command"
expect_eq "$(exit_code_of no-such-command)" 127 "missing command exits 127"
finish
