import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { AggregationType, MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusTextSerializer } from '../src';
import { escapeLabelValue } from '../src/prometheusLabels';
import { captureDiag } from '../../../test-support/diag';
import { parseSamples, promtoolCheck, sampleKeys } from '../../../test-support/exposition';

let provider: MeterProvider;
let reader: PrometheusExporter;

beforeEach(() => {
  reader = new PrometheusExporter({ preventServerStart: true });
  provider = new MeterProvider({
    readers: [reader],
    views: [{ instrumentName: 'exponential_seconds', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
});

afterEach(() => provider.shutdown());

async function collect(): Promise<ResourceMetrics> {
  return (await reader.collect()).resourceMetrics;
}

describe('escapeLabelValue', () => {
  test.each([
    ['plain', 'plain'],
    ['', ''],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['line\nbreak', 'line\\nbreak'],
    ['\\"\n', '\\\\\\"\\n'],
    ['tab\there', 'tab\there'],
    ['carriage\rreturn', 'carriage\rreturn'],
    ['Zürich 日本語 🚀', 'Zürich 日本語 🚀'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });

  test('non-string attribute values are written as JSON', () => {
    expect(escapeLabelValue(200)).toBe('200');
    expect(escapeLabelValue(true)).toBe('true');
    expect(escapeLabelValue(['a', 'b'])).toBe('[\\"a\\",\\"b\\"]');
  });
});

test('gives the same samples as the exporter’s PrometheusSerializer for every kind the SDK records', async () => {
  const meter = provider.getMeter('kinds');
  meter.createCounter('jobs', { description: 'Jobs.' }).add(3, { queue: 'a"b', 'service.tier': 'pro' });
  meter.createCounter('retries_total', { description: 'Retries.' }).add(2);
  meter.createUpDownCounter('queue_depth', { description: 'Depth.' }).add(-4, { queue: 'x' });
  meter.createGauge('temperature_celsius', { description: 'Temp.' }).record(21.5, { room: 'lab\nb' });
  meter
    .createHistogram('latency_seconds', { description: 'Latency.', advice: { explicitBucketBoundaries: [0.1, 1, 10] } })
    .record(0.5, { op: 'get' });
  meter
    .createObservableCounter('cpu_seconds', { description: 'CPU.' })
    .addCallback((result) => result.observe(12.5, { state: 'user' }));
  meter.createObservableGauge('open_fds', { description: 'FDs.' }).addCallback((result) => result.observe(17));

  const resourceMetrics = await collect();
  const ours = new PrometheusTextSerializer().serialize(resourceMetrics);
  const upstream = new PrometheusSerializer('', false, undefined, true, true).serialize(resourceMetrics);

  expect(sampleKeys(parseSamples(ours))).toEqual(sampleKeys(parseSamples(upstream)));
  // Same families and types, in the same order.
  const types = (text: string) => text.match(/^# TYPE .*$/gm);
  expect(types(ours)).toEqual(types(upstream));
  expect(types(ours)).toEqual([
    '# TYPE jobs_total counter',
    '# TYPE retries_total counter',
    '# TYPE queue_depth gauge',
    '# TYPE temperature_celsius gauge',
    '# TYPE latency_seconds histogram',
    '# TYPE cpu_seconds_total counter',
    '# TYPE open_fds gauge',
  ]);
  expect(ours).toContain('jobs_total{queue="a\\"b",service_tier="pro"} 3\n');
  expect(promtoolCheck(ours).status).toBe(0);
});

test('writes buckets, then _sum and _count, for a histogram without labels', async () => {
  provider
    .getMeter('m')
    .createHistogram('size_bytes', { description: 'Size.', advice: { explicitBucketBoundaries: [10, 100] } })
    .record(50);
  expect(new PrometheusTextSerializer().serialize(await collect())).toBe(
    '# HELP size_bytes Size.\n' +
      '# TYPE size_bytes histogram\n' +
      'size_bytes_bucket{le="10"} 0\n' +
      'size_bytes_bucket{le="100"} 1\n' +
      'size_bytes_bucket{le="+Inf"} 1\n' +
      'size_bytes_sum 50\n' +
      'size_bytes_count 1\n',
  );
});

test('escapes backslashes and newlines in HELP', async () => {
  provider.getMeter('m').createGauge('odd_help', { description: 'path C:\\tmp\nsecond line "quoted"' }).record(1);
  const text = new PrometheusTextSerializer().serialize(await collect());
  expect(text).toContain('# HELP odd_help path C:\\\\tmp\\nsecond line "quoted"\n');
  expect(promtoolCheck(text).status).toBe(0);
});

test('constant labels go on every sample; a metric’s own label of the same Prometheus name wins', async () => {
  const meter = provider.getMeter('m');
  meter.createCounter('hits_total', { description: 'Hits.' }).add(1, { service_name: 'own', route: '/' });
  meter
    .createHistogram('wait_seconds', { description: 'Wait.', advice: { explicitBucketBoundaries: [1] } })
    .record(0.5);
  const text = new PrometheusTextSerializer({ 'service.name': 'constant', 'service.version': '1.0' }).serialize(
    await collect(),
  );

  expect(text).toContain('hits_total{service_name="own",route="/",service_version="1.0"} 1\n');
  expect(text).toContain('wait_seconds_bucket{service_name="constant",service_version="1.0",le="1"} 1\n');
  expect(text).toContain('wait_seconds_sum{service_name="constant",service_version="1.0"} 0.5\n');
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test('skips exponential histograms, which have no Prometheus text form, with a warning', async () => {
  const logs = captureDiag();
  try {
    provider.getMeter('m').createHistogram('exponential_seconds').record(1);
    provider.getMeter('m').createCounter('kept_total', { description: 'Kept.' }).add(1);
    const text = new PrometheusTextSerializer().serialize(await collect());
    expect(text).toBe('# HELP kept_total Kept.\n# TYPE kept_total counter\nkept_total 1\n');
    expect(logs.warnings).toEqual([expect.stringContaining('exponential_seconds has no Prometheus form')]);
  } finally {
    logs.stop();
  }
});

test('one name recorded as two kinds keeps the first and warns once', async () => {
  const logs = captureDiag();
  try {
    provider.getMeter('a').createGauge('clash_total', { description: 'First.' }).record(5);
    provider.getMeter('b').createCounter('clash', { description: 'Second.' }).add(1);
    const text = new PrometheusTextSerializer().serialize(await collect());
    expect(text).toBe('# HELP clash_total First.\n# TYPE clash_total gauge\nclash_total 5\n');
    expect(logs.warnings).toEqual([expect.stringContaining('clash_total is both gauge and counter')]);
  } finally {
    logs.stop();
  }
});

test('promtool (the real one) rejects what a serializer without escaping would write', () => {
  const unescaped = '# HELP bad_total Bad.\n# TYPE bad_total counter\nbad_total{v="line\nbreak"} 1\n';
  expect(promtoolCheck(unescaped).status).not.toBe(0);
  expect(promtoolCheck('# HELP bad Bad.\n# TYPE bad counter\nbad 1\n').output).toContain(
    'counter metrics should have "_total" suffix',
  );
});
