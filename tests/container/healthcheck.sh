#!/usr/bin/env bash
# The healthcheck is unhealthy while init scripts run on the socket-only server, and
# healthy only once the real server answers over TCP.
source "$(dirname "$0")/lib.sh"
c=$PREFIX
scripts=$(mktemp -d)
CLEANUP+=("rm -rf $scripts")
printf '#!/bin/bash\ntouch /tmp/slow-init-started\nsleep 8\n' >"$scripts/01-slow.sh"
chmod -R a+rX "$scripts"
run_pg "$c" -v "$scripts:/docker-entrypoint-initdb.d:ro"
for _ in $(seq 1 120); do docker exec "$c" test -e /tmp/slow-init-started 2>/dev/null && break; sleep 0.25; done
out=$(docker exec "$c" aza-pg healthcheck 2>&1 || true)
expect_contains "$out" "unhealthy" "unhealthy while the slow init script runs"
code=$(docker exec "$c" aza-pg healthcheck >/dev/null 2>&1; echo $?)
expect_eq "$code" 1 "healthcheck exit code 1 during init"
wait_healthy "$c" 60 && pass "healthy after init" || fail "never healthy"
expect_contains "$(docker exec "$c" aza-pg healthcheck)" "healthy: primary" "healthcheck names the role"
finish
