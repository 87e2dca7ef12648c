#!/usr/bin/env bash
# 02-replication.sh — every stack: when REPLICATION_PASSWORD (or _FILE) is set, create the
# replicator role (LOGIN REPLICATION NOINHERIT, CONNECTION LIMIT 5, SCRAM) and its physical
# slot. The password reaches psql through the environment (\getenv), never argv, and the
# session turns statement and audit logging off so it never reaches the log.
set -euo pipefail

if [ -n "${REPLICATION_PASSWORD_FILE:-}" ]; then
  REPLICATION_PASSWORD=$(<"$REPLICATION_PASSWORD_FILE")
  export REPLICATION_PASSWORD
fi
if [ -z "${REPLICATION_PASSWORD:-}" ]; then
  echo "02-replication: REPLICATION_PASSWORD not set: replication stays disabled"
  exit 0
fi
slot=${REPLICATION_SLOT_NAME:-replica_1}
if [[ ! $slot =~ ^[a-z0-9_]{1,63}$ ]]; then
  echo "02-replication: REPLICATION_SLOT_NAME='$slot': use a-z, 0-9 and _" >&2
  exit 1
fi
export REPLICATION_SLOT_NAME=$slot

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --dbname=postgres <<'SQL'
SET pgaudit.log = 'none';
SET log_statement = 'none';
\getenv pass REPLICATION_PASSWORD
\getenv slot REPLICATION_SLOT_NAME
CREATE ROLE replicator WITH LOGIN REPLICATION NOINHERIT CONNECTION LIMIT 5 PASSWORD :'pass';
SELECT pg_create_physical_replication_slot(:'slot');
SQL
echo "02-replication: role replicator and slot $slot created"
