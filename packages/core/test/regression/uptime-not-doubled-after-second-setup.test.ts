// Bug: createTelemetry() added an app_uptime_seconds callback to the registry and never removed
// it. Callbacks of one gauge are summed, so a registry reused after shutdown (defaultRegistry()
// across initTelemetry() calls) reported twice the uptime.
import { createTelemetry, MetricRegistry } from '../../src';
import { parseSamples } from '../../../../test-support/exposition';

test('app_uptime_seconds stays the process uptime after a second set-up on the same registry', async () => {
  const registry = new MetricRegistry();
  const options = { prometheus: { server: false }, runtimeMetrics: false } as const;
  await createTelemetry(options, { registry, env: {} }).shutdown();
  const second = createTelemetry(options, { registry, env: {} });
  try {
    const before = process.uptime();
    const uptime = parseSamples(await second.scrape()).find((sample) => sample.name === 'app_uptime_seconds')!.value;
    expect(uptime).toBeGreaterThanOrEqual(before);
    expect(uptime).toBeLessThanOrEqual(process.uptime());
  } finally {
    await second.shutdown();
  }
});
