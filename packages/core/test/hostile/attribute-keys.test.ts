// Issue 9, point 8: the service's own OTel instruments (through `meterProvider`) with attribute
// keys that collide once sanitised (`a.b` and `a_b`, `é` and `ü`) or a reserved name
// (`__name__`) produced duplicate or reserved label names: Prometheus rejected the whole scrape,
// the catalogue's metrics with it. The exposition must parse whatever attribute keys arrive.
import { createTelemetry, type Telemetry } from '../../src';
import { labelName } from '../../src/prometheusLabels';
import { captureDiag } from '../../../../test-support/diag';
import { familyText, promtoolCheck } from '../../../../test-support/exposition';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
});

afterEach(() => telemetry.shutdown());

test('colliding, reserved, empty and numeric keys become unique valid label names; promtool accepts the whole scrape', async () => {
  const meter = telemetry.meterProvider.getMeter('service');
  meter.createCounter('jobs_total', { description: 'Jobs.' }).add(1, {
    'a.b': 'dot',
    a_b: 'underscore',
    'a-b': 'dash',
    é: 'e-acute',
    ü: 'u-umlaut',
    __name__: 'reserved',
    '': 'empty',
    '1st': 'digit',
    quantile: 'q',
  });
  meter
    .createHistogram('job_seconds', { description: 'Job time.', advice: { explicitBucketBoundaries: [1] } })
    .record(0.5, { le: 'mine', queue: 'q' });

  const text = await telemetry.scrape();
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  // Values of keys that share a label name are joined by `;` in the order of the original keys.
  expect(familyText(text, 'jobs_total')).toBe(
    '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\n' +
      'jobs_total{a_b="dash;dot;underscore",_="e-acute;u-umlaut",key___name__="reserved",key_="empty",key_1st="digit",key_quantile="q"} 1\n',
  );
  expect(familyText(text, 'job_seconds')).toBe(
    '# HELP job_seconds Job time.\n# TYPE job_seconds histogram\n' +
      'job_seconds_bucket{key_le="mine",queue="q",le="1"} 1\n' +
      'job_seconds_bucket{key_le="mine",queue="q",le="+Inf"} 1\n' +
      'job_seconds_sum{key_le="mine",queue="q"} 0.5\n' +
      'job_seconds_count{key_le="mine",queue="q"} 1\n',
  );
  expect(text).toContain('customer_signups_total{tier="pro"} 1\n');
});

test('two series that read the same once sanitised are written once, and reported once', async () => {
  const logs = captureDiag();
  try {
    const counter = telemetry.meterProvider.getMeter('service').createCounter('hits_total', { description: 'Hits.' });
    counter.add(1, { 'page.id': 'x' });
    counter.add(2, { 'page-id': 'x' });
    const text = await telemetry.scrape();
    await telemetry.scrape();
    expect(familyText(text, 'hits_total')).toBe(
      '# HELP hits_total Hits.\n# TYPE hits_total counter\nhits_total{page_id="x"} 1\n',
    );
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(logs.warnings).toEqual([expect.stringContaining('hits_total has two series labelled {page_id="x"}')]);
  } finally {
    logs.stop();
  }
});

test('a resource label gives way to a metric label of the same name', async () => {
  await telemetry.shutdown();
  telemetry = createTelemetry(
    { serviceName: 'svc', prometheus: { server: false, resourceLabels: true }, runtimeMetrics: false },
    { env: {} },
  );
  telemetry.meterProvider
    .getMeter('service')
    .createCounter('calls_total', { description: 'Calls.' })
    .add(1, { 'service-name': 'mine' });
  const text = await telemetry.scrape();
  expect(text).toContain(
    'calls_total{service_name="mine",service_version="0.0.0",deployment_environment_name="development"} 1\n',
  );
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test.each([
  ['http.route', 'http_route'],
  ['a..b', 'a_b'],
  ['__name__', 'key___name__'],
  ['__meta', 'key___meta'],
  ['_private', '_private'],
  ['', 'key_'],
  ['9lives', 'key_9lives'],
  ['le', 'key_le'],
  ['quantile', 'key_quantile'],
  ['level', 'level'],
  ['日本', '_'],
])('labelName(%j) is %j', (key, name) => {
  expect(labelName(key)).toBe(name);
});
