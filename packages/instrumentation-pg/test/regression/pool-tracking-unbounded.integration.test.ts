import { instrumentationPlugin } from '@agent-telemetry/core/instrumentation-support';
import pg from 'pg';
import { PgInstrumentation } from '../../src/instrumentation';
import { DATABASE_URL } from '../helpers';
import { instrument, type Instrumented } from '../../../../test-support/telemetry';

// Pools were tracked even with `poolMetrics: false`, and ended pools were forgotten only when the
// gauges were collected: a service creating and ending pools, without scrapes or without the
// gauges, kept a reference to every pool it ever used.
describe('pools created and ended are not held', () => {
  const POOLS = 20;
  let instrumentation: PgInstrumentation;
  let env: Instrumented;

  function start(poolMetrics: boolean): void {
    instrumentation = new PgInstrumentation({ poolMetrics });
    env = instrument(instrumentationPlugin('pg', instrumentation, {}));
  }
  afterEach(() => env.stop());

  async function useAndEndPools(): Promise<void> {
    for (let i = 0; i < POOLS; i++) {
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
      await pool.query('SELECT 1');
      await pool.end();
    }
  }

  test('poolMetrics: false tracks no pool', async () => {
    start(false);
    await useAndEndPools();
    expect(instrumentation.pools.size).toBe(0);
  });

  test('with pool metrics, ended pools are pruned when the next pool is seen, scraped or not', async () => {
    start(true);
    await useAndEndPools();
    // Only the last pool is left: no pool came after it to prune it.
    expect(instrumentation.pools.size).toBe(1);
    await env.telemetry.scrape();
    expect(instrumentation.pools.size).toBe(0);
  });
});
