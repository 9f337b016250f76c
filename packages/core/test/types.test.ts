// Type tests, as prom-client's test/typescript.ts: each `@ts-expect-error` line must fail to
// compile (`npx tsc -p tsconfig.test.json` reports an unused directive otherwise). jest runs the
// file too, showing what such a call does at run time for a JavaScript caller.
import {
  catalogueViews,
  createTelemetry,
  MetricRegistry,
  type Counter,
  type Histogram,
  type LabelName,
  type Labels,
  type MetricNameOfKind,
  type Telemetry,
} from '../src';
import { familyText } from '../../../test-support/exposition';

let telemetry: Telemetry;
beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});
afterEach(() => telemetry.shutdown());

test('a missing label does not compile; at run time it reads as an empty label', async () => {
  const { metrics } = telemetry;
  // @ts-expect-error status_code is missing
  metrics.http_requests_total.inc({ method: 'GET', endpoint: '/' });
  // @ts-expect-error status_code is missing
  metrics.http_request_duration_seconds.labels({ method: 'GET', endpoint: '/' }).observe(0.1);
  // @ts-expect-error tier is missing
  metrics.customers_active.set({}, 3);

  expect(familyText(await telemetry.scrape(), 'http_requests_total')).toContain(
    'http_requests_total{method="GET",endpoint="/",status_code=""} 1\n',
  );
});

test('an unknown label does not compile; at run time it is ignored', async () => {
  const { metrics } = telemetry;
  // @ts-expect-error http_requests_in_flight has no labels at all
  metrics.http_requests_in_flight.inc({ method: 'GET' });
  // @ts-expect-error db_connections_active has no labels at all
  metrics.db_connections_active.addCallback((observe) => observe({ pool: 'main' }, 1));
  metrics.http_requests_in_flight.inc({});
  // @ts-expect-error plan is not a label of customer_signups_total
  metrics.customer_signups_total.inc({ tier: 'pro', plan: 'yearly' });
  // @ts-expect-error user_id is not a label of agent_executions_active
  metrics.agent_executions_active.labels({ package: 'p', tier: 'free', user_id: 'u-1' }).inc();

  expect(familyText(await telemetry.scrape(), 'customer_signups_total')).toContain(
    'customer_signups_total{tier="pro"} 1\n',
  );
});

test('a label value must be a string or a number', () => {
  // @ts-expect-error a boolean is not a label value
  telemetry.metrics.customer_signups_total.inc({ tier: true });
  // Numbers are fine: status codes are numbers.
  telemetry.metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 404 });
});

test('each kind has only its own operations', () => {
  const { metrics } = telemetry;
  const labels = { method: 'GET', endpoint: '/', status_code: 200 } as const;
  // @ts-expect-error a counter cannot observe
  expect(() => metrics.http_requests_total.observe(labels, 0.2)).toThrow(TypeError);
  // @ts-expect-error a counter cannot go down
  expect(() => metrics.http_requests_total.dec(labels)).toThrow(TypeError);
  // @ts-expect-error a bound counter cannot observe either
  expect(() => metrics.http_requests_total.labels(labels).observe(0.2)).toThrow(TypeError);
  // @ts-expect-error a histogram cannot be incremented
  expect(() => metrics.http_request_duration_seconds.inc(labels)).toThrow(TypeError);
  // @ts-expect-error a gauge is set, not incremented
  expect(() => metrics.customers_active.inc({ tier: 'pro' })).toThrow(TypeError);
  // @ts-expect-error an observable gauge is read by callbacks only
  expect(() => metrics.db_connections_active.set({}, 1)).toThrow(TypeError);
  // @ts-expect-error values are numbers
  metrics.http_request_duration_seconds.observe(labels, '0.2');
  // @ts-expect-error no such metric
  expect(metrics.http_requests).toBeUndefined();
});

test('the catalogue types name each metric, its labels and its instrument', () => {
  const counter: Counter<'http_requests_total'> = telemetry.metrics.http_requests_total;
  const histogram: Histogram<'db_query_duration_seconds'> = telemetry.metrics.db_query_duration_seconds;
  const label: LabelName<'db_query_duration_seconds'> = 'table';
  const labels: Labels<'rate_limit_usage_ratio'> = { tier: 'pro', type: 'requests' };
  const histogramName: MetricNameOfKind<'histogram'> = 'llm_api_duration_seconds';
  // @ts-expect-error a counter is not a histogram
  const wrongKind: MetricNameOfKind<'histogram'> = 'http_requests_total';
  // @ts-expect-error `le` is not a label of any catalogue metric
  const wrongLabel: LabelName<'db_query_duration_seconds'> = 'le';
  expect([counter.name, histogram.name, label, labels.tier, histogramName, wrongKind, wrongLabel]).toHaveLength(7);
});

test('cardinality limits are keyed by catalogue metric names', () => {
  expect(() => new MetricRegistry({ cardinalityLimits: { http_requests_total: 10 } })).not.toThrow();
  // @ts-expect-error not a catalogue metric
  expect(() => catalogueViews({ cardinalityLimits: { http_requests: 10 } })).toThrow(
    /cardinalityLimits\.http_requests/,
  );
});

test('a JavaScript caller that passes no label set gets empty labels, not a TypeError', async () => {
  const untyped = telemetry.metrics.customer_signups_total as unknown as { inc(): void };
  expect(() => untyped.inc()).not.toThrow();
  expect(familyText(await telemetry.scrape(), 'customer_signups_total')).toContain(
    'customer_signups_total{tier=""} 1\n',
  );
});
