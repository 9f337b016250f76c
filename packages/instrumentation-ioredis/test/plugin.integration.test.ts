import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isWrapped } from '@opentelemetry/instrumentation';
import Redis from 'ioredis';
import type { Telemetry } from '@agent-telemetry/core';
import { createTelemetryPlugin } from '../src';
import { instrument, operations, REDIS_URL, uniqueKey } from './helpers';
import { installTracerProvider } from '../../../test-support/tracing';

describe('ioredis plugin', () => {
  let redis: Redis;
  let key: string;

  beforeEach(async () => {
    redis = new Redis(REDIS_URL);
    await redis.ping();
    key = uniqueKey('plugin');
  });
  afterEach(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  describe('with a tracer provider of the service', () => {
    const exporter = installTracerProvider();

    test('the provider receives the spans of commands in its spans; every command is counted', async () => {
      const env = instrument();
      try {
        const tracer = trace.getTracer('service');
        await tracer.startActiveSpan('handler', async (span) => {
          await redis.set(key, 'v');
          span.end();
        });
        await redis.get(key); // outside any span: no span (upstream default), still counted

        const spans = exporter.getFinishedSpans();
        const handler = spans.find((s) => s.name === 'handler')!;
        const set = spans.find((s) => s.name === 'set');
        expect(set?.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
        expect(set?.instrumentationScope.name).toBe('@opentelemetry/instrumentation-ioredis');
        expect(spans.map((s) => s.name).sort()).toEqual(['handler', 'set']);
        expect(await operations(env)).toEqual([
          'redis_operations_total{operation="set",status="success"} 1',
          'redis_operations_total{operation="get",status="success"} 1',
        ]);
      } finally {
        await env.stop();
      }
    });

    test('requireParentSpan: false gives root spans too', async () => {
      const env = instrument({ requireParentSpan: false });
      try {
        await redis.get(key);
        expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['get']);
      } finally {
        await env.stop();
      }
    });

    test('throwing hooks do no harm', async () => {
      const env = instrument({
        requireParentSpan: false,
        requestHook: () => {
          throw new Error('request hook');
        },
        responseHook: () => {
          throw new Error('response hook');
        },
      });
      try {
        await redis.set(key, 'v');
        expect(await redis.get(key)).toBe('v');
        expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['set', 'get']);
        expect(await operations(env)).toEqual([
          'redis_operations_total{operation="set",status="success"} 1',
          'redis_operations_total{operation="get",status="success"} 1',
        ]);
      } finally {
        await env.stop();
      }
    });
  });

  test('without a tracer provider the upstream span work is skipped, unless a span is active', async () => {
    const requestHook = jest.fn();
    const env = instrument({ requestHook, requireParentSpan: false });
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      await redis.get(key);
      expect(requestHook).not.toHaveBeenCalled();
      const active = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });
      await context.with(trace.setSpan(context.active(), active), () => redis.get(key));
      expect(requestHook).toHaveBeenCalledTimes(1);
      expect(await operations(env)).toEqual(['redis_operations_total{operation="get",status="success"} 2']);
    } finally {
      context.disable();
      await env.stop();
    }
  });

  test('disable() unwraps sendCommand and stops recording; enable() patches again', async () => {
    const env = instrument();
    await redis.get(key);
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(true);

    env.plugin.disable();
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(false);
    expect(isWrapped(Redis.prototype.connect)).toBe(false);
    await redis.get(key);
    expect(await operations(env)).toEqual(['redis_operations_total{operation="get",status="success"} 1']);

    env.plugin.enable(env.telemetry);
    await redis.get(key);
    expect(await operations(env)).toEqual(['redis_operations_total{operation="get",status="success"} 2']);
    await env.stop();
  });

  test('a failure of the metric layer itself never reaches the command', async () => {
    const failing = () => {
      throw new Error('recording failed');
    };
    const metrics = new Proxy({} as Telemetry['metrics'], {
      get: () => ({ observe: failing, inc: failing, labels: failing }),
    });
    const plugin = createTelemetryPlugin();
    plugin.enable({ metrics } as Telemetry);
    try {
      await redis.set(key, 'v');
      expect(await redis.get(key)).toBe('v');
      await expect(redis.call('NOSUCHCOMMAND')).rejects.toThrow(/^ERR unknown command/);
    } finally {
      plugin.disable();
    }
  });

  test('enabled: false patches nothing', async () => {
    const env = instrument({ enabled: false });
    await redis.get(key);
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(false);
    expect(await operations(env)).toEqual([]);
    await env.stop();
  });
});
