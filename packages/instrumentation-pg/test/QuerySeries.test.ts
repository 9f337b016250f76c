import { QuerySeries } from '../src/QuerySeries';
import { scrapeFamilies } from '../../../test-support/exposition';
import { testTelemetry } from '../../../test-support/telemetry';

describe('QuerySeries', () => {
  test('observes what an unbound observation does, and rebinds for other metrics', async () => {
    const first = testTelemetry();
    const second = testTelemetry();
    const unbound = testTelemetry();
    const series = new QuerySeries('select', 'orders');
    // No series before the first observation.
    expect(await scrapeFamilies(first, 'db_query_duration_seconds')).toBe('');

    for (const [telemetry, seconds] of [
      [first, 0.002],
      [second, 0.3],
      [first, 7],
    ] as const) {
      series.observeDuration(telemetry.metrics, seconds);
      if (telemetry === first)
        unbound.metrics.db_query_duration_seconds.observe({ operation: 'select', table: 'orders' }, seconds);
    }
    const [firstText, secondText, unboundText] = await Promise.all(
      [first, second, unbound].map((telemetry) => scrapeFamilies(telemetry, 'db_query_duration_seconds')),
    );
    expect(firstText).toBe(unboundText);
    expect(firstText).toContain('db_query_duration_seconds_count{operation="select",table="orders"} 2');
    expect(secondText).toContain('db_query_duration_seconds_count{operation="select",table="orders"} 1');
    await Promise.all([first.shutdown(), second.shutdown(), unbound.shutdown()]);
  });
});
