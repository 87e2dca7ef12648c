#!/usr/bin/env bash
# POSTGRES_MEMORY and POSTGRES_SKIP_AUTOCONFIG do what the guide says; a bad value of any
# variable the entrypoint reads fails fast (exit 2) with PGDATA untouched.
source "$(dirname "$0")/lib.sh"

c="$PREFIX-mem"
run_pg "$c" --memory 1g -e POSTGRES_MEMORY=2048
wait_healthy "$c"
expect_eq "$(psql_in "$c" "SHOW shared_buffers")" "256MB" "POSTGRES_MEMORY=2048 sizes for 2 GiB"
expect_contains "$(docker logs "$c" 2>&1)" "exceeds the container's memory limit" \
  "an override above the real limit is warned about"

c="$PREFIX-skip"
run_pg "$c" --memory 2g -e POSTGRES_SKIP_AUTOCONFIG=TRUE
wait_healthy "$c"
expect_eq "$(psql_in "$c" "SHOW shared_buffers")" "128MB" "skip: PostgreSQL's own default stays"
expect_eq "$(psql_in "$c" "SELECT source FROM pg_settings WHERE name = 'work_mem'")" "default" \
  "skip: no -c flag for work_mem"
expect_contains "$(docker logs "$c" 2>&1)" "auto-config skipped" "skip is logged"

# Every bad value: exit code 2, one error line naming the variable, PGDATA never created.
data=$(mktemp -d); chmod 777 "$data"
CLEANUP+=("rm -rf $data")
check_bad() {  # VAR=value message
  local name="$PREFIX-bad$((RANDOM))"
  local out code
  set +e
  out=$(docker run --name "$name" -v "$data:/var/lib/postgresql" -e POSTGRES_PASSWORD=x -e "$1" "$IMAGE" 2>&1)
  code=$?
  set -e
  docker rm -f -v "$name" >/dev/null 2>&1
  expect_eq "$code" 2 "$1 exits 2"
  expect_contains "$out" "${1%%=*}" "$1 error names the variable"
  expect_eq "$(ls -A "$data")" "" "$1 leaves PGDATA untouched"
}
check_bad POSTGRES_MEMORY=lots
check_bad POSTGRES_MEMORY=100
check_bad POSTGRES_CPUS=0
check_bad POSTGRES_SKIP_AUTOCONFIG=maybe
check_bad DISABLE_DATA_CHECKSUMS=sometimes
check_bad "POSTGRES_USER=pg_bad"
check_bad "POSTGRES_USER=it's"
check_bad "POSTGRES_DB=$(printf 'd%.0s' $(seq 1 64))"
check_bad POSTGRES_PASSWORD_FILE=/run/secrets/missing
check_bad POSTGRES_HOST_AUTH_METHOD=trust
check_bad "POSTGRES_INITDB_ARGS=--auth=trust"
check_bad PGDATA=relative/path
finish
