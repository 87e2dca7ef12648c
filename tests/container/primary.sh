#!/usr/bin/env bash
# The primary stack: the guide's four critical tests through the real PgBouncer and
# exporter, plus authentication hardening, the lookup function, role limits, bindings,
# metrics, a real node-postgres client and pgAudit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stack.sh"
project="aza-test-primary-$$"
envf=$(mktemp)
stack_up "$project" "$envf" || { fail "stack did not become healthy"; finish; }
pg="${project}-postgres-1"
app_pw=$(env_get "$envf" APP_PASSWORD)
su_pw=$(env_get "$envf" POSTGRES_PASSWORD)
stats_pw=$(env_get "$envf" PGBOUNCER_STATS_PASS)
bouncer_url() { echo "postgresql://$1:$2@127.0.0.1:26432/${3:-appdb}"; }
# psql from the host, through the published ports (the client is the image's psql 18).
client() { docker run --rm --network host --entrypoint psql "$IMAGE" -XtAq "$@"; }
su_sql() { docker exec -e PGPASSWORD="$su_pw" "$pg" psql -U postgres -d "${2:-postgres}" -XtAq -v ON_ERROR_STOP=1 -c "$1"; }

# (1) Extensions through 6432, as the application role.
ext=$(client "$(bouncer_url app "$app_pw")" -c "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")
expect_eq "$ext" "pg_stat_statements,pg_trgm,pgaudit,plpgsql,vector" "extensions visible through PgBouncer"
expect_eq "$(client "$(bouncer_url app "$app_pw")" -c "SELECT '[1,2]'::vector <-> '[4,6]'")" 5 "vector query through PgBouncer"

# (2) Auto-config lines in the postgres log.
log=$(docker logs "$pg" 2>&1)
expect_contains "$log" "detected RAM=2048MB" "auto-config: detected memory logged"
expect_contains "$log" "tuned shared_buffers=256MB" "auto-config: tuned values logged"

# (3) PgBouncer auth as the application user, SHOW POOLS as the stats user.
expect_eq "$(client "$(bouncer_url app "$app_pw")" -c "SELECT current_user")" app "app logs in through 6432"
pools=$(client "$(bouncer_url pgbouncer_stats "$stats_pw" pgbouncer)" -c "SHOW POOLS")
expect_contains "$pools" "appdb|app|" "SHOW POOLS lists the app pool"
mode=$(client "$(bouncer_url pgbouncer_stats "$stats_pw" pgbouncer)" -c "SHOW CONFIG" | grep '^pool_mode|')
expect_contains "$mode" "transaction" "transaction pooling"

# Authentication hardening.
expect_contains "$(client "$(bouncer_url app wrong-password)" -c "SELECT 1" 2>&1 || true)" "authentication failed" "wrong password rejected"
for method in md5 password; do
  out=$(client "$(bouncer_url app "$app_pw")?require_auth=$method" -c "SELECT 1" 2>&1 || true)
  expect_contains "$out" "server requested SASL authentication" "client asking for $method is refused by PgBouncer"
  out=$(client "postgresql://app:$app_pw@127.0.0.1:25432/appdb?require_auth=$method" -c "SELECT 1" 2>&1 || true)
  expect_contains "$out" "server requested SASL authentication" "client asking for $method is refused by PostgreSQL"
done
out=$(client "$(bouncer_url postgres "$su_pw" postgres)" -c "SELECT 1" 2>&1 || true)
grep -qE "authentication failed|no such user" <<<"$out" && pass "a superuser cannot log in through PgBouncer" || fail "superuser through PgBouncer: $out"
su_sql "CREATE ROLE expired_user LOGIN PASSWORD 'expired-user-pw-1' VALID UNTIL '2001-01-01'"
out=$(client "$(bouncer_url expired_user expired-user-pw-1)" -c "SELECT 1" 2>&1 || true)
expect_contains "$out" "authentication failed" "a role past VALID UNTIL cannot log in through PgBouncer"

# The lookup function: not for PUBLIC, not for the app role, immune to search_path tricks.
expect_eq "$(su_sql "SELECT has_function_privilege('app', 'pgbouncer.user_lookup(text)', 'EXECUTE')")" f "app role cannot execute the lookup"
expect_eq "$(su_sql "SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE p.proname = 'user_lookup' AND a.grantee = 0")" 0 "PUBLIC has no EXECUTE on the lookup"
expect_eq "$(su_sql "SELECT prosecdef::text || ',' || array_to_string(proconfig, ';') FROM pg_proc WHERE proname = 'user_lookup'")" \
  "true,search_path=pg_catalog, pg_temp" "SECURITY DEFINER with a pinned search_path"
out=$(client "$(bouncer_url app "$app_pw" postgres)" -c "SELECT * FROM pgbouncer.user_lookup('app')" 2>&1 || true)
expect_contains "$out" "permission denied" "calling the lookup as app is denied"
real=$(su_sql "SELECT rolpassword FROM pg_authid WHERE rolname = 'app'")
su_sql "CREATE SCHEMA evil;
  CREATE TABLE evil.pg_authid (rolname name, rolpassword text, rolcanlogin bool, rolsuper bool, rolvaliduntil timestamptz);
  INSERT INTO evil.pg_authid VALUES ('app', 'SCRAM-SHA-256\$4096:ZmFrZQ==\$ZmFrZQ==:ZmFrZQ==', true, false, NULL);
  CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS 'SELECT ''1900-01-01''::timestamptz';
  GRANT USAGE ON SCHEMA evil TO PUBLIC; GRANT SELECT ON evil.pg_authid TO PUBLIC;
  ALTER ROLE pgbouncer_auth SET search_path = evil, pg_catalog"
auth_pw=$(env_get "$envf" PGBOUNCER_AUTH_PASS)
got=$(docker exec -e PGPASSWORD="$auth_pw" "$pg" psql -h 127.0.0.1 -U pgbouncer_auth -d postgres -XtAc "SELECT phash FROM pgbouncer.user_lookup('app')")
expect_eq "$got" "$real" "search_path hijack: the lookup still reads pg_catalog.pg_authid"
expect_eq "$(client "$(bouncer_url app "$app_pw")" -c "SELECT 1")" 1 "app still logs in after the hijack attempt"
su_sql "ALTER ROLE pgbouncer_auth RESET search_path; DROP SCHEMA evil CASCADE"

# Role limits and NOINHERIT.
expect_eq "$(su_sql "SELECT string_agg(rolname || ':' || rolinherit || ':' || rolconnlimit, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('pgbouncer_auth', 'replicator', 'postgres_exporter')")" \
  "pgbouncer_auth:false:10,postgres_exporter:false:3,replicator:false:5" "service roles: NOINHERIT and their connection limits"
su_sql "CREATE TABLE app_secret (x int); GRANT pg_read_all_data TO pgbouncer_auth" appdb
out=$(docker exec -e PGPASSWORD="$auth_pw" "$pg" psql -h 127.0.0.1 -U pgbouncer_auth -d appdb -XtAc "SELECT count(*) FROM app_secret" 2>&1 || true)
expect_contains "$out" "permission denied" "NOINHERIT: a granted role's privileges are not inherited"
su_sql "REVOKE pg_read_all_data FROM pgbouncer_auth"
repl_pw=$(env_get "$envf" REPLICATION_PASSWORD)
for _ in 1 2 3 4 5; do
  docker exec -d -e PGPASSWORD="$repl_pw" "$pg" psql -h 127.0.0.1 -U replicator -d postgres -XtAc "SELECT pg_sleep(20)"
done
for _ in $(seq 1 40); do
  [ "$(su_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'replicator'")" -ge 5 ] && break; sleep 0.25
done
out=$(docker exec -e PGPASSWORD="$repl_pw" "$pg" psql -h 127.0.0.1 -U replicator -d postgres -XtAc "SELECT 1" 2>&1 || true)
expect_contains "$out" "too many connections for role \"replicator\"" "the sixth replicator connection is refused"

# Published ports listen on 127.0.0.1 only by default.
for svc in postgres pgbouncer exporter; do
  binding=$(docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostIp}} {{end}}{{end}}' "${project}-${svc}-1")
  expect_eq "$(xargs <<<"$binding")" "127.0.0.1" "$svc is published on 127.0.0.1 only"
done

# The exporter: valid exposition format, custom and PG18 collectors, not a superuser.
metrics=$(curl -sS http://127.0.0.1:29187/metrics || true)
expect_not_contains "$metrics" "An error has occurred" "the exporter serves metrics without collector errors"
lint_rc=0; lint=$(promtool check metrics <<<"$metrics" 2>&1) || lint_rc=$?
# Parse errors fail; naming lints on the exporter's upstream metrics (it mirrors PostgreSQL
# setting names) are reported; our own aza_* metrics must be lint-free.
expect_not_contains "$lint" "error while linting" "promtool parses the exposition format"
expect_eq "$(grep '^aza_' <<<"$lint" || true)" "" "promtool: no lint findings on aza_* metrics"
echo "promtool: $(grep -c . <<<"$lint" || true) naming lints on upstream metrics (rc $lint_rc)"
for m in pg_up aza_replication_lag_seconds aza_postmaster_start_time_seconds 'aza_memory_settings_bytes{name="shared_buffers"' pg_stat_checkpointer_ pg_stat_statements_ aza_slot_retained_wal_bytes 'aza_wal_archive_enabled 1' aza_wal_archive_waiting_segments; do
  expect_contains "$metrics" "$m" "metric $m"
done
expect_eq "$(grep -E '^pg_up ' <<<"$metrics" | awk '{print $2}')" 1 "pg_up is 1"
expect_eq "$(su_sql "SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres_exporter'")" f "exporter role is not a superuser"

# A real application client: node-postgres, 50 connections, prepared statements, 30 s.
client_dir="$(cd "$(dirname "$0")/../client" && pwd)"
(cd "$client_dir" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) || fail "npm ci"
out=$(cd "$client_dir" && DATABASE_URL="$(bouncer_url app "$app_pw")" CONNECTIONS=50 DURATION_S=${CLIENT_SECONDS:-30} node client.js 2>&1)
echo "node client: $out"
expect_contains "$out" "errors=0" "node-postgres: 50 connections, prepared statements, zero errors"

# pgAudit: DDL, write and role statements, each logged once.
su_sql "CREATE TABLE audit_probe_t (x int)" appdb
su_sql "INSERT INTO audit_probe_t VALUES (1)" appdb
su_sql "CREATE ROLE audit_probe_role"
sleep 1
log=$(docker logs "$pg" 2>&1)
expect_eq "$(grep -c 'AUDIT: SESSION,.*,DDL,CREATE TABLE,.*audit_probe_t' <<<"$log")" 1 "pgAudit: the DDL once"
expect_eq "$(grep -c 'AUDIT: SESSION,.*,WRITE,INSERT,.*audit_probe_t' <<<"$log")" 1 "pgAudit: the write once"
expect_eq "$(grep -c 'AUDIT: SESSION,.*,ROLE,CREATE ROLE,.*audit_probe_role' <<<"$log")" 1 "pgAudit: the role change once"
for secret in "$app_pw" "$su_pw" "$auth_pw" "$repl_pw" "$stats_pw"; do
  grep -qF "$secret" <<<"$(stack_compose "$project" "$envf" logs 2>&1)" && fail "a password appears in the stack's logs" || true
done
pass "no stack password appears in any service log"
finish
