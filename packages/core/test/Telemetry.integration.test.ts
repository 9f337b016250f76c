import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTelemetry, defaultRegistry, MetricRegistry } from '../src';
import { familyText } from '../../../test-support/exposition';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

const quiet = { prometheus: { server: false }, runtimeMetrics: false } as const;

test('exports the given registry: values recorded before the set-up are scraped', async () => {
  const registry = new MetricRegistry();
  registry.metrics.customer_signups_total.inc({ tier: 'early' });
  const telemetry = createTelemetry(quiet, { registry, env: {} });
  try {
    expect(telemetry.metrics).toBe(registry.metrics);
    expect(await telemetry.scrape()).toContain('customer_signups_total{tier="early"} 1\n');
  } finally {
    await telemetry.shutdown();
  }
});

test('a new registry by default, not the process-wide one', async () => {
  const telemetry = createTelemetry(quiet, { env: {} });
  try {
    expect(telemetry.metrics).not.toBe(defaultRegistry().metrics);
  } finally {
    await telemetry.shutdown();
  }
});

test('instruments created on meterProvider are scraped with the catalogue metrics', async () => {
  const telemetry = createTelemetry(quiet, { env: {} });
  try {
    telemetry.meterProvider
      .getMeter('app')
      .createCounter('orders_placed_total', { description: 'Orders placed.' })
      .add(2, { shop: 'eu' });
    expect(familyText(await telemetry.scrape(), 'orders_placed_total')).toBe(
      '# HELP orders_placed_total Orders placed.\n# TYPE orders_placed_total counter\norders_placed_total{shop="eu"} 2\n',
    );
  } finally {
    await telemetry.shutdown();
  }
});

test('shutdown() is safe to call twice and closes the standalone server', async () => {
  const telemetry = createTelemetry({ runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0 } }, { env: {} });
  await telemetry.metricsServer!.listening;
  const first = telemetry.shutdown();
  expect(telemetry.shutdown()).toBe(first);
  await first;
  expect(telemetry.metricsServer!.server.listening).toBe(false);
  await expect(telemetry.scrape()).rejects.toThrow('MetricReader is shutdown');
});

test('never keeps the process alive: a service that ends its work exits without calling shutdown()', async () => {
  // The built package, in a real process: the standalone server, the OTLP timer and the runtime
  // collectors all run, and none of them may hold the event loop open.
  const script = `
    const { createTelemetry } = require(${JSON.stringify(join(__dirname, '..', 'dist'))});
    const telemetry = createTelemetry({
      exporter: 'both', runtimeMetrics: true,
      prometheus: { host: '127.0.0.1', port: 0 },
      otlp: { endpoint: 'http://127.0.0.1:9/v1/metrics', intervalMillis: 1000 },
    }, { env: {} });
    telemetry.metricsServer.listening.then(() => console.log('listening'));
  `;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 20000 });
  expect(stdout).toBe('listening\n');
  expect(stderr).toBe('');
});
