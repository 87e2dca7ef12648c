#!/usr/bin/env bash
# A failing init script stops the first start with a non-zero exit, and the next start
# refuses the half-initialized data directory instead of running on it, naming the script.
source "$(dirname "$0")/lib.sh"
c=$PREFIX
vol="$PREFIX-data"
scripts=$(mktemp -d)
CLEANUP+=("docker volume rm $vol" "rm -rf $scripts")
printf 'CREATE TABLE ok_before (x int);\n' >"$scripts/01-good.sql"
printf 'SELECT this_function_does_not_exist();\n' >"$scripts/02-bad.sql"
chmod -R a+rX "$scripts"

run_pg "$c" -v "$vol:/var/lib/postgresql" -v "$scripts:/docker-entrypoint-initdb.d:ro"
code=$(wait_exit "$c" 90)
[ "$code" != 0 ] && [ "$code" != timeout ] && pass "failing init script: exit $code" || fail "exit code $code"
log=$(docker logs "$c" 2>&1)
expect_contains "$log" "init script 02-bad.sql failed" "the log names the failing script"
docker rm -f -v "$c" >/dev/null

run_pg "$c" -v "$vol:/var/lib/postgresql"
code=$(wait_exit "$c" 30)
expect_eq "$code" 1 "the next start refuses"
log=$(docker logs "$c" 2>&1)
expect_contains "$log" "first start did not finish: init script 02-bad.sql failed" "the refusal names the script"
expect_contains "$log" "docker compose down -v" "the refusal says how to start over"
finish
