#!/usr/bin/env bash
# A mistake in the first start cannot brick the volume: every row below exits 2 (or prints and
# exits 0) with one line naming the input, and leaves the volume with nothing in PGDATA, so
# the corrected start on the same volume works. The init-time server is invisible to
# pg_isready, and init scripts written for the official image run unchanged.
source "$(dirname "$0")/lib.sh"
vol="$PREFIX-data"
CLEANUP+=("docker volume rm $vol")
docker volume create "$vol" >/dev/null

# pgdata_entries: what the volume's PGDATA holds now (nothing after an undone first start).
pgdata_entries() {
  docker run --rm -v "$vol:/var/lib/postgresql" --entrypoint bash "$IMAGE" \
    -c 'ls -A /var/lib/postgresql/18/docker 2>/dev/null | tr "\n" " "'
}

# bad_start WANT_CODE NEEDLE [docker run options...] [-- command...]
bad_start() {
  local want=$1 needle=$2; shift 2
  local name="$PREFIX-bad$((RANDOM))" code log
  run_pg "$name" -v "$vol:/var/lib/postgresql" "$@"
  code=$(wait_exit "$name" 120)
  log=$(docker logs "$name" 2>&1)
  docker rm -f "$name" >/dev/null
  local what="${*: -1}"
  expect_eq "$code" "$want" "$what: exit $want"
  expect_contains "$log" "$needle" "$what: the log names it"
  expect_eq "$(pgdata_entries)" "" "$what: nothing kept in PGDATA"
}

bad_start 2 "POSTGRES_USER='pg_admin'" -e POSTGRES_USER=pg_admin
bad_start 2 "POSTGRES_DB='template0'" -e POSTGRES_DB=template0
bad_start 2 "POSTGRES_INITDB_ARGS='--locale=xx_XX.UTF-8'" -e POSTGRES_INITDB_ARGS=--locale=xx_XX.UTF-8
bad_start 2 "POSTGRES_INITDB_ARGS='--encoding=NOPE'" -e POSTGRES_INITDB_ARGS=--encoding=NOPE
bad_start 2 "POSTGRES_MEMORY=" -e POSTGRES_MEMORY=64TB
bad_start 2 "memory limit is 32" --memory 32m
bad_start 2 "/dev/shm is 1" --shm-size 1m
bad_start 2 "-c no_such_setting=1" -- postgres -c no_such_setting=1
bad_start 2 "-c shared_buffers=64GB" -- postgres -c shared_buffers=64GB

# Informational flags print and touch nothing, as in the official image.
for flag in --version -V --help; do
  name="$PREFIX-info$((RANDOM))"
  run_pg "$name" -v "$vol:/var/lib/postgresql" -- "$flag"
  code=$(wait_exit "$name" 30)
  out=$(docker logs "$name" 2>&1)
  docker rm -f "$name" >/dev/null
  expect_eq "$code" 0 "$flag: exit 0"
  expect_contains "$out" "postgres" "$flag: printed"
  expect_eq "$(pgdata_entries)" "" "$flag: nothing written"
done

# Official-style init scripts (executable, sourced, .sql.gz), one of them slow, with names the
# official image's own tests use. pg_isready must see no server while they run.
scripts=$(mktemp -d)
CLEANUP+=("rm -rf $scripts")
cat >"$scripts/10-exec.sh" <<'SH'
#!/bin/bash
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<-EOSQL
	CREATE TABLE from_exec (x int);
	INSERT INTO from_exec VALUES (1);
EOSQL
SH
chmod +x "$scripts/10-exec.sh"
cat >"$scripts/20-sourced.sh" <<'SH'
docker_process_sql <<<'CREATE TABLE from_sourced AS SELECT current_user::text AS who'
"${psql[@]}" -c 'INSERT INTO from_sourced VALUES ($$via psql array$$)'
sleep 8
SH
printf 'CREATE TABLE from_gz (x int);\n' | gzip >"$scripts/30-data.sql.gz"
chmod -R a+rX "$scripts"

c="$PREFIX-good"
run_pg "$c" -v "$vol:/var/lib/postgresql" -v "$scripts:/docker-entrypoint-initdb.d:ro" \
  -e POSTGRES_USER="my cool postgres user" -e POSTGRES_DB="my cool postgres database"
seen_script=false ready_during_init=false
for _ in $(seq 1 120); do
  log=$(docker logs "$c" 2>&1)
  if grep -q "init: running 20-sourced.sh" <<<"$log" && ! grep -q "init: complete" <<<"$log"; then
    seen_script=true
    docker exec "$c" pg_isready -q && ready_during_init=true
  fi
  grep -q "init: complete" <<<"$log" && break
  sleep 0.5
done
expect_eq "$seen_script" true "the slow init script was observed running"
expect_eq "$ready_during_init" false "pg_isready reports no server while init scripts run"
wait_healthy "$c" || fail "the corrected start on the same volume is healthy"
expect_eq "$(docker exec "$c" pg_isready -q && echo up)" up "pg_isready answers once the real server runs"
q() { docker exec -e PGPASSWORD="$TEST_PASSWORD" "$c" psql -h 127.0.0.1 -U "my cool postgres user" \
  -d "my cool postgres database" -XtAq -v ON_ERROR_STOP=1 -c "$1"; }
expect_eq "$(q "SELECT count(*) FROM from_exec")" 1 "executable .sh ran with POSTGRES_USER and POSTGRES_DB"
expect_eq "$(q "SELECT string_agg(who, ',' ORDER BY who) FROM from_sourced")" \
  "my cool postgres user,via psql array" "sourced .sh ran with docker_process_sql and \${psql[@]}"
expect_eq "$(q "SELECT count(*) FROM from_gz")" 0 ".sql.gz ran"
finish
