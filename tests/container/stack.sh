#!/usr/bin/env bash
# tests/container/stack.sh — starting and stopping the primary stack as its own compose
# project with random secrets and test ports. Sourced after lib.sh.
STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../stacks/primary" && pwd)"

# stack_up PROJECT ENVFILE [VAR=value...]: writes ENVFILE and starts the stack, waiting for
# every healthcheck.
stack_up() {
  local project=$1 env_file=$2; shift 2
  {
    for v in POSTGRES_PASSWORD APP_PASSWORD PGBOUNCER_AUTH_PASS PGBOUNCER_STATS_PASS EXPORTER_PASSWORD REPLICATION_PASSWORD; do
      echo "$v=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    done
    echo "APP_USER=app"; echo "APP_DB=appdb"
    echo "POSTGRES_PORT=25432"; echo "PGBOUNCER_PORT=26432"; echo "EXPORTER_PORT=29187"
    echo "AZA_IMAGE_TAG=${AZA_IMAGE_TAG:-dev}"
    for kv in "$@"; do echo "$kv"; done
  } >"$env_file"
  CLEANUP+=("stack_down $project $env_file")
  stack_compose "$project" "$env_file" up -d --wait --wait-timeout 240 >/dev/null 2>&1 || {
    stack_compose "$project" "$env_file" ps; stack_compose "$project" "$env_file" logs --tail 40
    return 1
  }
}
stack_compose() {
  local project=$1 env_file=$2; shift 2
  docker compose -p "$project" --project-directory "$STACK_DIR" -f "$STACK_DIR/compose.yml" \
    --env-file "$env_file" "$@"
}
stack_down() { stack_compose "$1" "$2" down -v >/dev/null 2>&1; rm -f "$2"; }
env_get() { grep -E "^$2=" "$1" | tail -1 | cut -d= -f2-; }
