'use strict';
// Overhead of @agent-telemetry/instrumentation-pg and -ioredis per query and per command: the same
// calls against the real servers (DATABASE_URL, REDIS_URL), with the instrumentation off and on, in
// alternating rounds of one process. "Off" runs pg's and ioredis' own methods (what `disable()`
// restores), "on" the patched ones, as `initTelemetry()` leaves them. Prints the median wall time
// and CPU time per call of each, the difference and the ratio.
//
// Wall time is dominated by the round trip to the server and moves with it; CPU time per call is
// what the instrumentation adds to the service's own work, and the steadier of the two.

const { createTelemetry } = require('@agent-telemetry/core');
const pgPlugin = require('@agent-telemetry/instrumentation-pg').createTelemetryPlugin();
const redisPlugin = require('@agent-telemetry/instrumentation-ioredis').createTelemetryPlugin();
const { printTable, fixed, ratio } = require('./lib/common');
const { methodSwitch } = require('./lib/db-switch');

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Many short rounds: the two variants interleave finely, so a drift of the machine (other
// processes, the servers' own work) weighs on both alike.
const ROUNDS = 101;
const CALLS = 50; // per case, variant and round
const PIPELINE = 10;

const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
// Enabled before pg and ioredis are loaded, as initTelemetry() does.
pgPlugin.enable(telemetry);
redisPlugin.enable(telemetry);
const pg = require('pg');
const Pool = require('pg-pool');
const { Redis } = require('ioredis');
const setInstrumentation = methodSwitch([
  [pg.Client.prototype, 'query'],
  [pg.Client.prototype, 'connect'],
  [Pool.prototype, 'connect'],
  [Pool.prototype, 'end'],
  [Redis.prototype, 'sendCommand'],
  [Redis.prototype, 'connect'],
]);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `call` CALLS times, one after another; returns wall and CPU µs per operation. */
async function timeCalls(call, operationsPerCall) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call(i);
  const wallMicros = Number(process.hrtime.bigint() - start) / 1e3;
  const { user, system } = process.cpuUsage(cpu);
  const operations = CALLS * operationsPerCall;
  return { wall: wallMicros / operations, cpu: (user + system) / operations };
}

async function main() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  const redis = new Redis(REDIS_URL);
  const table = `bench_db_${process.pid}`;
  const key = `agent-telemetry-bench:${process.pid}`;
  try {
    await client.connect();
    await redis.ping();
  } catch (err) {
    process.stderr.write(
      `bench/db.js needs PostgreSQL at ${DATABASE_URL} and Redis at ${REDIS_URL}: ${/** @type {Error} */ (err).message}\n`,
    );
    process.exitCode = 1;
    await Promise.allSettled([pool.end(), client.end()]);
    redis.disconnect();
    return;
  }
  await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text)`);
  await client.query(`INSERT INTO ${table} SELECT i, 'name ' || i FROM generate_series(0, 99) i`);

  // [name, operations per call, call]
  const cases = [
    ['pg pool.query (promise)', 1, (i) => pool.query(`SELECT id, name FROM ${table} WHERE id = $1`, [i % 100])],
    [
      'pg client.query (callback)',
      1,
      (i) =>
        new Promise(
          /** @param {(value?: unknown) => void} resolve */ (resolve, reject) =>
            client.query(`SELECT id, name FROM ${table} WHERE id = $1`, [i % 100], (err) =>
              err ? reject(err) : resolve(),
            ),
        ),
    ],
    [
      'pg named prepared statement',
      1,
      (i) =>
        client.query({ name: 'bench-by-id', text: `SELECT id, name FROM ${table} WHERE id = $1`, values: [i % 100] }),
    ],
    ['ioredis get', 1, () => redis.get(key)],
    ['ioredis set', 1, (i) => redis.set(key, String(i))],
    [
      `ioredis pipeline of ${PIPELINE} (per command)`,
      PIPELINE,
      () => {
        const pipeline = redis.pipeline();
        for (let j = 0; j < PIPELINE; j++) pipeline.incr(key);
        return pipeline.exec();
      },
    ],
  ];

  const rows = [['case', 'off µs', 'on µs', '+µs', 'wall', 'off CPU µs', 'on CPU µs', '+CPU µs', 'CPU']];
  for (const [name, operations, call] of cases) {
    // Warm both paths up before measuring.
    for (const on of [false, true]) {
      setInstrumentation(on);
      await timeCalls(call, operations);
    }
    /** @type {Record<string, { wall: number[], cpu: number[] }>} */
    const samples = { off: { wall: [], cpu: [] }, on: { wall: [], cpu: [] } };
    /** @type {{ wall: number[], cpu: number[] }} */
    const added = { wall: [], cpu: [] }; // on minus off, within each round
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      /** @type {Record<string, { wall: number, cpu: number }>} */
      const times = {};
      for (const variant of order) {
        setInstrumentation(variant === 'on');
        times[variant] = await timeCalls(call, operations);
        samples[variant].wall.push(times[variant].wall);
        samples[variant].cpu.push(times[variant].cpu);
      }
      added.wall.push(times.on.wall - times.off.wall);
      added.cpu.push(times.on.cpu - times.off.cpu);
    }
    const [offWall, onWall, offCpu, onCpu] = [samples.off.wall, samples.on.wall, samples.off.cpu, samples.on.cpu].map(
      median,
    );
    rows.push([
      name,
      fixed(offWall),
      fixed(onWall),
      fixed(median(added.wall)),
      ratio(onWall, offWall),
      fixed(offCpu),
      fixed(onCpu),
      fixed(median(added.cpu)),
      ratio(onCpu, offCpu),
    ]);
  }

  setInstrumentation(true);
  pgPlugin.disable();
  redisPlugin.disable();
  await client.query(`DROP TABLE ${table}`);
  await redis.del(key);
  await Promise.all([pool.end(), client.end()]);
  redis.disconnect();
  await telemetry.shutdown();

  process.stdout.write(
    `Medians of ${ROUNDS} alternating rounds of ${CALLS} sequential calls per variant; µs per query or command.\n` +
      '+µs: median of the per-round differences (on - off). Ratios: on / off.\n\n',
  );
  printTable(rows);
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
