-- bench/sql/groupby.sql: a hash aggregate with a million groups over facts (10M rows). With two
-- or more parallel workers, PostgreSQL 18's Finalize HashAggregate can split into hundreds of
-- thousands of batches at some work_mem values (measured here: 927,537 batches, 588 s, at
-- 4MB; 7.6 s at 5MB) — the hash-aggregate "batch explosion" (docs/benchmarks.md). Timed alone
-- so that cliff shows as what it is.
\set ON_ERROR_STOP on
\timing on
SELECT count(*) FROM (SELECT customer, count(*), sum(amount) FROM facts GROUP BY customer) AS g;
