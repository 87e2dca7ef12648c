#!/usr/bin/env bash
# _FILE secrets work, and no password appears in the log, in any process's argv, or in the
# postmaster's environment.
source "$(dirname "$0")/lib.sh"
c=$PREFIX
secret_dir=$(mktemp -d)
CLEANUP+=("rm -rf $secret_dir")
file_pw="file_pw_$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
repl_pw="repl_pw_$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$file_pw" >"$secret_dir/pg"
chmod -R a+rX "$secret_dir"
CLEANUP+=("docker rm -f -v $c")
docker run -d --name "$c" -v "$secret_dir:/run/secrets:ro" -e POSTGRES_PASSWORD_FILE=/run/secrets/pg \
  -e REPLICATION_PASSWORD="$repl_pw" "$IMAGE" >/dev/null
for _ in $(seq 1 120); do
  docker exec "$c" aza-pg healthcheck >/dev/null 2>&1 && break; sleep 0.5
done
got=$(docker exec -e PGPASSWORD="$file_pw" "$c" psql -h 127.0.0.1 -U postgres -XtAc "SELECT 1" 2>&1)
expect_eq "$got" 1 "login with the password from POSTGRES_PASSWORD_FILE"
bad=$(docker exec -e PGPASSWORD=wrong "$c" psql -h 127.0.0.1 -U postgres -XtAc "SELECT 1" 2>&1 || true)
expect_contains "$bad" "password authentication failed" "a wrong password is rejected"
role=$(docker exec -e PGPASSWORD="$file_pw" "$c" psql -U postgres -XtAc \
  "SELECT rolreplication::text || ',' || rolinherit::text || ',' || rolconnlimit FROM pg_roles WHERE rolname = 'replicator'")
expect_eq "$role" "true,false,5" "replicator: REPLICATION NOINHERIT CONNECTION LIMIT 5"

log=$(docker logs "$c" 2>&1)
expect_not_contains "$log" "$file_pw" "postgres password not in the log"
expect_not_contains "$log" "$repl_pw" "replication password not in the log"
argv=$(docker exec "$c" bash -c 'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <"$f"; echo; done')
expect_not_contains "$argv" "$file_pw" "postgres password in no argv"
expect_not_contains "$argv" "$repl_pw" "replication password in no argv"
# /proc/<pid>/environ is readable only by the process's own user.
pm=$(docker exec --user postgres "$c" bash -c 'tr "\0" "\n" </proc/$(head -1 "$PGDATA/postmaster.pid")/environ')
expect_contains "$pm" "PGDATA=" "postmaster environment was read"
expect_not_contains "$pm" "POSTGRES_PASSWORD" "postmaster environment has no password variable"
expect_not_contains "$pm" "$repl_pw" "postmaster environment has no replication password"
finish
