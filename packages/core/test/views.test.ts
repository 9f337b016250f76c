import type { Attributes, Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  CATALOGUE,
  catalogueViews,
  MetricRegistry,
  PrometheusTextSerializer,
  type CardinalityLimits,
  type MetricName,
  type MetricRegistryOptions,
} from '../src';
import { parseSamples, sampleKeys } from '../../../test-support/exposition';

/**
 * The same recordings through two paths: agent-telemetry's registry (plain cells reported by a
 * MetricProducer) and a real OTel MeterProvider whose sync instruments carry the catalogue's names
 * and get the catalogue's Views. Both are collected by a Prometheus reader and written by our
 * serializer; the samples must be equal.
 */
class BothPaths {
  readonly registry: MetricRegistry;
  private readonly _registryReader: PrometheusExporter;
  private readonly _sdkReader = new PrometheusExporter({ preventServerStart: true });
  private readonly _providers: MeterProvider[];
  readonly meter: Meter;

  constructor(options: MetricRegistryOptions = {}) {
    this.registry = new MetricRegistry(options);
    this._registryReader = new PrometheusExporter({ preventServerStart: true, metricProducers: [this.registry] });
    const sdk = new MeterProvider({ views: catalogueViews(options), readers: [this._sdkReader] });
    this._providers = [new MeterProvider({ readers: [this._registryReader] }), sdk];
    this.meter = sdk.getMeter('equivalence');
  }

  /**
   * Sorted samples of each path, without the series the registry always has (zero-label metrics)
   * and without agent-telemetry's own metrics, which only the registry records.
   */
  async samples(): Promise<{ registry: string[]; sdk: string[] }> {
    const serializer = new PrometheusTextSerializer();
    const read = async (reader: PrometheusExporter) =>
      sampleKeys(parseSamples(serializer.serialize((await reader.collect()).resourceMetrics)));
    const alwaysPresent = /^(http_requests_in_flight|agent_telemetry_\w+)\{/;
    return {
      registry: (await read(this._registryReader)).filter((key) => !alwaysPresent.test(key)),
      sdk: await read(this._sdkReader),
    };
  }

  shutdown(): Promise<void[]> {
    return Promise.all(this._providers.map((provider) => provider.shutdown()));
  }
}

function instrumentOptions(name: MetricName) {
  return { description: CATALOGUE[name].help, unit: CATALOGUE[name].unit };
}

let paths: BothPaths | undefined;
afterEach(() => paths?.shutdown());

test('counters, histograms, gauges and up-down counters give the same samples through both paths', async () => {
  paths = new BothPaths();
  const { registry, meter } = paths;
  const requests = meter.createCounter('http_requests_total', instrumentOptions('http_requests_total'));
  const duration = meter.createHistogram(
    'http_request_duration_seconds',
    instrumentOptions('http_request_duration_seconds'),
  );
  const dbDuration = meter.createHistogram('db_query_duration_seconds', instrumentOptions('db_query_duration_seconds'));
  const customers = meter.createGauge('customers_active', instrumentOptions('customers_active'));
  const active = meter.createUpDownCounter('agent_executions_active', instrumentOptions('agent_executions_active'));

  const get = { method: 'GET', endpoint: '/api/v1/packages', status_code: 200 };
  const post = { method: 'POST', endpoint: '/api/v1/executions', status_code: 201 };
  for (const [labels, seconds] of [
    [get, 0.004],
    [get, 0.005],
    [get, 0.7],
    [post, 2],
    [post, 45],
  ] as const) {
    requests.add(1, labels);
    registry.metrics.http_requests_total.inc(labels);
    duration.record(seconds, labels);
    registry.metrics.http_request_duration_seconds.observe(labels, seconds);
  }
  for (const seconds of [0.0005, 0.5, 0.51, 7]) {
    dbDuration.record(seconds, { operation: 'SELECT', table: 'packages' });
    registry.metrics.db_query_duration_seconds.observe({ operation: 'SELECT', table: 'packages' }, seconds);
  }
  customers.record(10, { tier: 'pro' });
  customers.record(12, { tier: 'pro' });
  registry.metrics.customers_active.set({ tier: 'pro' }, 10);
  registry.metrics.customers_active.set({ tier: 'pro' }, 12);
  active.add(3, { package: 'summarizer', tier: 'free' });
  active.add(-1, { package: 'summarizer', tier: 'free' });
  registry.metrics.agent_executions_active.inc({ package: 'summarizer', tier: 'free' }, 3);
  registry.metrics.agent_executions_active.dec({ package: 'summarizer', tier: 'free' });

  const { registry: ours, sdk } = await paths.samples();
  expect(ours).toEqual(sdk);
  // Not vacuous: every kind is there, with the catalogue's buckets.
  expect(ours).toContain(
    'http_request_duration_seconds_bucket{endpoint="/api/v1/packages",le="0.005",method="GET",status_code="200"} 2',
  );
  expect(ours).toContain('db_query_duration_seconds_bucket{le="0.5",operation="SELECT",table="packages"} 2');
  expect(ours).toContain('customers_active{tier="pro"} 12');
  expect(ours).toContain('agent_executions_active{package="summarizer",tier="free"} 2');
  expect(ours.filter((key) => key.startsWith('db_query_duration_seconds_bucket'))).toHaveLength(13);
});

test('attributes outside the catalogue labels are dropped on both paths', async () => {
  paths = new BothPaths();
  const { registry, meter } = paths;
  const calls = meter.createCounter('llm_api_calls_total', instrumentOptions('llm_api_calls_total'));
  const extra: Attributes = {
    provider: 'openai',
    model: 'gpt-4o',
    status: 'success',
    user_id: 'u-42',
    'http.route': '/x',
  };
  calls.add(2, extra);
  // A JavaScript caller (or a cast) may pass more labels than the type allows.
  registry.metrics.llm_api_calls_total.inc(extra as never, 2);

  const { registry: ours, sdk } = await paths.samples();
  expect(ours).toEqual(sdk);
  expect(ours).toEqual(['llm_api_calls_total{model="gpt-4o",provider="openai",status="success"} 2']);
});

test('past the cardinality limit both paths fold new label sets into one otel_metric_overflow series', async () => {
  const cardinalityLimits: CardinalityLimits = { agent_tokens_used_total: 4, http_request_size_bytes: 3 };
  paths = new BothPaths({ cardinalityLimits });
  const { registry, meter } = paths;
  const tokens = meter.createCounter('agent_tokens_used_total', instrumentOptions('agent_tokens_used_total'));
  const sizes = meter.createHistogram('http_request_size_bytes', instrumentOptions('http_request_size_bytes'));
  for (let i = 0; i < 7; i++) {
    const labels = { package: `package-${i}`, tier: 'pro', type: 'input' };
    tokens.add(10 + i, labels);
    registry.metrics.agent_tokens_used_total.inc(labels, 10 + i);
    sizes.record(100 * i, { method: 'POST', endpoint: `/e/${i}` });
    registry.metrics.http_request_size_bytes.observe({ method: 'POST', endpoint: `/e/${i}` }, 100 * i);
  }
  // A label set kept before the limit still records into its own series.
  tokens.add(1, { package: 'package-0', tier: 'pro', type: 'input' });
  registry.metrics.agent_tokens_used_total.inc({ package: 'package-0', tier: 'pro', type: 'input' });

  const { registry: ours, sdk } = await paths.samples();
  expect(ours).toEqual(sdk);
  expect(ours.filter((key) => key.startsWith('agent_tokens_used_total'))).toEqual([
    'agent_tokens_used_total{otel_metric_overflow="true"} 58',
    'agent_tokens_used_total{package="package-0",tier="pro",type="input"} 11',
    'agent_tokens_used_total{package="package-1",tier="pro",type="input"} 11',
    'agent_tokens_used_total{package="package-2",tier="pro",type="input"} 12',
  ]);
  expect(ours).toContain('http_request_size_bytes_count{otel_metric_overflow="true"} 5');
});

test('catalogueViews() sets each metric its buckets, allow-list and cardinality limit', () => {
  const views = catalogueViews({ cardinalityLimits: { http_requests_total: 50 } });
  expect(views.map((view) => view.instrumentName)).toEqual(Object.keys(CATALOGUE));
  const byName = new Map(views.map((view) => [view.instrumentName, view]));
  expect(byName.get('http_requests_total')?.aggregationCardinalityLimit).toBe(50);
  expect(byName.get('db_errors_total')?.aggregationCardinalityLimit).toBe(2000);
  expect(byName.get('db_query_duration_seconds')?.aggregation).toEqual({
    type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
    options: { boundaries: [...CATALOGUE.db_query_duration_seconds.buckets], recordMinMax: true },
  });
});
