#!/usr/bin/env bash
# Every role and database name PostgreSQL accepts works as in the official image: as
# POSTGRES_USER and POSTGRES_DB of a single container (healthcheck and a TCP login), and as
# APP_USER and APP_DB of the primary stack through PgBouncer, with passwords of the same
# characters; the exporter logs in with such a password. Each through a real connection.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/stack.sh"
names=(
  "my-app"
  "my cool postgres user"
  "a.b.c"
  "say \"hi\""
  "it's"
  'back\slash'
  "données-ü"
  "$(printf 'n%.0s' $(seq 1 63))"
)
# No " #" in it: compose reads that as the start of a comment in an unquoted .env value.
odd_pw='pw "double" '\''single'\'' back\slash-ü#hash'

# PostgreSQL 18 refuses a bootstrap superuser whose name holds " $ ' or \ (extension scripts
# quote it), so such a POSTGRES_USER is refused at once; any other role may have one.
superuser_ok() { [[ $1 != *[\"\$\'\\]* ]]; }

# Single containers, started together, then checked one by one.
for i in "${!names[@]}"; do
  n=${names[$i]} user=${names[$i]}
  superuser_ok "$n" || user="owner $i"
  run_pg "$PREFIX-$i" -e POSTGRES_USER="$user" -e POSTGRES_DB="$n" -e POSTGRES_PASSWORD="$odd_pw$i"
done
for i in "${!names[@]}"; do
  n=${names[$i]} user=${names[$i]} c="$PREFIX-$i"
  superuser_ok "$n" || user="owner $i"
  wait_healthy "$c" 120 || { fail "[$n] healthy"; continue; }
  got=$(docker exec -e PGHOST=127.0.0.1 -e PGUSER="$user" -e PGDATABASE="$n" -e PGPASSWORD="$odd_pw$i" \
    "$c" psql -XtAq -c "SELECT current_user || '|' || current_database()" 2>&1)
  expect_eq "$got" "$user|$n" "[$n] logs in over TCP into its own database (as $user)"
  docker rm -f -v "$c" >/dev/null
  if ! superuser_ok "$n"; then
    c="$PREFIX-refused-$i"
    run_pg "$c" -e POSTGRES_USER="$n"
    expect_eq "$(wait_exit "$c" 30)" 2 "[$n] as POSTGRES_USER: refused with exit 2"
    expect_contains "$(docker logs "$c" 2>&1)" "POSTGRES_USER=" "[$n] as POSTGRES_USER: the line names it"
  fi
done

# The primary stack: the application role and database through PgBouncer, the exporter.
app_user="app user's \"x\"-1" app_db="my-app db.${names[6]}"
project="aza-test-names-$$"
envf=$(mktemp)
stack_up "$project" "$envf" "APP_USER=$app_user" "APP_DB=$app_db" "APP_PASSWORD=$odd_pw-app" \
  "PGBOUNCER_AUTH_PASS=$odd_pw-auth" "EXPORTER_PASSWORD=$odd_pw-exp" || {
  fail "the primary stack with odd names did not become healthy"; finish; }
expect_eq "$(docker exec "$project-postgres-1" printenv APP_USER)" "$app_user" "compose passed the name unchanged"
expect_eq "$(docker exec "$project-postgres-1" printenv APP_PASSWORD)" "$odd_pw-app" "compose passed the password unchanged"
got=$(docker run --rm --network host -e PGHOST=127.0.0.1 -e PGPORT=26432 -e PGUSER="$app_user" \
  -e PGDATABASE="$app_db" -e PGPASSWORD="$odd_pw-app" --entrypoint psql "$IMAGE" -XtAq \
  -c "SELECT current_user || '|' || current_database()" 2>&1)
expect_eq "$got" "$app_user|$app_db" "through PgBouncer as the application role"
owner=$(docker exec -e PGPASSWORD="$(env_get "$envf" POSTGRES_PASSWORD)" "$project-postgres-1" psql -U postgres \
  -XtAq -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${app_db//\'/\'\'}'")
expect_eq "$owner" "$app_user" "the application role owns the application database"
up=$(curl -sS http://127.0.0.1:29187/metrics | grep -E '^pg_up ' | awk '{print $2}')
expect_eq "$up" 1 "the exporter logs in with a password of odd characters"
finish
