import { createTelemetry, defaultRegistry } from '@agent-telemetry/core';
import pg from 'pg';
import { trackDbQuery } from '../src';
import { DATABASE_URL, instrument, samples, uniqueTable } from './helpers';
import { family } from '../../../test-support/exposition';
import type { Instrumented } from '../../../test-support/telemetry';

describe('trackDbQuery', () => {
  let env: Instrumented;
  let pool: pg.Pool;
  let table: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL });
    table = uniqueTable('track');
    await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  });
  beforeEach(() => (env = instrument()));
  afterEach(() => env.stop());

  test('as a method decorator: explicit labels, this and return value kept, inner queries not counted twice', async () => {
    const metrics = env.telemetry.metrics;
    class CustomerRepository {
      constructor(readonly db: pg.Pool) {}

      @trackDbQuery('SELECT', 'customers', { metrics })
      async findAll(this: CustomerRepository, prefix: string): Promise<string[]> {
        const { rows } = await this.db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
        return rows.map((row) => `${prefix}${row.id}`);
      }

      @trackDbQuery('insert', 'customers', { metrics })
      async add(id: number): Promise<void> {
        await this.db.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      }
    }
    const repository = new CustomerRepository(pool);
    await repository.add(1);
    expect(await repository.findAll('c')).toEqual(['c1']);
    expect(CustomerRepository.prototype.findAll.name).toBe('findAll');

    const exposition = await env.telemetry.scrape();
    expect(
      samples(exposition, 'db_query_duration_seconds', 'table="customers"')
        .split('\n')
        .filter((l) => l.includes('_count')),
    ).toEqual([
      'db_query_duration_seconds_count{operation="insert",table="customers"} 1',
      'db_query_duration_seconds_count{operation="select",table="customers"} 1',
    ]);
    // The pg instrumentation is on, yet the queries inside the tracked methods were not counted.
    expect(exposition).not.toContain(`table="${table}"`);
  });

  test('a rejection is counted with its SQLSTATE name and reaches the caller as the same object', async () => {
    const metrics = env.telemetry.metrics;
    let thrown: unknown;
    const addTwice = trackDbQuery('insert', 'customers', { metrics })(async (id: number) => {
      await pool.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      try {
        await pool.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
      } catch (err) {
        thrown = err;
        throw err;
      }
    });
    const caught = await addTwice(2).catch((err: unknown) => err);
    expect(caught).toBe(thrown);
    expect(caught).toBeInstanceOf(pg.DatabaseError);
    expect(family(await env.telemetry.scrape(), 'db_errors_total')).toBe(
      [
        '# HELP db_errors_total Database errors, by statement verb and error type (SQLSTATE name or connection failure).',
        '# TYPE db_errors_total counter',
        'db_errors_total{operation="insert",error_type="unique_violation"} 1',
      ].join('\n'),
    );
  });

  test('a promise the function returns is returned itself, and await yields its error object', async () => {
    const metrics = env.telemetry.metrics;
    const fulfilled = Promise.resolve(['row']);
    expect(trackDbQuery('select', 'promises', { metrics })(() => fulfilled)()).toBe(fulfilled);

    const error = new Error('query failed');
    const rejected = Promise.reject(error);
    const returned = trackDbQuery('select', 'promises', { metrics })(() => rejected)();
    expect(returned).toBe(rejected);
    let caught: unknown;
    try {
      await returned;
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(error);

    const exposition = await env.telemetry.scrape();
    expect(exposition).toContain('db_query_duration_seconds_count{operation="select",table="promises"} 2');
    expect(family(exposition, 'db_errors_total').split('\n').slice(2)).toEqual([
      'db_errors_total{operation="select",error_type="other"} 1',
    ]);
  });

  test('a synchronous function stays synchronous: same value, same thrown object, same this', () => {
    const metrics = env.telemetry.metrics;
    const self = { factor: 3 };
    const multiply = trackDbQuery('select', 'cache', { metrics })(function (this: typeof self, n: number) {
      return n * this.factor;
    });
    expect(multiply.call(self, 2)).toBe(6);

    const error = new Error('boom');
    const stack = error.stack;
    const fail = trackDbQuery('select', 'cache', { metrics })(() => {
      throw error;
    });
    let caught: unknown;
    try {
      fail();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(error);
    expect(error.stack).toBe(stack);
    return env.telemetry.scrape().then((exposition) => {
      expect(
        samples(exposition, 'db_query_duration_seconds', 'table="cache"')
          .split('\n')
          .filter((l) => l.includes('_count')),
      ).toEqual(['db_query_duration_seconds_count{operation="select",table="cache"} 2']);
      expect(family(exposition, 'db_errors_total').split('\n').slice(2)).toEqual([
        'db_errors_total{operation="select",error_type="other"} 1',
      ]);
    });
  });

  test('without options it records into the default registry', async () => {
    const telemetry = createTelemetry(
      { prometheus: { server: false }, runtimeMetrics: false },
      { registry: defaultRegistry() },
    );
    const label = uniqueTable('default');
    await trackDbQuery('update', label)(async () => 'done')();
    expect(samples(await telemetry.scrape(), 'db_query_duration_seconds', `table="${label}"`)).toContain(
      `db_query_duration_seconds_count{operation="update",table="${label}"} 1`,
    );
    await telemetry.shutdown();
  });
});
