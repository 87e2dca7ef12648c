#!/usr/bin/env bash
# Usage: restore.sh STACK_DIR TARGET — `make restore`: restores the stack's pgBackRest
# repository into a new volume (never the running server's), starts a server on it with the
# stack's image, memory limit and passwords on 127.0.0.1:${RESTORE_PORT:-5433}, waits until it
# accepts queries, and prints how to connect and how to swap it in. TARGET is latest,
# time:TIMESTAMP, lsn:LSN, xid:XID or name:RESTORE_POINT.
set -euo pipefail
dir=$1 target=$2
say() { printf 'restore: %s\n' "$*" >&2; }
env_file=$dir/.env
[ -f "$env_file" ] || { say "no $env_file: this stack was never started (make up)"; exit 2; }
get() { grep -E "^$1=" "$env_file" | tail -1 | cut -d= -f2-; }
project=$(awk '$1 == "name:" { print $2; exit }' "$dir/compose.yml")
repo="${project}_pgbackrest"
image="aza-pg/postgres:$(get AZA_IMAGE_TAG)"
stamp=$(date -u +%Y%m%d-%H%M%S)
name="${project}-restored-$stamp"
port=${RESTORE_PORT:-5433}
docker volume inspect "$repo" >/dev/null 2>&1 || { say "no repository volume $repo"; exit 2; }
secrets=(-e "POSTGRES_PASSWORD=$(get POSTGRES_PASSWORD)")
[ -n "$(get BACKUP_CIPHER_PASS)" ] && secrets+=(-e "BACKUP_CIPHER_PASS=$(get BACKUP_CIPHER_PASS)")

say "restoring $repo to $target into the new volume $name"
start=$SECONDS
docker volume create "$name" >/dev/null
docker run --name "$name-restore" -v "$name:/var/lib/postgresql" -v "$repo:/var/lib/pgbackrest" \
  "${secrets[@]}" "$image" aza-pg restore --target "$target" || true
code=$(docker inspect -f '{{.State.ExitCode}}' "$name-restore")
docker rm "$name-restore" >/dev/null
if [ "$code" != 0 ]; then
  docker volume rm "$name" >/dev/null
  say "the restore failed (exit $code, the reason is above); nothing else was touched"
  exit "$code"
fi

say "starting a server on $name (127.0.0.1:$port), recovering to the target"
docker run -d --name "$name" -v "$name:/var/lib/postgresql" -v "$repo:/var/lib/pgbackrest" \
  --memory "$(get POSTGRES_MEMORY_LIMIT)" --shm-size "$(get POSTGRES_SHM_SIZE)" \
  -p "127.0.0.1:$port:5432" "${secrets[@]}" "$image" >/dev/null
for _ in $(seq 1 600); do
  docker exec "$name" aza-pg healthcheck >/dev/null 2>&1 && break
  [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 1
done
if ! docker exec "$name" aza-pg healthcheck >/dev/null 2>&1; then
  docker logs --tail 30 "$name" >&2
  say "the restored server did not become healthy; it and the volume $name are kept for a look"
  exit 1
fi
cat <<MSG

Restored to $target in $((SECONDS - start)) s and promoted: container $name, volume $name.
  connect:  psql "postgresql://postgres:\$POSTGRES_PASSWORD@127.0.0.1:$port/postgres"
  compare it with the running primary, then either remove it:
            docker rm -f $name && docker volume rm $name
  or make it the primary (README, "Backups and recovery": swapping in a restored volume).
MSG
