#!/usr/bin/env bash
# 04-roles.sh — primary stack: the exporter's role (pg_monitor, not a superuser), the
# application role that logs in through PgBouncer and owns POSTGRES_DB, and the guide's
# per-role connection limits. aza-pg has resolved every *_FILE and validated APP_USER (any name
# PostgreSQL accepts); passwords and names reach SQL through \getenv and psql's quoting.
set -euo pipefail

for var in EXPORTER_PASSWORD APP_PASSWORD; do
  if [ -z "${!var:-}" ]; then
    echo "04-roles: $var (or ${var}_FILE) is required" >&2
    exit 1
  fi
done
export APP_USER=${APP_USER:-app}

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --dbname=postgres <<'SQL'
SET pgaudit.log = 'none';
SET log_statement = 'none';
\getenv exporter_pass EXPORTER_PASSWORD
\getenv app_pass APP_PASSWORD
\getenv app_user APP_USER
\getenv app_db PGDATABASE
\getenv superuser PGUSER

-- NOINHERIT as a default, with pg_monitor's privileges granted explicitly (PostgreSQL 16+).
CREATE ROLE postgres_exporter WITH LOGIN NOINHERIT CONNECTION LIMIT 3 PASSWORD :'exporter_pass';
GRANT pg_monitor TO postgres_exporter WITH INHERIT TRUE;
-- pg_stat_statements lives in public (created by 01-extensions.sql).
ALTER ROLE postgres_exporter SET search_path = pg_catalog, public;

CREATE ROLE :"app_user" WITH LOGIN PASSWORD :'app_pass';
ALTER DATABASE :"app_db" OWNER TO :"app_user";
-- The guide's limit; PostgreSQL does not apply connection limits to superusers, so this
-- documents intent (use the app role through PgBouncer for applications).
ALTER ROLE :"superuser" CONNECTION LIMIT 50;
\connect :"app_db"
ALTER SCHEMA public OWNER TO :"app_user";
SQL
echo "04-roles: roles postgres_exporter and $APP_USER created"
