#!/usr/bin/env bash
# Starts a replica of the local primary stack (started by `make up`) on this machine: the
# replica joins the primary's backend network and clones it over the replication slot.
# Writes stacks/replica/.env (0600) from the primary's secrets.
set -euo pipefail
primary_env=stacks/primary/.env
replica_dir=stacks/replica
say() { printf 'up-replica: %s\n' "$*" >&2; }
get() { grep -E "^$1=" "$primary_env" | tail -1 | cut -d= -f2-; }

[ -f "$primary_env" ] || { say "no $primary_env: run 'make up' first"; exit 1; }
[ -n "$(get REPLICATION_PASSWORD)" ] || {
  say "REPLICATION_PASSWORD is empty in $primary_env: the primary was initialized without replication"
  exit 1
}
umask 077
{
  echo "PRIMARY_HOST=postgres"
  echo "PRIMARY_NETWORK=aza-pg-primary_backend"
  for v in REPLICATION_PASSWORD REPLICATION_SLOT_NAME POSTGRES_PASSWORD EXPORTER_PASSWORD AZA_IMAGE_TAG; do
    echo "$v=$(get "$v")"
  done
} >"$replica_dir/.env"
chmod 600 "$replica_dir/.env"
say "starting the replica (docker compose up -d --wait)"
docker compose --project-directory "$replica_dir" -f "$replica_dir/compose.yml" \
  -f "$replica_dir/compose.local.yml" up -d --wait --wait-timeout 300
cat <<MSG

aza-pg replica is streaming from the primary. Read-only connections:
  postgresql://postgres:\$POSTGRES_PASSWORD@127.0.0.1:5433/postgres
metrics: http://127.0.0.1:9188/metrics   promote: make promote-replica
MSG
