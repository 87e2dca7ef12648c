-- bench/sql/analytics.sql: sort-, hash- and aggregate-heavy queries over facts (10M rows);
-- work_mem and parallel query decide whether they spill and how many cores they use. The
-- harness sums psql's timings of the four statements. The million-group aggregate is its own
-- workload (groupby.sql): it can hit a PostgreSQL cliff that would drown these four.
\set ON_ERROR_STOP on
\timing on
-- Sort: a full sort of 10M rows (the offset defeats top-N).
SELECT id, amount FROM facts ORDER BY amount DESC, id OFFSET 5000000 LIMIT 1;
-- Hash join against a million-row build side, then an aggregate by region.
SELECT c.region, count(*), avg(f.amount)
  FROM facts AS f JOIN customers AS c USING (customer) GROUP BY c.region ORDER BY 1 LIMIT 3;
-- Sort-based distinct count, and a window over product.
SELECT count(DISTINCT (customer, product)) FROM facts WHERE id % 2 = 0;
SELECT count(*) FROM (SELECT product, amount, rank() OVER (PARTITION BY product ORDER BY amount)
                      FROM facts WHERE id % 4 = 0) AS w WHERE rank = 1;
