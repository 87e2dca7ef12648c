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

# Two SIGTERMs: the second one is an immediate shutdown.
docker kill -s TERM "$c" >/dev/null; docker kill -s TERM "$c" >/dev/null
wait_exit "$c" 30 >/dev/null
log=$(docker logs "$c" 2>&1)
expect_contains "$log" "immediate shutdown" "a second SIGTERM escalates to immediate"

# Another command than postgres runs as is; its exit code is the container's. (Read from
# inspect: with --rm, the docker CLI on podman 4.3's API reports 0 whatever the code.)
exit_code_of() {
  local name="$PREFIX-cmd$RANDOM"
  docker run --name "$name" "$IMAGE" "$@" >/dev/null 2>&1 || true
  docker inspect -f '{{.State.ExitCode}}' "$name"
  docker rm "$name" >/dev/null
}
expect_eq "$(exit_code_of bash -c 'exit 7')" 7 "exit code of another command"
expect_eq "$(exit_code_of no-such-command)" 127 "missing command exits 127"
finish
