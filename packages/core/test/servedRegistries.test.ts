import { Counter as IoCounter, Registry as IoRegistry } from '@prometheus-io/client';
import * as promClient from 'prom-client';
import { createTelemetry, TelemetryConfigError, type CoreOptions, type Telemetry } from '../src';
import { captureDiag, type CapturedDiag } from '../../../test-support/diag';
import { familyNames, familyText, promtoolCheck } from '../../../test-support/exposition';

let telemetry: Telemetry | undefined;
let diagnostics: CapturedDiag | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  diagnostics?.stop();
  telemetry = diagnostics = undefined;
});

function start(
  registries: CoreOptions['prometheus'] extends infer P ? (P extends { registries?: infer R } ? R : never) : never,
  options: CoreOptions = {},
): Telemetry {
  diagnostics = captureDiag();
  return (telemetry = createTelemetry(
    { prometheus: { server: false, registries }, runtimeMetrics: false, ...options },
    { env: {} },
  ));
}

test("a prom-client registry's metrics follow agent-telemetry's in one valid exposition", async () => {
  const register = new promClient.Registry();
  const legacy = new promClient.Counter({
    name: 'legacy_jobs_total',
    help: 'Jobs run.',
    labelNames: ['queue'],
    registers: [register],
  });
  const latency = new promClient.Histogram({
    name: 'legacy_job_seconds',
    help: 'Job time.',
    buckets: [1, 5],
    registers: [register],
  });
  legacy.inc({ queue: 'mail' }, 3);
  latency.observe(2);
  start([register]).metrics.customer_signups_total.inc({ tier: 'pro' });

  const text = await telemetry!.scrape();
  const ours = text.slice(0, text.indexOf('# HELP legacy_jobs_total'));
  expect(ours).toContain('customer_signups_total{tier="pro"} 1\n');
  expect(text).toBe(ours + (await register.metrics()));
  expect(familyText(text, 'legacy_jobs_total')).toBe(
    '# HELP legacy_jobs_total Jobs run.\n# TYPE legacy_jobs_total counter\nlegacy_jobs_total{queue="mail"} 3\n\n',
  );
  expect(text).toContain('legacy_job_seconds_bucket{le="5"} 1\n');
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  expect(diagnostics!.warnings).toEqual([]);
});

test('an @prometheus-io/client registry is served the same way', async () => {
  const registry = new IoRegistry();
  new IoCounter({ name: 'io_events_total', help: 'Events.', registers: [registry] }).inc(2);
  start([registry]);
  const text = await telemetry!.scrape();
  expect(familyText(text, 'io_events_total')).toBe(
    '# HELP io_events_total Events.\n# TYPE io_events_total counter\nio_events_total 2\n',
  );
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test('clashes are reported at start-up and the clashing families left out, so the exposition stays valid', async () => {
  const first = new promClient.Registry();
  const second = new promClient.Registry();
  // The catalogue's counter, a name a catalogue histogram's series takes, the service's own metric.
  new promClient.Counter({
    name: 'http_requests_total',
    help: 'Old requests.',
    labelNames: ['path'],
    registers: [first],
  }).inc({ path: '/a' });
  new promClient.Gauge({ name: 'db_query_duration_seconds_count', help: 'Odd.', registers: [first] }).set(1);
  new promClient.Counter({ name: 'orders_total', help: 'Old orders.', registers: [first] }).inc();
  new promClient.Counter({ name: 'kept_total', help: 'Kept.', registers: [first] }).inc();
  // The same name in two served registries: the first one's is served.
  new promClient.Counter({ name: 'kept_total', help: 'Kept twice.', registers: [second] }).inc(5);
  start([first, second], { metrics: { orders_total: { kind: 'counter', help: 'Orders.', labels: [] } } });

  expect(diagnostics!.warnings).toEqual([
    expect.stringContaining(
      "metrics of the served prom-client registry #1 left out of the exposition, their names taken by agent-telemetry's metrics already: http_requests_total, db_query_duration_seconds_count (by agent-telemetry's db_query_duration_seconds), orders_total. Rename them or remove them",
    ),
    expect.stringContaining(
      "metrics of the served prom-client registry #2 left out of the exposition, their names taken by agent-telemetry's metrics already: kept_total (by kept_total of the served prom-client registry #1)",
    ),
  ]);
  telemetry!.metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 200 });
  const text = await telemetry!.scrape();
  const families = familyNames(text);
  expect(new Set(families).size).toBe(families.length);
  expect(text).not.toContain('path="/a"');
  expect(text).not.toContain('Old orders.');
  expect(familyText(text, 'kept_total')).toBe('# HELP kept_total Kept.\n# TYPE kept_total counter\nkept_total 1\n');
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  // Each clash is reported once, not at every scrape.
  await telemetry!.scrape();
  expect(diagnostics!.warnings).toHaveLength(2);
});

test('a clash with an instrument made later through the OTel API is found at the scrape', async () => {
  const register = new promClient.Registry();
  new promClient.Counter({ name: 'orders_placed_total', help: 'Old.', registers: [register] }).inc();
  start([register]).meterProvider.getMeter('shop').createCounter('orders.placed', { description: 'New.' }).add(2);
  const text = await telemetry!.scrape();
  expect(familyText(text, 'orders_placed_total')).toBe(
    '# HELP orders_placed_total New.\n# TYPE orders_placed_total counter\norders_placed_total 2\n',
  );
  expect(diagnostics!.warnings).toEqual([
    expect.stringContaining("taken by agent-telemetry's metrics already: orders_placed_total. Rename"),
  ]);
});

test('a registry whose collection fails is left out of that scrape, which still succeeds', async () => {
  const register = new promClient.Registry();
  new promClient.Gauge({
    name: 'broken_value',
    help: 'Broken.',
    registers: [register],
    collect() {
      throw new Error('database gone');
    },
  });
  start([register]).metrics.customer_signups_total.inc({ tier: 'pro' });
  const text = await telemetry!.scrape();
  expect(text).toContain('customer_signups_total{tier="pro"} 1\n');
  expect(text).not.toContain('broken_value');
  expect(diagnostics!.errors).toEqual([
    expect.stringContaining(
      'a served prom-client registry failed to collect: its metrics are left out of the scrape Error: database gone',
    ),
  ]);
});

test('what is not a text-format registry is a TelemetryConfigError', () => {
  const openMetrics = new promClient.Registry<promClient.OpenMetricsContentType>();
  openMetrics.setContentType(promClient.Registry.OPENMETRICS_CONTENT_TYPE);
  for (const registries of [[openMetrics], [{}], 'register'] as never[]) {
    expect(() => createTelemetry({ prometheus: { server: false, registries } }, { env: {} })).toThrow(
      TelemetryConfigError,
    );
  }
  expect(() => createTelemetry({ prometheus: { server: false, registries: [openMetrics] } }, { env: {} })).toThrow(
    'invalid prometheus.registries: "<registries>"; accepted: an array of prom-client or @prometheus-io/client registries in the text format (not OpenMetrics)',
  );
});

test("prom-client's default metrics clash with the runtime metrics, in one warning; with runtimeMetrics off they are served", async () => {
  const register = new promClient.Registry();
  promClient.collectDefaultMetrics({ register });
  start([register], { runtimeMetrics: true });
  expect(diagnostics!.warnings).toEqual([
    expect.stringMatching(
      /metrics of the served prom-client registry #1 left out of the exposition, their names taken by agent-telemetry's metrics already: process_cpu_user_seconds_total, process_cpu_system_seconds_total, .*, nodejs_gc_duration_seconds\. Rename them .*drop that call, or set runtimeMetrics: false$/,
    ),
  ]);
  const families = familyNames(await telemetry!.scrape());
  expect(new Set(families).size).toBe(families.length);
  await telemetry!.shutdown();
  diagnostics!.stop();

  start([register]);
  expect(diagnostics!.warnings).toEqual([]);
  expect(familyNames(await telemetry!.scrape())).toContain('nodejs_version_info');
});
