#!/usr/bin/env bash
# Backups and point-in-time recovery with real pgBackRest and real restores: WAL archived from
# the first segment, a full backup, rows written after it, a time T, a DROP TABLE; restored
# to T into a new volume the server has exactly the rows committed before T; restored to the
# latest point the table is gone; a restore over a volume that holds data is refused and
# leaves it untouched; a bad setting is refused before anything starts.
source "$(dirname "$0")/lib.sh"
c=$PREFIX vol="$PREFIX-data" repo="$PREFIX-repo"
CLEANUP+=("docker volume rm $vol $repo $PREFIX-pitr $PREFIX-latest")
archiving=(-c config_file=/etc/postgresql/postgresql.conf -c archive_mode=on
           -c "archive_command=pgbackrest --stanza=main archive-push %p")
run_pg "$c" -v "$vol:/var/lib/postgresql" -v "$repo:/var/lib/pgbackrest" -- postgres "${archiving[@]}"
wait_healthy "$c" || { fail "the archiving server is not healthy"; finish; }

psql_in "$c" "CREATE TABLE kept AS SELECT 42 AS answer;
  CREATE TABLE ledger (id int PRIMARY KEY, note text);
  INSERT INTO ledger SELECT g, 'before the backup' FROM generate_series(1, 1000) g" >/dev/null
out=$(docker exec "$c" aza-pg backup --type full 2>&1)
expect_contains "$out" "backup: full" "aza-pg backup logs one line for the backup"
expect_contains "$(docker exec "$c" aza-pg backups)" " full " "aza-pg backups lists it"
# The repository goes unwritable: archiving fails and says so (what the exporter's
# aza_wal_archive metrics read), the server keeps the WAL, and once it is writable again
# everything is archived: the restore to T below needs the rows written meanwhile.
archiver() { psql_in "$c" "SELECT failed_count || ' ' || (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') FROM pg_stat_archiver"; }
docker exec "$c" chmod -R a-w /var/lib/pgbackrest/archive
psql_in "$c" "INSERT INTO ledger SELECT g, 'after the backup' FROM generate_series(1001, 1500) g" >/dev/null
psql_in "$c" "SELECT pg_switch_wal()" >/dev/null
failing=false
for _ in $(seq 1 60); do
  read -r failed waiting <<<"$(archiver)"
  [ "$failed" -gt 0 ] && [ "$waiting" -gt 0 ] && { failing=true; break; }
  sleep 0.5
done
expect_eq "$failing" true "an unwritable repository shows as failed archiving with WAL waiting ($failed failed, $waiting waiting)"
docker exec "$c" chmod -R u+w /var/lib/pgbackrest/archive
target=$(psql_in "$c" "SELECT now()")
sleep 1
psql_in "$c" "DROP TABLE ledger" >/dev/null
segment=$(psql_in "$c" "SELECT pg_walfile_name(pg_switch_wal())")
archived=false
for _ in $(seq 1 60); do
  last=$(psql_in "$c" "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [[ "$last" > "$segment" || "$last" == "$segment" ]] && { archived=true; break; }
  sleep 0.5
done
expect_eq "$archived" true "the segment holding the DROP was archived ($segment)"

restore_log=$(mktemp)
CLEANUP+=("rm -f $restore_log")
# restore_into NAME VOLUME TARGET [REPO [docker run options...]]: runs aza-pg restore in a
# one-shot container; prints its exit code.
restore_into() {
  local name="$PREFIX-$1" vol=$2 to=$3 from=${4:-$repo}
  shift $(( $# < 4 ? $# : 4 ))
  docker run --name "$name" -v "$vol:/var/lib/postgresql" -v "$from:/var/lib/pgbackrest" "$@" "$IMAGE" \
    aza-pg restore --target "$to" >/dev/null 2>&1 || true
  docker inspect -f '{{.State.ExitCode}}' "$name"
  docker logs "$name" >"$restore_log" 2>&1
  docker rm -v "$name" >/dev/null
}
expect_eq "$(restore_into pitr-restore "$PREFIX-pitr" "time:$target")" 0 "restore to time T into a new volume"
run_pg "$c-pitr" -v "$PREFIX-pitr:/var/lib/postgresql" -v "$repo:/var/lib/pgbackrest"
wait_healthy "$c-pitr" 120 || fail "the server restored to T is not healthy"
expect_eq "$(psql_in "$c-pitr" "SELECT count(*) || '/' || count(*) FILTER (WHERE note = 'after the backup') FROM ledger")" \
  "1500/500" "restored to T: every row committed before T, the table not dropped"
expect_eq "$(psql_in "$c-pitr" "SELECT pg_is_in_recovery()")" f "the restored server was promoted"

expect_eq "$(restore_into latest-restore "$PREFIX-latest" latest)" 0 "restore to the latest point"
run_pg "$c-latest" -v "$PREFIX-latest:/var/lib/postgresql" -v "$repo:/var/lib/pgbackrest"
wait_healthy "$c-latest" 120 || fail "the server restored to the latest point is not healthy"
expect_eq "$(psql_in "$c-latest" "SELECT (SELECT answer FROM kept) || ',' || (to_regclass('ledger') IS NULL)")" \
  "42,true" "restored to the latest point: the data, and the DROP replayed"

docker stop "$c" >/dev/null
expect_eq "$(restore_into over "$vol" latest)" 2 "a restore over a volume that holds data is refused"
expect_contains "$(cat "$restore_log")" "is not empty: restore only into a new, empty volume" "the refusal says why"
docker start "$c" >/dev/null
wait_healthy "$c" && pass "the refused restore left the server's volume working" || fail "server after refused restore"

# An encrypted repository: nothing in it reads as plain text (compression off, so an
# unencrypted one would show the canary), a wrong passphrase is refused, the right one restores.
enc="$PREFIX-enc" erepo="$PREFIX-encrepo"
cipher="cipher_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CLEANUP+=("docker volume rm $erepo $PREFIX-encrestore $PREFIX-encwrong")
run_pg "$enc" -e BACKUP_CIPHER_PASS="$cipher" -e BACKUP_COMPRESS=none \
  -v "$erepo:/var/lib/pgbackrest" -- postgres "${archiving[@]}"
wait_healthy "$enc" || fail "the encrypting server is not healthy"
psql_in "$enc" "CREATE TABLE canary AS SELECT 'plaintext-canary-7f3a' AS v" >/dev/null
docker exec "$enc" aza-pg backup >/dev/null 2>&1
expect_contains "$(docker exec "$enc" su postgres -c 'pgbackrest --stanza=main info')" "cipher: aes-256-cbc" "the repository is encrypted"
plain=$(docker run --rm -v "$erepo:/r" --entrypoint bash "$IMAGE" -c 'grep -rlF plaintext-canary-7f3a /r | wc -l')
expect_eq "$plain" 0 "no repository file holds the data as plain text"
code=$(restore_into encwrong "$PREFIX-encwrong" latest "$erepo" -e BACKUP_CIPHER_PASS=wrong-pass)
[ "$code" != 0 ] && pass "a wrong passphrase is refused (exit $code)" || fail "a wrong passphrase restored"
expect_contains "$(cat "$restore_log")" "restore failed" "the wrong passphrase's failure is one line"
expect_eq "$(restore_into encrestore "$PREFIX-encrestore" latest "$erepo" -e BACKUP_CIPHER_PASS="$cipher")" \
  0 "the right passphrase restores"

# A backup killed midway leaves the repository consistent: the next backup works and
# pgbackrest verify finds nothing wrong. Then retention: with BACKUP_RETENTION_FULL 2 (the
# default), after three full backups the oldest and its WAL are gone.
psql_in "$c" "CREATE TABLE bulk AS SELECT g, md5(g::text) AS h FROM generate_series(1, 2000000) g" >/dev/null
first=$(docker exec "$c" su postgres -c 'pgbackrest --stanza=main info --output=json' | jq -r '.[0].backup[0].label')
# kill_backup SIGNAL: signals every pgBackRest backup process in the container; prints how many.
kill_backup() {
  docker exec "$c" bash -c 'n=0; for f in /proc/[0-9]*/cmdline; do
    if tr "\0" " " <"$f" 2>/dev/null | grep -q "^pgbackrest .*backup"; then
      kill -"$1" "$(basename "$(dirname "$f")")" 2>/dev/null && n=$((n + 1)); fi; done; echo $n' _ "$1"
}
docker exec "$c" aza-pg backup --type full >"$restore_log" 2>&1 &
for _ in $(seq 1 100); do
  [ "$(kill_backup 0)" -gt 0 ] && break
  sleep 0.1
done
sleep 0.5
killed=$(kill_backup KILL)
wait || true
[ "$killed" -gt 0 ] && pass "a full backup was killed midway ($killed processes)" \
  || fail "no backup was running to kill: $(grep -E 'ERROR|aza-pg:' "$restore_log" | tail -3)"
expect_contains "$(docker exec "$c" aza-pg backup --type full 2>&1)" "backup: full" "a backup after a killed one works"
verify=$(docker exec "$c" su postgres -c 'pgbackrest --stanza=main verify' 2>&1) && pass "pgbackrest verify is clean after the kill" \
  || fail "pgbackrest verify: $(tail -3 <<<"$verify")"
docker exec "$c" aza-pg backup --type full >/dev/null 2>&1
labels=$(docker exec "$c" su postgres -c 'pgbackrest --stanza=main info --output=json' | jq -r '[.[0].backup[] | select(.type == "full") | .label] | join(" ")')
expect_eq "$(wc -w <<<"$labels" | tr -d ' ')" 2 "retention 2: two full backups kept ($labels)"
expect_not_contains "$labels" "$first" "the oldest full backup expired"

bad="$PREFIX-bad"
docker run --name "$bad" -e POSTGRES_PASSWORD=x -e BACKUP_COMPRESS=brotli "$IMAGE" >/dev/null 2>&1 || true
expect_eq "$(docker inspect -f '{{.State.ExitCode}}' "$bad")" 2 "BACKUP_COMPRESS=brotli exits 2"
expect_contains "$(docker logs "$bad" 2>&1)" "BACKUP_COMPRESS='brotli'" "the line names the variable"
docker rm -v "$bad" >/dev/null
finish
