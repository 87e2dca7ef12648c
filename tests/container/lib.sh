#!/usr/bin/env bash
# tests/container/lib.sh — helpers for container tests: real images, real limits, real
# clients. Each test script sources this, uses a unique name prefix, and cleans up on exit.
# Polls with deadlines instead of fixed sleeps.
set -euo pipefail

IMAGE=${AZA_IMAGE:-aza-pg/postgres:${AZA_IMAGE_TAG:-dev}}
# shellcheck disable=SC2034  # used by the tests that source this file
PREFIX="aza-test-$(basename "$0" .sh)-$$"
TEST_PASSWORD="test_pw_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PASSED=0
FAILED=0
CLEANUP=()

# Last registered, first run: a container goes before the volume it holds.
cleanup() {
  local i
  for (( i = ${#CLEANUP[@]} - 1; i >= 0; i-- )); do eval "${CLEANUP[$i]}" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

expect_eq() {  # actual expected message
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', want '$2'"; fi
}
expect_contains() {  # haystack needle message
  if grep -qF -- "$2" <<<"$1"; then pass "$3"; else fail "$3: '$2' not found in: $(head -c 600 <<<"$1")"; fi
}
expect_not_contains() {
  if grep -qF -- "$2" <<<"$1"; then fail "$3: '$2' found"; else pass "$3"; fi
}

# Runs a detached postgres container: run_pg NAME [docker run options...] [-- command...]
run_pg() {
  local name=$1; shift
  local opts=() cmd=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; cmd=("$@"); break; fi
    opts+=("$1"); shift
  done
  CLEANUP+=("docker rm -f -v $name")
  docker run -d --name "$name" --shm-size 1g -e POSTGRES_PASSWORD="$TEST_PASSWORD" \
    "${opts[@]}" "$IMAGE" "${cmd[@]}" >/dev/null
}

# Waits until `aza-pg healthcheck` passes inside NAME (engine-independent: podman without
# systemd does not run HEALTHCHECK timers). Fails the test after TIMEOUT seconds.
wait_healthy() {
  local name=$1 timeout=${2:-90} start=$SECONDS
  while [ $((SECONDS - start)) -lt "$timeout" ]; do
    if docker exec "$name" aza-pg healthcheck >/dev/null 2>&1; then return 0; fi
    if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
      echo "container $name stopped; its log:"; docker logs "$name" 2>&1 | tail -30
      return 1
    fi
    sleep 0.5
  done
  echo "container $name not healthy after ${timeout}s; its log:"; docker logs "$name" 2>&1 | tail -30
  return 1
}

# Waits until NAME has exited; prints its exit code.
wait_exit() {
  local name=$1 timeout=${2:-60} start=$SECONDS
  while [ $((SECONDS - start)) -lt "$timeout" ]; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$name")" = false ]; then
      docker inspect -f '{{.State.ExitCode}}' "$name"; return 0
    fi
    sleep 0.3
  done
  echo timeout
}

# psql inside the container over the Unix socket: psql_in NAME [DB] SQL
psql_in() {
  local name=$1 db=postgres
  if [ $# -eq 3 ]; then db=$2; shift; fi
  docker exec -e PGPASSWORD="$TEST_PASSWORD" "$name" psql -U postgres -d "$db" -XtAq -v ON_ERROR_STOP=1 -c "$2"
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
