#!/usr/bin/env bash
# Usage: up.sh STACK_DIR — starts a stack: writes STACK_DIR/.env with random secrets (0600)
# when none exists, runs compose up --wait, then prints ready-to-paste connection strings.
set -euo pipefail
dir=$1
env_file=$dir/.env
say() { printf 'up: %s\n' "$*" >&2; }
random() { head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32; }

if [ ! -f "$env_file" ]; then
  say "writing $env_file with random secrets (mode 0600, git-ignored)"
  umask 077
  sed -E "s/^(POSTGRES_PASSWORD|APP_PASSWORD|PGBOUNCER_AUTH_PASS|PGBOUNCER_STATS_PASS|EXPORTER_PASSWORD|REPLICATION_PASSWORD)=.*/\1=__RANDOM__/" \
    "$dir/.env.example" | while IFS= read -r line; do
      [[ $line == *=__RANDOM__ ]] && line="${line%__RANDOM__}$(random)"
      printf '%s\n' "$line"
    done >"$env_file"
  chmod 600 "$env_file"
fi
# The base image this machine built from (debootstrap where no registry answers).
[ -f build/base-image ] && export AZA_BASE_IMAGE=${AZA_BASE_IMAGE:-$(cat build/base-image)}

say "starting $(basename "$dir") (docker compose up -d --wait)"
if ! docker compose --project-directory "$dir" -f "$dir/compose.yml" up -d --wait --wait-timeout 300; then
  docker compose --project-directory "$dir" -f "$dir/compose.yml" ps >&2
  docker compose --project-directory "$dir" -f "$dir/compose.yml" logs --tail 30 >&2
  exit 1
fi

get() { grep -E "^$1=" "$env_file" | tail -1 | cut -d= -f2-; }
# Percent-encodes a URL component byte by byte, so names like "my app" or "it's" paste as is.
uri() {
  local LC_ALL=C s=$1 out='' c i
  for (( i = 0; i < ${#s}; i++ )); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
  done
  printf '%s' "$out"
}
pg_ip=$(get POSTGRES_BIND_IP); pg_port=$(get POSTGRES_PORT)
app_user=$(uri "$(get APP_USER)"); app_db=$(uri "$(get APP_DB)")
cat <<MSG

aza-pg $(basename "$dir") stack is up. Passwords are in $env_file.
  applications (PgBouncer, transaction pooling):
    postgresql://${app_user}:\$APP_PASSWORD@${pg_ip:-127.0.0.1}:$(get PGBOUNCER_PORT)/${app_db}
  administration (direct, superuser):
    postgresql://postgres:\$POSTGRES_PASSWORD@${pg_ip:-127.0.0.1}:${pg_port}/postgres
  metrics (Prometheus):
    http://$(get EXPORTER_BIND_IP):$(get EXPORTER_PORT)/metrics
  e.g.  set -a; . $env_file; set +a; psql "postgresql://${app_user}:\$APP_PASSWORD@127.0.0.1:$(get PGBOUNCER_PORT)/${app_db}"
  or    make psql
MSG
