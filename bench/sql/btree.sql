-- bench/sql/btree.sql: a B-tree build over facts (10M rows), the sort maintenance_work_mem and
-- parallel maintenance workers decide. Only the CREATE INDEX is timed; the index is dropped
-- again so the other workloads never see it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP INDEX IF EXISTS facts_customer_amount;
\timing on
CREATE INDEX facts_customer_amount ON facts (customer, amount);
\timing off
DROP INDEX facts_customer_amount;
