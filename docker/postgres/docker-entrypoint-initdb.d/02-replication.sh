#!/usr/bin/env bash
# 02-replication.sh — every stack: when REPLICATION_PASSWORD (or _FILE) is set, create the
# replicator role (LOGIN REPLICATION NOINHERIT, CONNECTION LIMIT 5, SCRAM) and its physical
# slot. aza-pg has resolved REPLICATION_PASSWORD_FILE and validated the slot name. The password
# reaches psql through the environment (\getenv), never argv, and the session turns statement
# and audit logging off so it never reaches the log.
set -euo pipefail

if [ -z "${REPLICATION_PASSWORD:-}" ]; then
  echo "02-replication: REPLICATION_PASSWORD not set: replication stays disabled"
  exit 0
fi
slot=${REPLICATION_SLOT_NAME:-replica_1}
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
