import {
  CATALOGUE,
  createTelemetry,
  defaultRegistry,
  MetricRegistry,
  TelemetryConfigError,
  type Telemetry,
} from '../src';
import { captureDiag, type CapturedDiag } from '../../../test-support/diag';
import { familyText, parseSamples } from '../../../test-support/exposition';

let telemetry: Telemetry;
let logs: CapturedDiag;

beforeEach(() => {
  logs = captureDiag();
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});

afterEach(async () => {
  logs.stop();
  await telemetry.shutdown();
});

describe('invalid values', () => {
  const request = { method: 'GET', endpoint: '/', status_code: 200 } as const;

  test('are dropped, never thrown, create no series and are counted by metric and reason', async () => {
    const { metrics } = telemetry;
    const recordAll = () => {
      metrics.http_requests_total.inc(request, -1);
      metrics.http_requests_total.inc(request, NaN);
      metrics.http_requests_total.inc(request, Infinity);
      metrics.http_requests_total.inc(request, -Infinity);
      metrics.http_request_duration_seconds.observe(request, -0.5);
      metrics.http_request_duration_seconds.observe(request, NaN);
      metrics.http_request_duration_seconds.observe(request, Infinity);
      metrics.customers_active.set({ tier: 'pro' }, NaN);
      metrics.agent_executions_active.inc({ package: 'p', tier: 't' }, NaN);
      metrics.agent_executions_active.dec({ package: 'p', tier: 't' }, Infinity);
      // A JavaScript caller may pass what the types forbid.
      metrics.llm_api_calls_total.inc({ provider: 'x', model: 'y', status: 'success' }, '5' as unknown as number);
    };
    expect(recordAll).not.toThrow();
    metrics.db_connections_waiting.addCallback((observe) => observe({}, NaN));

    const text = await telemetry.scrape();
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds',
      'customers_active',
      'agent_executions_active',
      'llm_api_calls_total',
      'db_connections_waiting',
    ]) {
      expect(familyText(text, name)).toBe('');
    }
    expect(familyText(text, 'agent_telemetry_recordings_dropped_total')).toBe(
      `# HELP agent_telemetry_recordings_dropped_total ${CATALOGUE.agent_telemetry_recordings_dropped_total.help}\n` +
        '# TYPE agent_telemetry_recordings_dropped_total counter\n' +
        'agent_telemetry_recordings_dropped_total{metric="http_requests_total",reason="negative_value"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="http_requests_total",reason="non_finite_value"} 3\n' +
        'agent_telemetry_recordings_dropped_total{metric="http_request_duration_seconds",reason="negative_value"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="http_request_duration_seconds",reason="non_finite_value"} 2\n' +
        'agent_telemetry_recordings_dropped_total{metric="customers_active",reason="non_finite_value"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="agent_executions_active",reason="non_finite_value"} 2\n' +
        'agent_telemetry_recordings_dropped_total{metric="llm_api_calls_total",reason="non_finite_value"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="db_connections_waiting",reason="non_finite_value"} 1\n',
    );
  });

  test('through bound handles too, leaving the recorded values intact', async () => {
    const counter = telemetry.metrics.http_requests_total.labels(request);
    const histogram = telemetry.metrics.http_request_duration_seconds.labels(request);
    const gauge = telemetry.metrics.customers_active.labels({ tier: 'pro' });
    const upDown = telemetry.metrics.agent_executions_active.labels({ package: 'p', tier: 't' });
    counter.inc(2);
    histogram.observe(0.2);
    gauge.set(5);
    upDown.inc(4);
    expect(() => {
      counter.inc(-1);
      counter.inc(NaN);
      histogram.observe(-1);
      histogram.observe(Infinity);
      gauge.set(-Infinity);
      upDown.dec(NaN);
    }).not.toThrow();

    const samples = parseSamples(await telemetry.scrape());
    const value = (name: string) => samples.find((sample) => sample.name === name)?.value;
    expect(value('http_requests_total')).toBe(2);
    expect(value('http_request_duration_seconds_count')).toBe(1);
    expect(value('http_request_duration_seconds_sum')).toBe(0.2);
    expect(value('customers_active')).toBe(5);
    expect(value('agent_executions_active')).toBe(4);
    expect(
      samples.filter((sample) => sample.name === 'agent_telemetry_recordings_dropped_total').map((s) => s.value),
    ).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test('are logged once per metric and reason', () => {
    for (let i = 0; i < 5; i++) {
      telemetry.metrics.revenue_usd_total.inc({ tier: 'pro', source: 'card' }, -1);
      telemetry.metrics.revenue_usd_total.inc({ tier: 'pro', source: 'card' }, NaN);
    }
    expect(logs.warnings).toEqual([
      expect.stringContaining('dropped a recording of revenue_usd_total (negative_value)'),
      expect.stringContaining('dropped a recording of revenue_usd_total (non_finite_value)'),
    ]);
  });
});

describe('cardinality limit', () => {
  test('at the default limit of 2000, label set 2000 and later share one overflow series', async () => {
    const errors = telemetry.metrics.db_errors_total;
    for (let i = 0; i < 2500; i++) errors.inc({ operation: 'SELECT', error_type: `type_${i}` });
    errors.inc({ operation: 'SELECT', error_type: 'type_0' });

    const samples = parseSamples(await telemetry.scrape()).filter((sample) => sample.name === 'db_errors_total');
    expect(samples).toHaveLength(2000);
    expect(samples[0]).toEqual({
      name: 'db_errors_total',
      labels: { operation: 'SELECT', error_type: 'type_0' },
      value: 2,
    });
    expect(samples[1998]!.labels).toEqual({ operation: 'SELECT', error_type: 'type_1998' });
    expect(samples[1999]).toEqual({ name: 'db_errors_total', labels: { otel_metric_overflow: 'true' }, value: 501 });
  });

  test('cardinalityLimits overrides a metric limit; an invalid one is a TelemetryConfigError', () => {
    const registry = new MetricRegistry({ cardinalityLimits: { customer_signups_total: 3 } });
    for (let i = 0; i < 10; i++) registry.metrics.customer_signups_total.inc({ tier: `t${i}` });
    const points = registry
      .collectSync()
      .scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'customer_signups_total')!.dataPoints;
    expect(points.map((point) => [point.attributes, point.value])).toEqual([
      [{ tier: 't0' }, 1],
      [{ tier: 't1' }, 1],
      [{ 'otel.metric.overflow': true }, 8],
    ]);

    expect(() => new MetricRegistry({ cardinalityLimits: { customer_signups_total: 0 } })).toThrow(
      new TelemetryConfigError('cardinalityLimits.customer_signups_total', 0, 'a positive integer'),
    );
    expect(() => new MetricRegistry({ cardinalityLimits: { no_such_metric: 5 } as never })).toThrow(
      /invalid cardinalityLimits\.no_such_metric: 5; accepted: a metric name of the catalogue/,
    );
  });
});

describe('collect', () => {
  test('reports cumulative points that keep their start time and attribute objects across collections', () => {
    const registry = new MetricRegistry();
    registry.metrics.customer_signups_total.inc({ tier: 'pro' });
    const first = registry
      .collectSync()
      .scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'customer_signups_total')!;
    registry.metrics.customer_signups_total.inc({ tier: 'pro' }, 2);
    const second = registry
      .collectSync()
      .scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'customer_signups_total')!;
    expect(first.dataPoints[0]!.value).toBe(1);
    expect(second.dataPoints[0]!.value).toBe(3);
    expect(second.dataPoints[0]!.startTime).toEqual(first.dataPoints[0]!.startTime);
    expect(second.dataPoints[0]!.attributes).toBe(first.dataPoints[0]!.attributes);
    expect(second.descriptor).toMatchObject({
      name: 'customer_signups_total',
      unit: '{signup}',
      description: 'Customer signups, by tier.',
    });
  });

  test('a histogram point is a snapshot: later observations do not change it', () => {
    const registry = new MetricRegistry();
    const duration = registry.metrics.redis_operation_duration_seconds.labels({ operation: 'GET' });
    duration.observe(0.0002);
    const point = registry
      .collectSync()
      .scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'redis_operation_duration_seconds')!.dataPoints[0]!
      .value as { count: number; buckets: { counts: number[] } };
    duration.observe(0.0002);
    expect(point.count).toBe(1);
    expect(point.buckets.counts).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

test('defaultRegistry() is one registry per process', () => {
  expect(defaultRegistry()).toBe(defaultRegistry());
  expect(defaultRegistry()).toBeInstanceOf(MetricRegistry);
});
