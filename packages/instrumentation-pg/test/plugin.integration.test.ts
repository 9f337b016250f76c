import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isWrapped } from '@opentelemetry/instrumentation';
import pg from 'pg';
import PgPool from 'pg-pool';
import type { Telemetry } from '@agent-telemetry/core';
import { createTelemetryPlugin, trackDbQuery } from '../src';
import { DATABASE_URL, instrument, samples, uniqueTable } from './helpers';
import { installTracerProvider } from '../../../test-support/tracing';
import type { Instrumented } from '../../../test-support/telemetry';

async function queryCount(env: Instrumented, table: string): Promise<string[]> {
  return samples(await env.telemetry.scrape(), 'db_query_duration_seconds', `table="${table}"`)
    .split('\n')
    .filter((line) => line.includes('_count{'));
}

describe('pg plugin', () => {
  let pool: pg.Pool;
  let table: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL });
    table = uniqueTable('plugin');
    await pool.query(`CREATE TABLE ${table} (id int)`);
  });
  afterAll(async () => {
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  });

  describe('with a tracer provider of the service', () => {
    const exporter = installTracerProvider();

    test('the provider receives the pg spans while the metrics are recorded', async () => {
      const env = instrument();
      try {
        const tracer = trace.getTracer('service');
        await tracer.startActiveSpan('handler', async (span) => {
          await pool.query(`SELECT * FROM ${table}`);
          span.end();
        });
        const spans = exporter.getFinishedSpans();
        const query = spans.find((s) => s.name === 'pg.query:SELECT test');
        expect(query).toBeDefined();
        expect(query!.attributes['db.query.text']).toBe(`SELECT * FROM ${table}`);
        expect(query!.instrumentationScope.name).toBe('@opentelemetry/instrumentation-pg');
        const handler = spans.find((s) => s.name === 'handler')!;
        expect(query!.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
        expect(await queryCount(env, table)).toEqual([
          `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
        ]);
      } finally {
        await env.stop();
      }
    });

    test('connect spans as upstream makes them, unless ignoreConnectSpans', async () => {
      const connectSpans = async (options: { ignoreConnectSpans?: boolean }): Promise<string[]> => {
        const env = instrument(options);
        const local = new pg.Pool({ connectionString: DATABASE_URL });
        try {
          await local.query('SELECT 1');
          return exporter
            .getFinishedSpans()
            .map((s) => s.name)
            .filter((name) => name.endsWith('.connect'));
        } finally {
          await local.end();
          await env.stop();
          exporter.reset();
        }
      };
      expect((await connectSpans({})).sort()).toEqual(['pg-pool.connect', 'pg.connect']);
      expect(await connectSpans({ ignoreConnectSpans: true })).toEqual([]);
    });

    test('requireParentSpan shapes the spans only: a query outside any span is still counted', async () => {
      const env = instrument({ requireParentSpan: true });
      try {
        await pool.query(`SELECT * FROM ${table}`);
        expect(exporter.getFinishedSpans().filter((s) => s.name.startsWith('pg.query'))).toEqual([]);
        expect(await queryCount(env, table)).toEqual([
          `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
        ]);
      } finally {
        await env.stop();
      }
    });

    test('throwing hooks do no harm', async () => {
      const env = instrument({
        requestHook: () => {
          throw new Error('request hook');
        },
        responseHook: () => {
          throw new Error('response hook');
        },
      });
      try {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect(rows).toEqual([{ n: 0 }]);
        expect(exporter.getFinishedSpans().some((s) => s.name === 'pg.query:SELECT test')).toBe(true);
        expect(await queryCount(env, table)).toEqual([
          `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
        ]);
      } finally {
        await env.stop();
      }
    });
  });

  describe('without a tracer provider', () => {
    test('the upstream span work is skipped, unless a span is active', async () => {
      const requestHook = jest.fn();
      const env = instrument({ requestHook });
      const manager = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(manager);
      try {
        await pool.query(`SELECT * FROM ${table}`);
        expect(requestHook).not.toHaveBeenCalled();

        // A span of someone else's making is active: upstream binds its context, so it runs.
        const active = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });
        await context.with(trace.setSpan(context.active(), active), () => pool.query(`SELECT * FROM ${table}`));
        expect(requestHook).toHaveBeenCalledTimes(1);
        expect(await queryCount(env, table)).toEqual([
          `db_query_duration_seconds_count{operation="select",table="${table}"} 2`,
        ]);
      } finally {
        context.disable();
        await env.stop();
      }
    });
  });

  test("the upstream instrumentation's own metrics are dropped", async () => {
    const env = instrument();
    await pool.query(`SELECT * FROM ${table}`);
    const exposition = await env.telemetry.scrape();
    await env.stop();
    expect(exposition).toContain('db_query_duration_seconds_count');
    expect(exposition).not.toMatch(/^db_client_/m);
  });

  test('disable() unwraps every patched method and stops recording', async () => {
    const env = instrument();
    await pool.query(`SELECT * FROM ${table}`);
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
    expect(isWrapped(pg.Client.prototype.connect)).toBe(true);
    expect(isWrapped(PgPool.prototype.connect)).toBe(true);

    env.plugin.disable();
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    expect(isWrapped(pg.Client.prototype.connect)).toBe(false);
    expect(isWrapped(PgPool.prototype.connect)).toBe(false);
    await pool.query(`SELECT * FROM ${table}`);
    expect(await queryCount(env, table)).toEqual([
      `db_query_duration_seconds_count{operation="select",table="${table}"} 1`,
    ]);

    // And enable() again patches again.
    env.plugin.enable(env.telemetry);
    await pool.query(`SELECT * FROM ${table}`);
    expect(await queryCount(env, table)).toEqual([
      `db_query_duration_seconds_count{operation="select",table="${table}"} 2`,
    ]);
    await env.stop();
  });

  test('a failure of the metric layer itself never reaches the query', async () => {
    // Every recording throws: the query and the tracked function must not notice.
    const failing = () => {
      throw new Error('recording failed');
    };
    const metrics = new Proxy({} as Telemetry['metrics'], {
      get: () => ({ observe: failing, inc: failing, labels: failing, addCallback: () => () => {} }),
    });
    const plugin = createTelemetryPlugin();
    plugin.enable({ metrics } as Telemetry);
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows).toEqual([{ n: 0 }]);
      await expect(pool.query(`SELECT * FROM ${table}_missing`)).rejects.toMatchObject({ code: '42P01' });
      expect(trackDbQuery('select', 'x', { metrics })(() => 42)()).toBe(42);
    } finally {
      plugin.disable();
    }
  });

  test('enabled: false patches nothing', async () => {
    const env = instrument({ enabled: false });
    await pool.query(`SELECT * FROM ${table}`);
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    expect(await queryCount(env, table)).toEqual([]);
    await env.stop();
  });
});
