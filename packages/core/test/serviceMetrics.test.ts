// The service's own metrics in the catalogue: typed as the catalogue's (each `@ts-expect-error`
// must fail to compile; `npx tsc -p tsconfig.test.json` reports an unused directive otherwise),
// recorded, bounded and exposed as the catalogue's.
import {
  createTelemetry,
  defineMetrics,
  MetricRegistry,
  TelemetryConfigError,
  type Counter,
  type Labels,
  type MetricTable,
  type Telemetry,
} from '../src';
import { familyText } from '../../../test-support/exposition';
import { serviceMetrics } from './fixtures/serviceMetrics';

let telemetry: Telemetry<typeof serviceMetrics>;
beforeEach(() => {
  telemetry = createTelemetry(
    { metrics: serviceMetrics, prometheus: { server: false }, runtimeMetrics: false },
    { env: {} },
  );
});
afterEach(() => telemetry.shutdown());

test('each kind records and is exposed exactly as a catalogue metric of that kind', async () => {
  const { metrics } = telemetry;
  metrics.orders_placed_total.inc({ channel: 'web' });
  metrics.orders_placed_total.labels({ channel: 'app' }).inc(2);
  metrics.checkout_duration_seconds.observe({ channel: 'web', payment: 'card' }, 1.5);
  metrics.basket_value_usd.observe({}, 42);
  metrics.carts_open.inc({}, 3);
  metrics.carts_open.dec({});
  metrics.stock_items.set({ warehouse: 'berlin' }, 17);
  metrics.queue_depth.addCallback((observe) => observe({ queue: 'mail' }, 4));
  metrics.emails_sent_total.addCallback((observe) => observe({}, 12));
  const text = await telemetry.scrape();
  expect(familyText(text, 'orders_placed_total')).toBe(
    '# HELP orders_placed_total Orders placed, by sales channel.\n' +
      '# TYPE orders_placed_total counter\n' +
      'orders_placed_total{channel="web"} 1\n' +
      'orders_placed_total{channel="app"} 2\n',
  );
  // Seconds buckets from the unit, as for the catalogue's request durations.
  expect(familyText(text, 'checkout_duration_seconds')).toBe(
    [
      '# HELP checkout_duration_seconds Time from cart to confirmed order.',
      '# TYPE checkout_duration_seconds histogram',
      ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1'].map(
        (le) => `checkout_duration_seconds_bucket{channel="web",payment="card",le="${le}"} 0`,
      ),
      ...['2', '5', '10', '30', '+Inf'].map(
        (le) => `checkout_duration_seconds_bucket{channel="web",payment="card",le="${le}"} 1`,
      ),
      'checkout_duration_seconds_sum{channel="web",payment="card"} 1.5',
      'checkout_duration_seconds_count{channel="web",payment="card"} 1',
      '',
    ].join('\n'),
  );
  expect(familyText(text, 'basket_value_usd')).toBe(
    [
      '# HELP basket_value_usd Value of confirmed baskets.',
      '# TYPE basket_value_usd histogram',
      'basket_value_usd_bucket{le="10"} 0',
      'basket_value_usd_bucket{le="50"} 1',
      'basket_value_usd_bucket{le="100"} 1',
      'basket_value_usd_bucket{le="500"} 1',
      'basket_value_usd_bucket{le="+Inf"} 1',
      'basket_value_usd_sum 42',
      'basket_value_usd_count 1',
      '',
    ].join('\n'),
  );
  expect(familyText(text, 'carts_open')).toBe(
    '# HELP carts_open Carts open now.\n# TYPE carts_open gauge\ncarts_open 2\n',
  );
  expect(familyText(text, 'stock_items')).toBe(
    '# HELP stock_items Items in stock, by warehouse.\n# TYPE stock_items gauge\nstock_items{warehouse="berlin"} 17\n',
  );
  expect(familyText(text, 'queue_depth')).toBe(
    '# HELP queue_depth Jobs waiting in the queue.\n# TYPE queue_depth gauge\nqueue_depth{queue="mail"} 4\n',
  );
  expect(familyText(text, 'emails_sent_total')).toBe(
    '# HELP emails_sent_total Emails the mailer reports as sent.\n# TYPE emails_sent_total counter\nemails_sent_total 12\n',
  );
});

test('bad values are dropped and counted, past the cardinality limit label sets fold into the overflow series', async () => {
  const { metrics } = telemetry;
  metrics.orders_placed_total.inc({ channel: 'web' }, -1);
  metrics.checkout_duration_seconds.observe({ channel: 'web', payment: 'card' }, NaN);
  for (const payment of ['card', 'paypal', 'invoice', 'cash']) {
    metrics.checkout_duration_seconds.observe({ channel: 'web', payment }, 0.2);
  }
  const text = await telemetry.scrape();
  expect(familyText(text, 'agent_telemetry_recordings_dropped_total')).toContain(
    'agent_telemetry_recordings_dropped_total{metric="orders_placed_total",reason="negative_value"} 1\n' +
      'agent_telemetry_recordings_dropped_total{metric="checkout_duration_seconds",reason="non_finite_value"} 1\n',
  );
  const counts = familyText(text, 'checkout_duration_seconds')
    .split('\n')
    .filter((line) => line.startsWith('checkout_duration_seconds_count'));
  // A limit of 3 keeps 2 label sets and the overflow series, as for the catalogue's metrics.
  expect(counts).toEqual([
    'checkout_duration_seconds_count{channel="web",payment="card"} 1',
    'checkout_duration_seconds_count{channel="web",payment="paypal"} 1',
    'checkout_duration_seconds_count{otel_metric_overflow="true"} 2',
  ]);
});

test('labels are typed as the catalogue metrics are', () => {
  const { metrics } = telemetry;
  // @ts-expect-error channel is missing
  metrics.orders_placed_total.inc({});
  // @ts-expect-error coupon is not a label of orders_placed_total
  metrics.orders_placed_total.inc({ channel: 'web', coupon: 'x' });
  // @ts-expect-error payment is missing
  metrics.checkout_duration_seconds.labels({ channel: 'web' }).observe(1);
  // @ts-expect-error basket_value_usd has no labels at all
  metrics.basket_value_usd.observe({ channel: 'web' }, 1);
  // @ts-expect-error a label value is a string or a number
  metrics.stock_items.set({ warehouse: true }, 1);
  // @ts-expect-error queue is missing from the observed label set
  metrics.queue_depth.addCallback((observe) => observe({}, 1));
  // @ts-expect-error a counter cannot observe
  expect(() => metrics.orders_placed_total.observe({ channel: 'web' }, 1)).toThrow(TypeError);
  // @ts-expect-error a gauge is set, not incremented
  expect(() => metrics.stock_items.inc({ warehouse: 'berlin' })).toThrow(TypeError);
  // @ts-expect-error no such metric in the catalogue or the service's table
  expect(metrics.orders_placed).toBeUndefined();
  // The catalogue's metrics are all there too.
  metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 200 });
  const counter: Counter<(typeof serviceMetrics)['orders_placed_total']> = metrics.orders_placed_total;
  const labels: Labels<(typeof serviceMetrics)['checkout_duration_seconds']> = { channel: 'web', payment: 'card' };
  expect([counter.name, labels.payment]).toEqual(['orders_placed_total', 'card']);
});

test('a table written in the options is typed the same, without defineMetrics()', async () => {
  const inline = createTelemetry(
    {
      metrics: { signups_total: { kind: 'counter', help: 'Signups.', labels: ['plan'] } },
      prometheus: { server: false },
      runtimeMetrics: false,
    },
    { env: {} },
  );
  try {
    inline.metrics.signups_total.inc({ plan: 'pro' });
    // @ts-expect-error tier is not a label of signups_total
    inline.metrics.signups_total.inc({ tier: 'pro' });
    expect(familyText(await inline.scrape(), 'signups_total')).toContain('signups_total{plan="pro"} 1\n');
  } finally {
    await inline.shutdown();
  }
});

test('a registry for tests takes the same table', () => {
  const registry = new MetricRegistry({ metrics: serviceMetrics });
  registry.metrics.orders_placed_total.labels({ channel: 'web' }).inc();
  // @ts-expect-error channel is missing
  registry.metrics.orders_placed_total.inc({});
  const withMore = registry.define(defineMetrics({ refunds_total: { kind: 'counter', help: 'Refunds.', labels: [] } }));
  withMore.metrics.refunds_total.inc({});
  // Adding a table twice changes nothing.
  expect(() => registry.define(serviceMetrics)).not.toThrow();
});

describe('invalid tables are a TelemetryConfigError naming the row', () => {
  const row = { kind: 'counter', help: 'Help.', labels: [] } as const;
  test.each<[string, MetricTable, RegExp]>([
    [
      'a catalogue name',
      { http_requests_total: row },
      /metrics\.http_requests_total: "http_requests_total"; accepted: a name whose series do not clash with those of http_requests_total/,
    ],
    [
      "a name that is a catalogue histogram's series",
      { http_request_duration_seconds_count: { ...row, kind: 'gauge' } },
      /clash with those of http_request_duration_seconds \(http_request_duration_seconds_count\)/,
    ],
    [
      'two rows of one table whose series clash',
      {
        customer_signups: { kind: 'histogram', unit: 's', help: 'H.', labels: [] },
        customer_signups_count: { ...row, kind: 'gauge' },
      },
      /metrics\.customer_signups_count.*clash with those of customer_signups \(customer_signups_count\)/,
    ],
    [
      'an invalid Prometheus name',
      { 'orders-placed_total': row },
      /invalid metrics\.orders-placed_total: .*accepted: a Prometheus metric name/,
    ],
    ['a reserved prefix', { agent_telemetry_mine_total: row }, /not starting with __ or agent_telemetry_/],
    ['a counter without _total', { orders_placed: row }, /accepted: a counter name ending in _total \(once\)/],
    [
      'a gauge with _total',
      { orders_total: { ...row, kind: 'gauge' } },
      /accepted: a name not ending in _total \(counters only\)/,
    ],
    ['_total twice', { orders_total_total: row }, /ending in _total \(once\)/],
    [
      'an unknown kind',
      { orders_total: { ...row, kind: 'summary' as never } },
      /metrics\.orders_total\.kind: "summary"; accepted: counter, histogram, gauge/,
    ],
    ['an empty help', { orders_total: { ...row, help: ' ' } }, /metrics\.orders_total\.help/],
    [
      'a reserved label',
      { latency_seconds: { kind: 'histogram', unit: 's', help: 'H.', labels: ['le'] } },
      /metrics\.latency_seconds\.labels: \["le"\]/,
    ],
    ['a duplicate label', { orders_total: { ...row, labels: ['a', 'a'] } }, /metrics\.orders_total\.labels/],
    ['an invalid label', { orders_total: { ...row, labels: ['user-id'] } }, /metrics\.orders_total\.labels/],
    [
      'buckets without a unit to default from',
      { basket_value: { kind: 'histogram', help: 'H.', labels: [] } },
      /metrics\.basket_value\.buckets: undefined; accepted: increasing finite numbers \(required unless unit is 's' or 'By'\)/,
    ],
    [
      'decreasing buckets',
      { basket_value: { kind: 'histogram', help: 'H.', labels: [], buckets: [5, 1] } },
      /metrics\.basket_value\.buckets: \[5,1\]/,
    ],
    ['buckets on a counter', { orders_total: { ...row, buckets: [1] } }, /only histograms have buckets/],
    [
      'a cardinality limit of 0',
      { orders_total: { ...row, cardinalityLimit: 0 } },
      /metrics\.orders_total\.cardinalityLimit: 0; accepted: a positive integer/,
    ],
  ])('%s', (_case, table, message) => {
    expect(() => defineMetrics(table)).toThrow(TelemetryConfigError);
    expect(() => defineMetrics(table)).toThrow(message);
    expect(() => new MetricRegistry({ metrics: table })).toThrow(message);
  });

  test('a name a previous table defined otherwise', () => {
    const registry = new MetricRegistry({ metrics: serviceMetrics });
    expect(() => registry.define({ orders_placed_total: { ...row, help: 'Other.' } })).toThrow(
      /clash with those of orders_placed_total \(orders_placed_total\), defined already/,
    );
    // Nothing of the rejected table was added.
    expect(() => registry.define({ fresh_total: row, orders_placed_total: { ...row, help: 'Other.' } })).toThrow(
      TelemetryConfigError,
    );
    expect((registry.metrics as Record<string, unknown>)['fresh_total']).toBeUndefined();
  });
});
