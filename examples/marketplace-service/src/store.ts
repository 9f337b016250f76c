import { Redis } from 'ioredis';
import { Pool } from 'pg';
import type { DemoConfig } from './config';

/** A marketplace package (an agent customers can run). */
export interface AgentPackage {
  readonly id: number;
  readonly name: string;
  readonly priceUsd: number;
}

/**
 * Postgres and Redis, each optional: the demo serves without them (and says so once) so that
 * `npm start` works on a machine that has neither.
 */
export class Store {
  private constructor(
    readonly pg: Pool | undefined,
    readonly redis: Redis | undefined,
  ) {}

  static async connect(config: DemoConfig): Promise<Store> {
    const [pg, redis] = await Promise.all([connectPostgres(config.databaseUrl), connectRedis(config.redisUrl)]);
    return new Store(pg, redis);
  }

  async listPackages(): Promise<AgentPackage[]> {
    const cached = await this.redis?.get('marketplace:packages');
    if (cached) return JSON.parse(cached) as AgentPackage[];
    const packages = this.pg
      ? (
          await this.pg.query<AgentPackage>(
            'SELECT id, name, price_usd AS "priceUsd" FROM marketplace_packages ORDER BY id',
          )
        ).rows
      : DEFAULT_PACKAGES;
    await this.redis?.set('marketplace:packages', JSON.stringify(packages), 'EX', 5);
    return packages;
  }

  async getPackage(id: number): Promise<AgentPackage | undefined> {
    if (!this.pg) return DEFAULT_PACKAGES.find((p) => p.id === id);
    const { rows } = await this.pg.query<AgentPackage>(
      'SELECT id, name, price_usd AS "priceUsd" FROM marketplace_packages WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  /**
   * Publishes a package. An id already taken fails with Postgres' unique_violation, which the
   * caller answers with 409 (and the pg instrumentation counts in db_errors_total).
   */
  async createPackage(pkg: AgentPackage): Promise<void> {
    if (!this.pg) throw Object.assign(new Error('no database to publish to'), { code: 'NO_DATABASE' });
    await this.pg.query('INSERT INTO marketplace_packages (id, name, price_usd) VALUES ($1, $2, $3)', [
      pkg.id,
      pkg.name,
      pkg.priceUsd,
    ]);
    await this.redis?.del('marketplace:packages');
  }

  async createCustomer(email: string, tier: string): Promise<number> {
    if (!this.pg) return Math.floor(Math.random() * 1e6);
    const { rows } = await this.pg.query<{ id: number }>(
      'INSERT INTO marketplace_customers (email, tier) VALUES ($1, $2) RETURNING id',
      [email, tier],
    );
    await this.redis?.incr(`marketplace:signups:${tier}`);
    return rows[0]!.id;
  }

  async getCustomer(id: number): Promise<{ id: number; email: string; tier: string } | undefined> {
    const cached = await this.redis?.get(`marketplace:customer:${id}`);
    if (cached) return JSON.parse(cached) as { id: number; email: string; tier: string };
    if (!this.pg) return undefined;
    const { rows } = await this.pg.query<{ id: number; email: string; tier: string }>(
      'SELECT id, email, tier FROM marketplace_customers WHERE id = $1',
      [id],
    );
    if (rows[0]) await this.redis?.set(`marketplace:customer:${id}`, JSON.stringify(rows[0]), 'EX', 30);
    return rows[0];
  }

  async countCustomersByTier(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!this.pg) return counts;
    const { rows } = await this.pg.query<{ tier: string; n: string }>(
      'SELECT tier, count(*) AS n FROM marketplace_customers GROUP BY tier',
    );
    for (const row of rows) counts.set(row.tier, Number(row.n));
    return counts;
  }

  async close(): Promise<void> {
    await Promise.all([this.pg?.end(), this.redis?.quit().catch(() => undefined)]);
  }
}

const DEFAULT_PACKAGES: AgentPackage[] = [
  { id: 1, name: 'ticket-resolver', priceUsd: 49 },
  { id: 2, name: 'code-reviewer', priceUsd: 99 },
  { id: 3, name: 'sales-researcher', priceUsd: 29 },
];

async function connectPostgres(url: string): Promise<Pool | undefined> {
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 2000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS marketplace_packages (
      id integer PRIMARY KEY, name text NOT NULL, price_usd numeric NOT NULL)`);
    await pool.query(`CREATE TABLE IF NOT EXISTS marketplace_customers (
      id serial PRIMARY KEY, email text NOT NULL, tier text NOT NULL, created_at timestamptz DEFAULT now())`);
    for (const p of DEFAULT_PACKAGES) {
      await pool.query(
        'INSERT INTO marketplace_packages (id, name, price_usd) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [p.id, p.name, p.priceUsd],
      );
    }
    return pool;
  } catch (err) {
    console.log(`Postgres at ${redact(url)} is not available (${(err as Error).message}); serving without it`);
    await pool.end().catch(() => undefined);
    return undefined;
  }
}

async function connectRedis(url: string): Promise<Redis | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported once below; ioredis repeats it otherwise
  try {
    await redis.connect();
    // Reconnect from now on: Redis restarting must not turn the demo off for good.
    redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
    return redis;
  } catch (err) {
    console.log(`Redis at ${redact(url)} is not available (${(err as Error).message}); serving without it`);
    redis.disconnect();
    return undefined;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
