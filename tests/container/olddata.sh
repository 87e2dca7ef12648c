#!/usr/bin/env bash
# Never an empty database beside the operator's existing one: clusters where older images kept
# them (made by Debian's real PostgreSQL 15, and by aza-pg itself for the 18 layout) refuse the
# start with the path, the major and the next step, and stay byte-for-byte unchanged; the
# correct mount starts; POSTGRES_IGNORE_OLD_DATA=true starts anyway.
source "$(dirname "$0")/lib.sh"
pg15=$("$(dirname "$0")/../../scripts/old-postgres.sh" 15)
old=$(mktemp -d)
CLEANUP+=("rm -rf $old")
chown nobody "$old"
su -s /bin/bash nobody -c "LC_ALL=C.UTF-8 '$pg15/initdb' -D '$old/data' -U postgres --auth=trust" >/dev/null
fingerprint() {  # every path with its mode and size, and every file's content
  (cd "$1" && find . -printf '%p %m %s\n' | sort && find . -type f -exec sha256sum {} + | sort) | sha256sum
}
before=$(fingerprint "$old/data")

# start NAME WANT_CODE [docker run options...]: exit code, then the log.
start() {
  local name="$PREFIX-$1" want=$2 code; shift 2
  run_pg "$name" "$@"
  if [ "$want" = healthy ]; then
    wait_healthy "$name" && pass "$name: healthy" || fail "$name: not healthy"
  else
    code=$(wait_exit "$name" 60)
    expect_eq "$code" "$want" "$name: exit $want"
  fi
  LOG=$(docker logs "$name" 2>&1)
  docker rm -f -v "$name" >/dev/null
}

start legacy15 2 -v "$old/data:/var/lib/postgresql/data"
expect_contains "$LOG" "/var/lib/postgresql/data holds a PostgreSQL 15 cluster" "legacy mount: path and major"
expect_contains "$LOG" "upgrade it with pg_upgrade" "legacy mount: the next step"
expect_contains "$LOG" "POSTGRES_IGNORE_OLD_DATA=true" "legacy mount: the escape is named"
expect_not_contains "$LOG" "initdb:" "legacy mount: no initdb ran"

start root15 2 -v "$old/data:/var/lib/postgresql"
expect_contains "$LOG" "/var/lib/postgresql holds a PostgreSQL 15 cluster" "cluster at the volume root: path and major"

start pgdata15 2 -v "$old/data:/var/lib/postgresql/data" -e PGDATA=/var/lib/postgresql/data
expect_contains "$LOG" "/var/lib/postgresql/data holds a PostgreSQL 15 cluster" "PGDATA on a 15 cluster: refused"

start ignore 'healthy' -v "$old/data:/var/lib/postgresql/data" -e POSTGRES_IGNORE_OLD_DATA=true
expect_eq "$(fingerprint "$old/data")" "$before" "the PostgreSQL 15 files are byte-for-byte unchanged"

# An 18 cluster in the pre-18 layout, then the empty mount there.
vol="$PREFIX-v18"
CLEANUP+=("docker volume rm $vol")
start make18 healthy -v "$vol:/var/lib/postgresql/data" -e PGDATA=/var/lib/postgresql/data
start layout18 2 -v "$vol:/var/lib/postgresql/data"
expect_contains "$LOG" "set PGDATA=/var/lib/postgresql/data to use it where it is" "18 in the old layout: the next step"
start fixed18 healthy -v "$vol:/var/lib/postgresql/data" -e PGDATA=/var/lib/postgresql/data
empty="$PREFIX-empty"
CLEANUP+=("docker volume rm $empty")
start emptymount 2 -v "$empty:/var/lib/postgresql/data"
expect_contains "$LOG" "a volume is mounted at /var/lib/postgresql/data" "an unused mount at the old path is refused"
finish
