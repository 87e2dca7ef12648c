#!/usr/bin/env bash
# The single stack: compose brings it up healthy, tuned for its memory limit, with its own
# configuration (no replication, WAL archived to its pgbackrest volume, so a backup works),
# published on 127.0.0.1 only, and a compose stop is a clean fast shutdown.
source "$(dirname "$0")/lib.sh"
dir="$(cd "$(dirname "$0")/../../stacks/single" && pwd)"
project="aza-test-single-$$"
envf=$(mktemp)
printf 'POSTGRES_PASSWORD=%s\nPOSTGRES_PORT=25440\nPOSTGRES_MEMORY_LIMIT=1g\nAZA_IMAGE_TAG=%s\n' \
  "$TEST_PASSWORD" "${AZA_IMAGE_TAG:-dev}" >"$envf"
compose() { docker compose -p "$project" --project-directory "$dir" -f "$dir/compose.yml" --env-file "$envf" "$@"; }
CLEANUP+=("rm -f $envf" "compose down -v")  # run last to first
compose up -d --wait --wait-timeout 180 >/dev/null 2>&1 && pass "single stack healthy" || fail "single stack not healthy"
c="${project}-postgres-1"
expect_eq "$(psql_in "$c" "SHOW shared_buffers")" 128MB "tuned for the 1 GiB limit"
expect_eq "$(psql_in "$c" "SELECT current_setting('max_wal_senders') || ',' || current_setting('archive_mode')")" \
  "0,on" "the stack's own postgresql.conf is in effect"
expect_contains "$(docker exec "$c" aza-pg backup 2>&1)" "backup: full" "a backup of the single stack"
expect_eq "$(psql_in "$c" "SHOW io_method")" worker "the shared base configuration is included"
expect_eq "$(docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostIp}}{{end}}{{end}}' "$c")" \
  127.0.0.1 "published on 127.0.0.1 only"
compose stop >/dev/null 2>&1
expect_eq "$(docker inspect -f '{{.State.ExitCode}}' "$c")" 0 "compose stop: clean exit"
finish
