# shellcheck shell=bash
# initdb-helpers.sh — sourced by aza-pg before a non-executable *.sh init script, so scripts
# written for the official image's /docker-entrypoint-initdb.d run unchanged. aza-pg has
# already resolved every *_FILE: POSTGRES_USER, POSTGRES_DB and POSTGRES_PASSWORD are set,
# and PGHOST/PGPORT point at the temporary server's private socket.

# Runs SQL (from stdin or psql arguments) against POSTGRES_DB as POSTGRES_USER.
docker_process_sql() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" \
    --dbname "${POSTGRES_DB:-$POSTGRES_USER}" "$@"
}

# The official image's older helper: "${psql[@]}" runs docker_process_sql.
# shellcheck disable=SC2034  # used by the sourced script
psql=(docker_process_sql)

# file_env VAR [DEFAULT]: aza-pg resolved VAR_FILE already; this keeps scripts that call it
# working and applies the default.
file_env() {
  local var=$1 def=${2:-}
  if [ -z "${!var:-}" ] && [ -n "$def" ]; then
    printf -v "$var" '%s' "$def"
  fi
  export "${var?}"
}
