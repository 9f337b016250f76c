import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { DATABASE_URL, instrument } from './helpers';
import { family } from '../../../test-support/exposition';
import { closedPort } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

/** A server that accepts connections and never answers: connecting to it times out. */
async function silentServer(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Client-level reports are counted one event-loop turn after the failure. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function errorLines(env: Instrumented): Promise<string[]> {
  await nextTurn();
  return family(await env.telemetry.scrape(), 'db_errors_total')
    .split('\n')
    .slice(2);
}

describe('pg connection failures', () => {
  let env: Instrumented;
  beforeEach(() => (env = instrument()));
  afterEach(() => env.stop());

  test('a refused connection counts connection_refused, once per attempt, pooled or not', async () => {
    const port = await closedPort();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres' });
    const refused = await client.connect().catch((err: Error) => err);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });

    const viaCallback = await new Promise<Error>((resolve) =>
      new pg.Client({ host: '127.0.0.1', port, user: 'postgres' }).connect((err: Error) => resolve(err)),
    );
    expect(viaCallback).toMatchObject({ code: 'ECONNREFUSED' });

    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres' });
    await expect(pool.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await pool.end();

    expect(await errorLines(env)).toEqual(['db_errors_total{operation="connect",error_type="connection_refused"} 3']);
  });

  test('connection timeouts count timeout, for a client and for a pool', async () => {
    const silent = await silentServer();
    try {
      const client = new pg.Client({ host: '127.0.0.1', port: silent.port, connectionTimeoutMillis: 50 });
      await expect(client.connect()).rejects.toThrow('timeout expired');

      // The pool cuts the attempt itself and reports its own error, whose cause is the client's.
      const pool = new pg.Pool({ host: '127.0.0.1', port: silent.port, connectionTimeoutMillis: 50 });
      await expect(pool.query('SELECT 1')).rejects.toThrow('Connection terminated due to connection timeout');
      await pool.end();
    } finally {
      await silent.close();
    }
    expect(await errorLines(env)).toEqual(['db_errors_total{operation="connect",error_type="timeout"} 2']);
  });

  test('waiting past connectionTimeoutMillis for an exhausted pool counts timeout', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1, connectionTimeoutMillis: 50 });
    const held = await pool.connect();
    await expect(pool.connect()).rejects.toThrow('timeout exceeded when trying to connect');
    held.release();
    await pool.end();
    await expect(pool.query('SELECT 1')).rejects.toThrow('Cannot use a pool after calling end on the pool');
    expect(await errorLines(env)).toEqual([
      'db_errors_total{operation="connect",error_type="timeout"} 1',
      'db_errors_total{operation="connect",error_type="connection_closed"} 1',
    ]);
  });
});

describe('pg pool gauges', () => {
  let env: Instrumented;
  beforeEach(() => (env = instrument()));
  afterEach(() => env.stop());

  async function gauges(): Promise<string> {
    const exposition = await env.telemetry.scrape();
    return ['db_connections_active', 'db_connections_idle', 'db_connections_waiting', 'db_connections_max']
      .map((name) => family(exposition, name))
      .join('\n');
  }

  function expected(active: number, idle: number, waiting: number, max: number): string {
    return [
      '# HELP db_connections_active Database connections checked out of the pool.',
      '# TYPE db_connections_active gauge',
      `db_connections_active ${active}`,
      '# HELP db_connections_idle Database connections idle in the pool.',
      '# TYPE db_connections_idle gauge',
      `db_connections_idle ${idle}`,
      '# HELP db_connections_waiting Requests waiting for a database connection from the pool.',
      '# TYPE db_connections_waiting gauge',
      `db_connections_waiting ${waiting}`,
      '# HELP db_connections_max Largest number of connections the pool may open.',
      '# TYPE db_connections_max gauge',
      `db_connections_max ${max}`,
    ].join('\n');
  }

  test('a pool driven to exhaustion reads max, then falls back', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    expect(await gauges()).toBe(['', '', '', ''].join('\n')); // no pool seen yet

    const first = await pool.connect();
    const second = await pool.connect();
    const third = pool.connect(); // waits: the pool is exhausted
    expect(await gauges()).toBe(expected(2, 0, 1, 2));

    first.release();
    const thirdClient = await third;
    expect(await gauges()).toBe(expected(2, 0, 0, 2));

    second.release();
    thirdClient.release();
    expect(await gauges()).toBe(expected(0, 2, 0, 2));

    await pool.end();
    expect(await gauges()).toBe(['', '', '', ''].join('\n'));
  });

  test('several pools are summed', async () => {
    const a = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    const b = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
    const held = await a.connect();
    await b.query('SELECT 1');
    expect(await gauges()).toBe(expected(1, 1, 0, 7));
    held.release();
    await Promise.all([a.end(), b.end()]);
  });

  test('poolMetrics: false leaves the gauges out', async () => {
    await env.stop();
    env = instrument({ poolMetrics: false });
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    await pool.query('SELECT 1');
    expect(await gauges()).toBe(['', '', '', ''].join('\n'));
    await pool.end();
  });
});
