// trackDbQuery compiled with `experimentalDecorators` (tsconfig.legacy-decorators.json), as in a
// NestJS or TypeORM service, against the real PostgreSQL.
import pg from 'pg';
import { trackDbQuery } from '../src';
import { DATABASE_URL, instrument, samples, uniqueTable } from './helpers';
import type { Instrumented } from '../../../test-support/telemetry';

let env: Instrumented;
let pool: pg.Pool;
let table: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: DATABASE_URL });
  table = uniqueTable('legacy');
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE ${table}`);
  await pool.end();
});
beforeEach(() => (env = instrument()));
afterEach(() => env.stop());

test('as a legacy method decorator: explicit labels, this and errors kept, inner queries not counted twice', async () => {
  const metrics = env.telemetry.metrics;
  class CustomerRepository {
    constructor(private readonly _db: pg.Pool) {}

    @trackDbQuery('insert', 'customers_legacy', { metrics })
    async add(id: number): Promise<void> {
      await this._db.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
    }

    @trackDbQuery('SELECT', 'customers_legacy', { metrics })
    async ids(): Promise<number[]> {
      const { rows } = await this._db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
      return rows.map((row) => row.id);
    }
  }
  const repository = new CustomerRepository(pool);
  await repository.add(1);
  const duplicate = await repository.add(1).catch((err: unknown) => err);
  expect(duplicate).toBeInstanceOf(pg.DatabaseError);
  expect(await repository.ids()).toEqual([1]);
  expect(CustomerRepository.prototype.ids.name).toBe('ids');

  const exposition = await env.telemetry.scrape();
  expect(
    samples(exposition, 'db_query_duration_seconds', 'table="customers_legacy"')
      .split('\n')
      .filter((line) => line.includes('_count')),
  ).toEqual([
    'db_query_duration_seconds_count{operation="insert",table="customers_legacy"} 2',
    'db_query_duration_seconds_count{operation="select",table="customers_legacy"} 1',
  ]);
  expect(exposition).toContain('db_errors_total{operation="insert",error_type="unique_violation"} 1\n');
  expect(exposition).not.toContain(`table="${table}"`);
});
