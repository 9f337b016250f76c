import pg from 'pg';
import { PgInstrumentation } from '../src/instrumentation';
import type { PgTelemetryOptions } from '../src';
import { DATABASE_URL, instrument, samples, uniqueTable } from './helpers';
import { family } from '../../../test-support/exposition';
import type { Instrumented } from '../../../test-support/telemetry';

// Every query form pg accepts, through Client and Pool, against the real server.
describe('pg query metrics', () => {
  let env: Instrumented;
  let pool: pg.Pool;
  let client: pg.Client;
  let table: string;

  beforeEach(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL });
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    table = uniqueTable('pgi');
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL)`);
    env = instrument();
  });

  afterEach(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
    await pool.end();
    await env.stop();
  });

  /** `db_query_duration_seconds_count` of each series of this test's table. */
  async function counts(): Promise<string[]> {
    return family(await env.telemetry.scrape(), 'db_query_duration_seconds')
      .split('\n')
      .filter((line) => line.startsWith('db_query_duration_seconds_count{') && line.includes(`table="${table}"`));
  }

  test('each operation kind, through the pool (promise) and a client (callback)', async () => {
    await pool.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [1, 'a']);
    await pool.query(`SELECT * FROM ${table}`);
    await new Promise<void>((resolve, reject) =>
      client.query(`UPDATE ${table} SET name = $1 WHERE id = $2`, ['b', 1], (err) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      pool.query(`DELETE FROM ${table} WHERE id = 1`, (err: Error | undefined) => (err ? reject(err) : resolve())),
    );
    await client.query(`TRUNCATE ${table}`);
    await client.query(`ALTER TABLE ${table} ADD COLUMN note text`);

    expect(await counts()).toEqual([
      `db_query_duration_seconds_count{operation="insert",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="update",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="delete",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="truncate",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="alter",table="${table}"} 1`,
    ]);
  });

  test('query config objects, named prepared statements, config callbacks and submittables', async () => {
    const insert = { name: `${table}_insert`, text: `INSERT INTO ${table} (id, name) VALUES ($1, $2)` };
    await client.query({ ...insert, values: [1, 'a'] });
    await client.query({ ...insert, values: [2, 'b'] }); // runs the prepared statement
    const selectConfig = { text: `/* list */ SELECT name FROM ${table} ORDER BY id`, rowMode: 'array' as const };
    const { rows } = await pool.query(selectConfig);
    expect(rows).toEqual([['a'], ['b']]);
    expect(selectConfig).toEqual({ text: `/* list */ SELECT name FROM ${table} ORDER BY id`, rowMode: 'array' });

    // A config object carrying its own callback: the caller's object is not modified.
    const withCallback = await new Promise<{ config: object; count: number | null }>((resolve, reject) => {
      const config = {
        text: `UPDATE ${table} SET name = 'c'`,
        callback: (err: Error | null, result: pg.QueryResult) =>
          err ? reject(err) : resolve({ config, count: result.rowCount }),
      };
      (client.query as unknown as (config: object) => void)(config);
    });
    expect(withCallback.count).toBe(2);
    expect(Object.keys(withCallback.config)).toEqual(['text', 'callback']);

    // pg.Query is a submittable: pg returns it, and it emits `end`.
    const submitted = client.query(new pg.Query(`DELETE FROM ${table} WHERE id = 2`));
    expect(submitted).toBeInstanceOf(pg.Query);
    await new Promise((resolve) => submitted.on('end', resolve));

    expect(await counts()).toEqual([
      `db_query_duration_seconds_count{operation="insert",table="${table}"} 2`,
      `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="update",table="${table}"} 1`,
      `db_query_duration_seconds_count{operation="delete",table="${table}"} 1`,
    ]);
  });

  test('the exact exposition of a query and of its errors', async () => {
    await pool.query(`INSERT INTO ${table} VALUES (1, 'a')`);
    await expect(pool.query(`INSERT INTO ${table} VALUES (1, 'again')`)).rejects.toMatchObject({ code: '23505' });

    const exposition = await env.telemetry.scrape();
    expect(samples(exposition, 'db_query_duration_seconds', `table="${table}"`)).toBe(
      [
        '# HELP db_query_duration_seconds Database query duration, by statement verb and first target table.',
        '# TYPE db_query_duration_seconds histogram',
        ...['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5'].map(
          (le) => `db_query_duration_seconds_bucket{operation="insert",table="${table}",le="${le}"} <v>`,
        ),
        `db_query_duration_seconds_bucket{operation="insert",table="${table}",le="+Inf"} 2`,
        `db_query_duration_seconds_sum{operation="insert",table="${table}"} <v>`,
        `db_query_duration_seconds_count{operation="insert",table="${table}"} 2`,
      ].join('\n'),
    );
    expect(family(exposition, 'db_errors_total')).toBe(
      [
        '# HELP db_errors_total Database errors, by statement verb and error type (SQLSTATE name or connection failure).',
        '# TYPE db_errors_total counter',
        'db_errors_total{operation="insert",error_type="unique_violation"} 1',
      ].join('\n'),
    );
  });

  test('SQLSTATE errors are counted by condition name and reach the caller unchanged', async () => {
    const failing: ReadonlyArray<readonly [string, string]> = [
      [`INSERT INTO ${table} (id) VALUES (1)`, '23502'], // not_null_violation
      [`SELECT * FROM ${table}_missing`, '42P01'], // undefined_table
      [`SELEC * FROM ${table}`, '42601'], // syntax_error
      [`SELECT 1 / 0 FROM ${table}`, '22012'], // division_by_zero (the table holds a row)
      [`UPDATE ${table} SET id = 'x'`, '22P02'], // invalid_text_representation
      [`SELECT nosuchcolumn FROM ${table}`, '42703'], // undefined_column
    ];
    await client.query(`INSERT INTO ${table} VALUES (1, 'a')`);
    const instrumented: Error[] = [];
    for (const [sql, code] of failing) {
      const err = await client.query(sql).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(pg.DatabaseError);
      expect((err as pg.DatabaseError).code).toBe(code);
      instrumented.push(err!);
    }

    expect(
      family(await env.telemetry.scrape(), 'db_errors_total')
        .split('\n')
        .slice(2),
    ).toEqual([
      'db_errors_total{operation="insert",error_type="not_null_violation"} 1',
      'db_errors_total{operation="select",error_type="undefined_table"} 1',
      'db_errors_total{operation="unknown",error_type="syntax_error"} 1',
      'db_errors_total{operation="select",error_type="division_by_zero"} 1',
      'db_errors_total{operation="update",error_type="invalid_text_representation"} 1',
      'db_errors_total{operation="select",error_type="undefined_column"} 1',
    ]);

    // The same statements without the instrumentation give errors of the same shape: nothing
    // was added, removed or rewritten (same class, message, properties, and a stack that does
    // not lead through this package).
    env.plugin.disable();
    for (const [i, [sql]] of failing.entries()) {
      const plain = await client.query(sql).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(Object.getPrototypeOf(instrumented[i])).toBe(Object.getPrototypeOf(plain));
      expect(instrumented[i]!.message).toBe(plain!.message);
      expect(Object.keys(instrumented[i]!)).toEqual(Object.keys(plain!));
      expect(instrumented[i]!.stack).not.toContain('instrumentation-pg/src');
    }
  });

  test('a statement sent again observes through the series bound the first time', async () => {
    const duration = env.telemetry.metrics.db_query_duration_seconds;
    const labels = jest.spyOn(duration, 'labels');
    const observe = jest.spyOn(duration, 'observe');
    for (let i = 0; i < 5; i++) await pool.query(`SELECT * FROM ${table} WHERE id = $1`, [i]);
    expect(labels.mock.calls).toEqual([[{ operation: 'select', table }]]);
    expect(observe).not.toHaveBeenCalled();
    expect(await counts()).toEqual([`db_query_duration_seconds_count{operation="select",table="${table}"} 5`]);
  });

  test('a callback receives the error object pg created, and pool.query errors count once', async () => {
    const viaCallback = await new Promise<Error>((resolve) =>
      client.query(`SELECT * FROM ${table}_gone`, (err) => resolve(err)),
    );
    expect(viaCallback).toBeInstanceOf(pg.DatabaseError);
    await expect(pool.query(`SELECT * FROM ${table}_gone`)).rejects.toBeInstanceOf(pg.DatabaseError);
    expect(
      family(await env.telemetry.scrape(), 'db_errors_total')
        .split('\n')
        .slice(2),
    ).toEqual(['db_errors_total{operation="select",error_type="undefined_table"} 2']);
  });
});

describe('PgInstrumentation#getConfig', () => {
  test("gives this package's options, defaults merged, as setConfig() left them", () => {
    const instrumentation = new PgInstrumentation({ requireParentSpan: true });
    const config: PgTelemetryOptions = instrumentation.getConfig();
    expect(config).toMatchObject({ poolMetrics: true, requireParentSpan: true });
    instrumentation.setConfig({ poolMetrics: false });
    expect(instrumentation.getConfig().poolMetrics).toBe(false);
  });
});
