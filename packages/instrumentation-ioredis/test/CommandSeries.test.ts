import type { CatalogueMetrics } from '@agent-telemetry/core';
import { CommandSeries, type CommandStatus } from '../src/CommandSeries';
import { scrapeFamilies } from '../../../test-support/exposition';
import { testTelemetry } from '../../../test-support/telemetry';

// [command name as ioredis has it, status, seconds]
type Recording = readonly [string, CommandStatus, number];

function recordUnbound(metrics: CatalogueMetrics, [name, status, seconds]: Recording): void {
  const operation = name.toLowerCase();
  metrics.redis_operations_total.inc({ operation, status });
  metrics.redis_operation_duration_seconds.observe({ operation }, seconds);
}

describe('CommandSeries', () => {
  test('records exactly what unbound recording does, past the cached names and the cardinality limits too', async () => {
    const recordings: Recording[] = [
      ['get', 'success', 0.0002],
      ['GET', 'success', 0.003],
      ['set', 'error', 0.02],
      ['set', 'success', 0.0001],
      ['get', 'error', 2],
      // Odd names (module commands, `call()` with made-up names): past the cached names, and past
      // the histogram's limit (200 series) and the counter's (400).
      ...Array.from({ length: 450 }, (_, i): Recording => [`x.cmd${i}`, i % 3 === 0 ? 'error' : 'success', i / 1000]),
      ['get', 'success', 0.5],
      ['x.cmd1', 'success', 0.001],
    ];
    const bound = testTelemetry();
    const unbound = testTelemetry();
    const series = new CommandSeries(bound.metrics);
    for (const recording of recordings) {
      series.recorderFor(recording[0]).record(recording[1], recording[2]);
      recordUnbound(unbound.metrics, recording);
    }
    const [boundText, unboundText] = await Promise.all(
      [bound, unbound].map((telemetry) =>
        scrapeFamilies(telemetry, 'redis_operations_total', 'redis_operation_duration_seconds'),
      ),
    );
    expect(boundText).toContain('redis_operations_total{operation="get",status="error"} 1');
    expect(boundText).toContain('redis_operation_duration_seconds_count{otel_metric_overflow="true"}');
    expect(boundText).toBe(unboundText);
    await Promise.all([bound.shutdown(), unbound.shutdown()]);
  });

  test('caches at most 256 command names, however many are sent', () => {
    const telemetry = testTelemetry();
    const series = new CommandSeries(telemetry.metrics);
    for (let i = 0; i < 1000; i++) series.recorderFor(`odd${i}`).record('error', 0.001);
    expect(series.size).toBe(256);
    expect(series.recorderFor('odd0')).toBe(series.recorderFor('odd0')); // cached
    expect(series.recorderFor('odd999')).not.toBe(series.recorderFor('odd999')); // unbound, made per command
    expect(series.recorderFor('GET').operation).toBe('get');
  });

  test('a status never recorded shows no series', async () => {
    const telemetry = testTelemetry();
    new CommandSeries(telemetry.metrics).recorderFor('incr').record('success', 0.001);
    expect(await telemetry.scrape()).not.toContain('status="error"');
    await telemetry.shutdown();
  });
});
