// The ES-module TypeScript app of the packed-install check, compiled with `strict` and
// `module: nodenext` and started with `node --import @agent-telemetry/node/register`: no telemetry
// set-up in the code. Uses the typed API (catalogue metrics, trackers, decorators) the way a
// service would; serves one route that queries Postgres and Redis, calls it twice and prints the
// standalone metrics server's exposition.
import { getTelemetry, type Telemetry } from '@agent-telemetry/node';
import { metricsCollector, trackLlmCall } from '@agent-telemetry/business-metrics';
import { trackRequestMetrics } from '@agent-telemetry/instrumentation-http';
import { trackDbQuery } from '@agent-telemetry/instrumentation-pg';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';

const table = process.env['PACKED_TABLE']!;
const pool = new pg.Pool({
  connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
});
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');

class Items {
  @trackDbQuery('select', 'items_by_hand')
  async count(): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  }
}

const complete = trackLlmCall(
  'anthropic',
  'claude-sonnet-4',
)(async (prompt: string) => ({
  text: prompt,
  usage: { input_tokens: 10, output_tokens: 5 },
}));
const consume = trackRequestMetrics('/queue/items')((message: { id: number }) => message.id);

async function main(telemetry: Telemetry): Promise<void> {
  await pool.query(`CREATE TABLE ${table} (id integer)`);
  const items = new Items();
  const app = express();
  app.get('/api/v1/items/:id', async (req, res) => {
    await pool.query(`SELECT id FROM ${table} WHERE id = $1`, [Number(req.params.id)]);
    await redis.get(`${table}:${req.params.id}`);
    metricsCollector.recordSignup('pro');
    res.json({ id: req.params.id, count: await items.count() });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    for (const id of [7, 8]) {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/items/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/v1/items/${id}: ${res.status}`);
    }
    await complete('hello');
    consume({ id: 1 });
    telemetry.metrics.auth_failures_total.inc({ reason: 'expired_token' });
    const { port } = await telemetry.metricsServer!.listening;
    process.stdout.write(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  } finally {
    server.close();
    await pool.query(`DROP TABLE ${table}`);
    await Promise.all([pool.end(), redis.quit(), telemetry.shutdown()]);
  }
}

const telemetry = getTelemetry();
if (telemetry === undefined)
  throw new Error('agent-telemetry did not start under --import @agent-telemetry/node/register');
await main(telemetry);
