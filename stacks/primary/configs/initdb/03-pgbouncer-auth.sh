#!/usr/bin/env bash
# 03-pgbouncer-auth.sh — primary stack: the pgbouncer_auth role and the lookup function
# PgBouncer's auth_query calls (auth_dbname = postgres, so it lives in postgres only).
# Hardening (research/stacks.md §5): SECURITY DEFINER owned by the superuser in its own
# schema, search_path pinned to pg_catalog, pg_temp and every operator schema-qualified
# (CVE-2025-12819), no password for expired roles (CVE-2025-2291), never superusers or the
# service roles, EXECUTE only for pgbouncer_auth. aza-pg has resolved PGBOUNCER_AUTH_PASS_FILE;
# the password reaches psql through the environment (\getenv), never argv or a file, and the
# session does not log statements.
set -euo pipefail

if [ -z "${PGBOUNCER_AUTH_PASS:-}" ]; then
  echo "03-pgbouncer-auth: PGBOUNCER_AUTH_PASS (or PGBOUNCER_AUTH_PASS_FILE) is required" >&2
  exit 1
fi

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --dbname=postgres <<'SQL'
SET pgaudit.log = 'none';
SET log_statement = 'none';
\getenv pass PGBOUNCER_AUTH_PASS
CREATE ROLE pgbouncer_auth WITH LOGIN NOINHERIT CONNECTION LIMIT 10 PASSWORD :'pass';
\unset pass

CREATE SCHEMA pgbouncer AUTHORIZATION CURRENT_USER;
REVOKE ALL ON SCHEMA pgbouncer FROM PUBLIC;
GRANT USAGE ON SCHEMA pgbouncer TO pgbouncer_auth;

-- RETURNS TABLE: an unknown (or excluded) role yields no row, which PgBouncer treats as a
-- failed login; a single record would yield a row of NULLs ("bouncer config error").
CREATE FUNCTION pgbouncer.user_lookup(i_username text)
  RETURNS TABLE (uname text, phash text)
  LANGUAGE sql STABLE STRICT SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT a.rolname::pg_catalog.text,
         CASE WHEN a.rolvaliduntil IS NOT NULL
                   AND a.rolvaliduntil OPERATOR(pg_catalog.<) pg_catalog.now()
              THEN NULL ELSE a.rolpassword END
    FROM pg_catalog.pg_authid AS a
   WHERE a.rolname OPERATOR(pg_catalog.=) i_username::pg_catalog.name
     AND a.rolcanlogin
     AND NOT a.rolsuper
     AND a.rolname OPERATOR(pg_catalog.<>) ALL
         (ARRAY['pgbouncer_auth', 'replicator', 'postgres_exporter']::pg_catalog.name[])
$$;
REVOKE ALL ON FUNCTION pgbouncer.user_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgbouncer.user_lookup(text) TO pgbouncer_auth;
SQL
echo "03-pgbouncer-auth: role pgbouncer_auth and pgbouncer.user_lookup() created"
