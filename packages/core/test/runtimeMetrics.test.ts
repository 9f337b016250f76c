import { catalogueEntries, createTelemetry, RUNTIME_METRICS, type MetricName, type Telemetry } from '../src';
import { familyNames, promtoolCheck } from '../../../test-support/exposition';

let telemetry: Telemetry;

beforeAll(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: true }, { env: {} });
});

afterAll(() => telemetry.shutdown());

/** Gives every catalogue metric one sample, each label set to a value of its own name. */
function recordEveryCatalogueMetric(): void {
  const metrics = telemetry.metrics as unknown as Record<MetricName, Record<string, (...args: unknown[]) => unknown>>;
  for (const [name, definition] of catalogueEntries()) {
    const labels = Object.fromEntries(definition.labels.map((label) => [label, `${label}-value`]));
    const instrument = metrics[name];
    switch (definition.kind) {
      case 'counter':
      case 'updowncounter':
        instrument['inc']!(labels, 1);
        break;
      case 'gauge':
        instrument['set']!(labels, 1);
        break;
      case 'histogram':
        instrument['observe']!(labels, 0.5);
        break;
      case 'observable_gauge':
        instrument['addCallback']!((observe: (l: object, v: number) => void) => observe(labels, 1));
        break;
    }
  }
}

/** Scrapes until the event-loop delay monitor has its first samples (it needs a few ticks). */
async function scrapeWhenRuntimeMetricsReady(): Promise<string> {
  for (;;) {
    const text = await telemetry.scrape();
    if (/^nodejs_eventloop_lag_seconds [0-9.e-]+$/m.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('with runtime metrics on and every catalogue metric recorded, the exposition has 50+ families, all passing promtool', async () => {
  recordEveryCatalogueMetric();
  // Garbage, so that the GC duration histogram has observations too.
  let garbage: unknown[] = [];
  for (let i = 0; i < 200_000; i++) garbage.push({ i });
  garbage = [];

  const text = await scrapeWhenRuntimeMetricsReady();
  const families = familyNames(text);

  expect(families.length).toBeGreaterThanOrEqual(50);
  expect(new Set(families).size).toBe(families.length);
  for (const [name] of catalogueEntries()) expect(families).toContain(name);
  // The names existing Node.js dashboards read (prom-client's default metrics).
  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_seconds',
    'nodejs_heap_space_size_used_bytes',
    'nodejs_heap_space_size_total_bytes',
    'nodejs_gc_duration_seconds',
  ]) {
    expect(families).toContain(name);
  }
  // No runtime metric is left under its OTel name: each family is in the catalogue or in RUNTIME_METRICS.
  const known = new Set<string>([
    ...catalogueEntries().map(([name]) => name),
    ...RUNTIME_METRICS.map((metric) => metric.name),
  ]);
  expect(families.filter((name) => !known.has(name))).toEqual([]);

  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test('RUNTIME_METRICS maps each source instrument to one distinct snake_case name', () => {
  const names = RUNTIME_METRICS.map((metric) => metric.name);
  const sources = RUNTIME_METRICS.map((metric) => metric.source);
  expect(new Set(names).size).toBe(names.length);
  expect(new Set(sources).size).toBe(sources.length);
  for (const name of names) expect(name).toMatch(/^(nodejs|process|system)_[a-z0-9_]+$/);
});

test('runtimeMetrics: false leaves only the catalogue metrics', async () => {
  const quiet = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  try {
    const families = familyNames(await quiet.scrape());
    expect(families.filter((name) => /^(nodejs|process|system)_/.test(name))).toEqual([]);
  } finally {
    await quiet.shutdown();
  }
});

test('heap totals and process start time come with runtime metrics, and only with them', async () => {
  const withRuntime = createTelemetry({ prometheus: { server: false }, runtimeMetrics: true }, { env: {} });
  const without = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  try {
    const text = await withRuntime.scrape();
    const heapUsed = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1]);
    const heapTotal = Number(/^nodejs_heap_size_total_bytes (\S+)$/m.exec(text)?.[1]);
    expect(heapUsed).toBeGreaterThan(0);
    expect(heapTotal).toBeGreaterThanOrEqual(heapUsed);
    expect(Number(/^nodejs_external_memory_bytes (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    const started = Number(/^process_start_time_seconds (\S+)$/m.exec(text)?.[1]);
    expect(Math.abs(started - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
    expect(await without.scrape()).not.toMatch(/^(nodejs_heap_size_used_bytes|process_start_time_seconds) /m);
  } finally {
    await Promise.all([withRuntime.shutdown(), without.shutdown()]);
  }
});
