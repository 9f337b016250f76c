import pg from 'pg';
import PgPool from 'pg-pool';
import { DATABASE_URL, instrument } from './helpers';
import { closedPort } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Puts a recorder of what pg's own `name` returns beneath the instrumentation (which is enabled
 * again over it); returns the values recorded and a function that puts pg's method back.
 */
function returnedByPg(env: Instrumented, prototype: object, name: string): { returned: unknown[]; restore(): void } {
  const target = prototype as Record<string, Method>;
  env.plugin.disable();
  const pgMethod = target[name]!;
  const returned: unknown[] = [];
  target[name] = function (this: unknown, ...args: unknown[]): unknown {
    const result = pgMethod.apply(this, args);
    returned.push(result);
    return result;
  };
  env.plugin.enable(env.telemetry);
  return {
    returned,
    restore: () => {
      env.plugin.disable();
      target[name] = pgMethod;
    },
  };
}

/** What `await` throws. */
async function rejectionOf(promise: unknown): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('the promise was fulfilled');
}

// The caller receives pg's own promise object, not a copy settling after it.
describe('promises pg returns are handed back themselves', () => {
  let env: Instrumented;
  beforeEach(() => (env = instrument()));
  afterEach(() => env.stop());

  test('Client#query: the same promise, its value, and its error object', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const pgQuery = returnedByPg(env, pg.Client.prototype, 'query');
    try {
      const fulfilled = client.query('SELECT 1 AS n');
      expect(fulfilled).toBe(pgQuery.returned[0]);
      expect((await fulfilled).rows).toEqual([{ n: 1 }]);

      const rejected = client.query('SELECT * FROM agent_telemetry_no_such_table');
      expect(rejected).toBe(pgQuery.returned[1]);
      const error = await rejectionOf(rejected);
      expect(error).toBeInstanceOf(pg.DatabaseError);
      expect(error).toBe(await rejectionOf(pgQuery.returned[1]));
    } finally {
      pgQuery.restore();
      await client.end();
    }
    // Observed all the same.
    expect(await env.telemetry.scrape()).toContain(
      'db_errors_total{operation="select",error_type="undefined_table"} 1',
    );
  });

  test('Client#connect and Pool#connect: the same promise and its error object', async () => {
    const port = await closedPort();
    const clientConnect = returnedByPg(env, pg.Client.prototype, 'connect');
    try {
      const connecting = new pg.Client({ host: '127.0.0.1', port, user: 'postgres' }).connect();
      expect(connecting).toBe(clientConnect.returned[0]);
      expect(await rejectionOf(connecting)).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      clientConnect.restore();
    }

    const poolConnect = returnedByPg(env, PgPool.prototype, 'connect');
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres' });
    try {
      const connecting = pool.connect();
      expect(connecting).toBe(poolConnect.returned[0]);
      const error = await rejectionOf(connecting);
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(error).toBe(await rejectionOf(poolConnect.returned[0]));
    } finally {
      poolConnect.restore();
      await pool.end();
    }
  });
});
