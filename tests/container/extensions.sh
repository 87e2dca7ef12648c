#!/usr/bin/env bash
# The guide's critical test 1: every extension created by 01-extensions.sql does real work.
source "$(dirname "$0")/lib.sh"
c=$PREFIX
run_pg "$c" --memory 1g -e POSTGRES_DB=appdb
wait_healthy "$c"

# POSTGRES_DB is a separate database here, so pg_cron (cron.database_name) sits in postgres.
ext=$(psql_in "$c" appdb "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension")
expect_eq "$ext" "pg_stat_statements,pg_trgm,pgaudit,plpgsql,vector" "extensions in POSTGRES_DB"
expect_eq "$(psql_in "$c" "SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'")" 1 \
  "pg_cron in the postgres database"

# pgvector: an HNSW index answers a nearest-neighbour query through an index scan.
psql_in "$c" appdb "CREATE TABLE items (id int, v vector(3));
  INSERT INTO items SELECT g, ARRAY[g, g * 2, g * 3]::real[]::vector FROM generate_series(1, 2000) g;
  CREATE INDEX ON items USING hnsw (v vector_l2_ops); ANALYZE items;"
nearest=$(psql_in "$c" appdb "SET enable_seqscan = off; SELECT id FROM items ORDER BY v <-> '[10,20,30]' LIMIT 1")
expect_eq "$nearest" 10 "pgvector nearest neighbour"
plan=$(psql_in "$c" appdb "SET enable_seqscan = off; EXPLAIN SELECT id FROM items ORDER BY v <-> '[10,20,30]' LIMIT 1")
expect_contains "$plan" "items_v_idx" "pgvector uses the HNSW index"

# pg_trgm: 'postgres' has 9 trigrams, 'postgresql' 11, 8 shared: 8 / (9 + 11 - 8) = 0.67.
sim=$(psql_in "$c" appdb "SELECT round(similarity('postgresql', 'postgres')::numeric, 2)")
expect_eq "$sim" "0.67" "pg_trgm similarity"

# pg_cron: a job scheduled every second runs and records its run.
psql_in "$c" "CREATE TABLE cron_ticks (at timestamptz DEFAULT now());
  SELECT cron.schedule('tick', '1 seconds', 'INSERT INTO cron_ticks DEFAULT VALUES');" >/dev/null
ticks=0
for _ in $(seq 1 40); do
  ticks=$(psql_in "$c" "SELECT count(*) FROM cron_ticks")
  [ "$ticks" -gt 0 ] && break
  sleep 0.5
done
if [ "$ticks" -gt 0 ]; then pass "pg_cron job ran ($ticks rows)"; else
  fail "pg_cron job did not run: $(psql_in "$c" "SELECT status, return_message FROM cron.job_run_details ORDER BY runid DESC LIMIT 1")"; fi

# pgAudit: a DDL statement produces an AUDIT line in the server log.
psql_in "$c" appdb "CREATE TABLE audited_ddl (x int)"
for _ in $(seq 1 20); do docker logs "$c" 2>&1 | grep -q 'AUDIT: SESSION,.*DDL,CREATE TABLE.*audited_ddl' && break; sleep 0.3; done
expect_contains "$(docker logs "$c" 2>&1)" "AUDIT: SESSION" "pgAudit writes to the log"
expect_contains "$(docker logs "$c" 2>&1 | grep AUDIT)" "audited_ddl" "pgAudit logs the CREATE TABLE"

# pg_stat_statements: the queries above are counted.
n=$(psql_in "$c" appdb "SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%items%'")
if [ "$n" -gt 0 ]; then pass "pg_stat_statements has rows ($n)"; else fail "pg_stat_statements is empty"; fi

# Contrib modules the image promises.
for m in pgcrypto amcheck pg_buffercache; do
  psql_in "$c" appdb "CREATE EXTENSION $m" && pass "contrib $m available" || fail "contrib $m"
done
finish
