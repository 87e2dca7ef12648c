-- bench/sql/setup.sql: the analytics and maintenance data, generated once per memory point in
-- the `bench` database, whose only extensions (pgvector, pg_prewarm) need no preloading, so
-- every configuration can run it. pgbench's tables live in the same database.
-- facts: 10 million rows (about 600 MB, no index): sorts, hash joins and aggregates.
-- customers: 1 million rows, the build side of the hash join.
-- items: 100,000 random 128-dimension vectors for the HNSW build.
-- Quick mode passes smaller sizes: psql -v facts_rows=N -v vectors=N.
\set ON_ERROR_STOP on
\if :{?facts_rows}
\else
  \set facts_rows 10000000
\endif
\if :{?vectors}
\else
  \set vectors 100000
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;  -- the harness warms the cache through it
DROP TABLE IF EXISTS facts, customers, items;
CREATE TABLE customers AS
  SELECT c AS customer, (c % 50) AS region, md5(c::text) AS name
  FROM generate_series(1, 1000000) AS c;
CREATE TABLE facts AS
  SELECT i AS id,
         (hashint4(i) & 1048575) % 1000000 + 1 AS customer,
         (hashint4(i + 7) & 65535) % 5000 AS product,
         ((hashint4(i + 13) & 1048575) / 100.0)::float8 AS amount,
         timestamptz '2026-01-01' + (i % 31536000) * interval '1 second' AS created
  FROM generate_series(1, :facts_rows) AS i;
CREATE TABLE items AS
  SELECT i AS id,
         (SELECT array_agg(random()::real) FROM generate_series(1, 128) WHERE i > 0)::vector(128)
           AS embedding
  FROM generate_series(1, :vectors) AS i;
VACUUM ANALYZE customers, facts, items;
