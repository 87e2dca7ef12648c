// A real application client: node-postgres with 50 concurrent connections through PgBouncer
// (transaction pooling) for DURATION_S seconds, running named prepared statements (the
// protocol-level kind max_prepared_statements makes safe in transaction mode) and small
// write transactions. Prints totals; exits 1 on any error or if nothing ran.
'use strict';
const { Client } = require('pg');

const connections = Number(process.env.CONNECTIONS || 50);
const durationMs = Number(process.env.DURATION_S || 30) * 1000;
const config = { connectionString: process.env.DATABASE_URL };

async function worker(id, deadline, totals) {
  const client = new Client(config);
  await client.connect();
  try {
    let i = 0;
    while (Date.now() < deadline) {
      i++;
      const r = await client.query({ name: 'add_one', text: 'SELECT $1::int + 1 AS v', values: [i] });
      if (r.rows[0].v !== i + 1) throw new Error(`worker ${id}: wrong result ${r.rows[0].v}`);
      await client.query({ name: 'lookup', text: 'SELECT count(*)::int AS n FROM client_test WHERE worker = $1', values: [id] });
      await client.query('BEGIN');
      await client.query({ name: 'insert', text: 'INSERT INTO client_test (worker, n) VALUES ($1, $2)', values: [id, i] });
      await client.query('COMMIT');
      totals.queries += 4;
    }
  } finally {
    await client.end();
  }
}

async function main() {
  const setup = new Client(config);
  await setup.connect();
  await setup.query('CREATE TABLE IF NOT EXISTS client_test (worker int, n int)');
  await setup.end();
  const totals = { queries: 0, errors: 0 };
  const deadline = Date.now() + durationMs;
  const results = await Promise.allSettled(
    Array.from({ length: connections }, (_, id) => worker(id, deadline, totals)));
  for (const r of results) {
    if (r.status === 'rejected') {
      totals.errors++;
      console.error(`error: ${r.reason && r.reason.message}`);
    }
  }
  console.log(`connections=${connections} seconds=${durationMs / 1000} queries=${totals.queries} errors=${totals.errors}`);
  process.exit(totals.errors === 0 && totals.queries > 0 ? 0 : 1);
}

main().catch((e) => { console.error(`error: ${e.message}`); process.exit(1); });
