-- 01-extensions.sql — every stack: the extensions in POSTGRES_DB, pg_cron in its own
-- database (cron.database_name = 'postgres'). Runs first; later scripts may rely on them.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS pgaudit;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

\connect postgres
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_cron;
