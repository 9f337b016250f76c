import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { captureDiag } from '../../../test-support/diag';
import { familyText } from '../../../test-support/exposition';
import { OtlpReceiver, pointsOf } from '../../core/test/helpers/otlpReceiver';
import { getTelemetry, initTelemetry } from '../src';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

const quiet = { prometheus: { server: false }, runtimeMetrics: false } as const;

afterEach(async () => {
  await getTelemetry()?.shutdown();
  metrics.disable();
});

test('initTelemetry() registers its MeterProvider globally: metrics.getMeter() records into the exposition', async () => {
  const telemetry = initTelemetry(quiet);
  expect(metrics.getMeterProvider()).toBe(telemetry.meterProvider);
  metrics.getMeter('shop').createCounter('orders.placed', { description: 'Orders placed.' }).add(1, { channel: 'web' });
  expect(familyText(await telemetry.scrape(), 'orders_placed_total')).toBe(
    '# HELP orders_placed_total Orders placed.\n# TYPE orders_placed_total counter\norders_placed_total{channel="web"} 1\n',
  );
});

test('shutdown() unregisters it, so a later initTelemetry() registers its own', async () => {
  const first = initTelemetry(quiet);
  await first.shutdown();
  expect(metrics.getMeterProvider()).not.toBe(first.meterProvider);
  const second = initTelemetry(quiet);
  expect(metrics.getMeterProvider()).toBe(second.meterProvider);
});

test('a MeterProvider the service registered first is kept, and initTelemetry() says so once', async () => {
  const own = new MeterProvider();
  metrics.setGlobalMeterProvider(own);
  const { warnings, stop } = captureDiag();
  try {
    const telemetry = initTelemetry(quiet);
    initTelemetry();
    expect(metrics.getMeterProvider()).toBe(own);
    expect(warnings).toEqual([
      expect.stringContaining(
        'a global OpenTelemetry MeterProvider was registered before initTelemetry(): instruments made through @opentelemetry/api record into it',
      ),
    ]);
    metrics.getMeter('shop').createCounter('orders.placed').add(1);
    expect(await telemetry.scrape()).not.toContain('orders_placed');
    await telemetry.shutdown();
    // Not ours to unregister.
    expect(metrics.getMeterProvider()).toBe(own);
  } finally {
    stop();
    await own.shutdown();
  }
});

test('globalMeterProvider: false leaves the global MeterProvider alone', () => {
  const telemetry = initTelemetry({ ...quiet, globalMeterProvider: false });
  expect(metrics.getMeterProvider()).not.toBe(telemetry.meterProvider);
});

test('what is recorded through the API reaches OTLP too, a seconds histogram with seconds buckets', async () => {
  const receiver = await OtlpReceiver.start();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, 'fixtures', 'otel-api.js'), `${receiver.url}/v1/metrics`],
      { timeout: 20_000 },
    );
    expect(stderr).toBe('');
    expect(stdout).toContain('orders_placed_total{channel="web"} 2\n');
    expect(stdout).toContain('checkout_duration_bucket{le="0.5"} 1\n');
    // shutdown() pushed the last values.
    const pushed = await receiver.waitFor((request) => pointsOf(request, 'orders.placed').length > 0);
    expect(pointsOf(pushed, 'orders.placed')).toEqual([expect.objectContaining({ asDouble: 2 })]);
    expect(pointsOf(pushed, 'checkout.duration')).toEqual([
      expect.objectContaining({ explicitBounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] }),
    ]);
  } finally {
    await receiver.close();
  }
});
