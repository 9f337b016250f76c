'use strict';
// The CommonJS app of the packed-install check: initTelemetry() first, as the README says, then
// Express, pg and ioredis. Serves one route that queries Postgres and Redis, calls it twice and
// prints the standalone metrics server's exposition. PACKED_TABLE names its table and keys.
const { initTelemetry } = require('@agent-telemetry/node');

const telemetry = initTelemetry({ serviceName: 'packed-cjs', prometheus: { host: '127.0.0.1', port: 0 } });

const { metricsCollector } = require('@agent-telemetry/business-metrics');
const express = require('express');
const { Pool } = require('pg');
const { Redis } = require('ioredis');

const table = process.env.PACKED_TABLE;

async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await pool.query(`CREATE TABLE ${table} (id integer)`);
  const app = express();
  app.get('/api/v1/items/:id', async (req, res) => {
    await pool.query(`SELECT id FROM ${table} WHERE id = $1`, [Number(req.params.id)]);
    await redis.get(`${table}:${req.params.id}`);
    metricsCollector.recordSignup('pro');
    res.json({ id: req.params.id });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    for (const id of [7, 8]) {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/items/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/v1/items/${id}: ${res.status}`);
    }
    if (telemetry.metricsServer === undefined) throw new Error('no standalone metrics server');
    const { port } = await telemetry.metricsServer.listening;
    process.stdout.write(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  } finally {
    server.close();
    await pool.query(`DROP TABLE ${table}`);
    await Promise.all([pool.end(), redis.quit(), telemetry.shutdown()]);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
