import { diag } from '@opentelemetry/api';
import { captureDiag } from '../../../test-support/diag';
import { familyText } from '../../../test-support/exposition';
import { defaultRegistry, defineMetrics, getTelemetry, initTelemetry, TelemetryConfigError } from '../src';

const quiet = { prometheus: { server: false }, runtimeMetrics: false } as const;
const shopMetrics = defineMetrics({
  orders_placed_total: { kind: 'counter', unit: '{order}', help: 'Orders placed.', labels: ['channel'] },
});

afterEach(async () => {
  await getTelemetry()?.shutdown();
  diag.disable();
});

test("initTelemetry({ metrics }) gives the service's own metrics, typed, in the default registry", async () => {
  const telemetry = initTelemetry({ ...quiet, metrics: shopMetrics });
  telemetry.metrics.orders_placed_total.inc({ channel: 'web' });
  // @ts-expect-error channel is missing
  telemetry.metrics.orders_placed_total.inc({});
  expect(getTelemetry<typeof shopMetrics>()?.metrics.orders_placed_total).toBe(telemetry.metrics.orders_placed_total);
  expect(familyText(await telemetry.scrape(), 'orders_placed_total')).toBe(
    '# HELP orders_placed_total Orders placed.\n' +
      '# TYPE orders_placed_total counter\n' +
      'orders_placed_total{channel="web"} 1\n' +
      'orders_placed_total{channel=""} 1\n',
  );
});

test('a second call adds the metrics it brings and ignores, with a warning, its other options', () => {
  const { warnings, stop } = captureDiag();
  try {
    initTelemetry(quiet);
    const again = initTelemetry({
      serviceName: 'other',
      metrics: { refunds_total: { kind: 'counter', help: 'Refunds.', labels: [] } },
    });
    again.metrics.refunds_total.inc({});
    expect(warnings).toEqual([
      expect.stringContaining('initTelemetry() was already called; these options are ignored'),
    ]);
  } finally {
    stop();
  }
});

test('an invalid table throws before anything starts, and defines nothing', () => {
  expect(() =>
    initTelemetry({
      ...quiet,
      metrics: {
        fresh_total: { kind: 'counter', help: 'F.', labels: [] },
        http_requests_total: { kind: 'counter', help: 'H.', labels: [] },
      },
    }),
  ).toThrow(TelemetryConfigError);
  expect(getTelemetry()).toBeUndefined();
  expect((defaultRegistry().metrics as Record<string, unknown>)['fresh_total']).toBeUndefined();
});
