import { AggregationType } from '@opentelemetry/sdk-metrics';
import { TelemetryConfigError, createTelemetry, type CoreOptions, type Telemetry } from '../src';
import { familyText } from '../../../test-support/exposition';

let telemetry: Telemetry;
function start(options: CoreOptions = {}): Telemetry {
  return (telemetry = createTelemetry(
    { prometheus: { server: false }, runtimeMetrics: false, ...options },
    { env: {} },
  ));
}
afterEach(() => telemetry?.shutdown());

test('instruments made through the OTel API reach the exposition under their Prometheus names', async () => {
  const meter = start().meterProvider.getMeter('shop');
  meter.createCounter('orders.placed', { description: 'Orders placed.', unit: '{order}' }).add(2, { channel: 'web' });
  meter.createUpDownCounter('carts.open', { description: 'Carts open.' }).add(3);
  meter.createGauge('stock.level', { description: 'Items in stock.' }).record(41, { sku: 'a-1' });
  const text = await telemetry.scrape();
  expect(familyText(text, 'orders_placed_total')).toBe(
    '# HELP orders_placed_total Orders placed.\n# TYPE orders_placed_total counter\norders_placed_total{channel="web"} 2\n',
  );
  expect(familyText(text, 'carts_open')).toBe('# HELP carts_open Carts open.\n# TYPE carts_open gauge\ncarts_open 3\n');
  expect(familyText(text, 'stock_level')).toBe(
    '# HELP stock_level Items in stock.\n# TYPE stock_level gauge\nstock_level{sku="a-1"} 41\n',
  );
});

/** The `le` bounds of a histogram family, `+Inf` included. */
function bounds(text: string, name: string): string[] {
  return [...familyText(text, name).matchAll(/_bucket\{(?:[^}]*,)?le="([^"]+)"\}/g)].map((match) => match[1]!);
}

test('a histogram in seconds or bytes without advice gets buckets for its unit; advice and other units keep theirs', async () => {
  const meter = start().meterProvider.getMeter('shop');
  meter.createHistogram('checkout.duration', { description: 'Checkout time.', unit: 's' }).record(0.3);
  meter.createHistogram('upload.size', { description: 'Upload size.', unit: 'By' }).record(2048);
  meter.createHistogram('payment.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.5, 1] } }).record(0.7);
  meter.createHistogram('render.time', { unit: 'ms' }).record(12);
  const text = await telemetry.scrape();
  expect(familyText(text, 'checkout_duration')).toBe(
    [
      '# HELP checkout_duration Checkout time.',
      '# TYPE checkout_duration histogram',
      ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25'].map((le) => `checkout_duration_bucket{le="${le}"} 0`),
      ...['0.5', '1', '2', '5', '10', '30', '+Inf'].map((le) => `checkout_duration_bucket{le="${le}"} 1`),
      'checkout_duration_sum 0.3',
      'checkout_duration_count 1',
      '',
    ].join('\n'),
  );
  expect(bounds(text, 'upload_size')).toEqual([
    ...['64', '256', '1024', '4096', '16384', '65536', '262144', '1048576', '4194304', '16777216'],
    '+Inf',
  ]);
  expect(bounds(text, 'payment_duration')).toEqual(['0.5', '1', '+Inf']);
  // OTel's default buckets, made for milliseconds.
  expect(bounds(text, 'render_time')).toEqual([
    ...['0', '5', '10', '25', '50', '75', '100', '250', '500', '750', '1000', '2500', '5000', '7500', '10000'],
    '+Inf',
  ]);
});

test("the service's own Views apply to API instruments", async () => {
  const meter = start({
    views: [
      {
        instrumentName: 'checkout.duration',
        name: 'checkout_seconds',
        aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [1] } },
      },
      { instrumentName: 'debug.*', aggregation: { type: AggregationType.DROP } },
    ],
  }).meterProvider.getMeter('shop');
  meter.createHistogram('checkout.duration', { unit: 's' }).record(0.3);
  meter.createCounter('debug.calls').add(1);
  const text = await telemetry.scrape();
  expect(bounds(text, 'checkout_seconds')).toEqual(['1', '+Inf']);
  expect(text).not.toContain('checkout_duration');
  expect(text).not.toContain('debug_calls');
});

test('an invalid View is a TelemetryConfigError naming it, before anything starts', () => {
  expect(() => start({ views: [{ name: 'renamed' }] })).toThrow(TelemetryConfigError);
  expect(() => start({ views: [{ meterName: 'shop' }, { name: 'renamed' }] })).toThrow(
    /^agent-telemetry: invalid views\[1\]: \{"name":"renamed"\}; accepted: OTel ViewOptions \(.+\)$/,
  );
});
