-- bench/sql/hnsw.sql: a pgvector HNSW build over 100,000 128-dimension vectors (pgvector's
-- defaults m = 16, ef_construction = 64). The graph needs about 125 MB; below that much
-- maintenance_work_mem pgvector switches to a much slower build. Only the CREATE is timed.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP INDEX IF EXISTS items_embedding;
\timing on
CREATE INDEX items_embedding ON items USING hnsw (embedding vector_l2_ops);
\timing off
DROP INDEX items_embedding;
