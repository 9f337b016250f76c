import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { catalogueEntries, createTelemetry, type MetricName, type Telemetry } from '../src';
import { versionLabels } from '../src/runtimeMetrics';
import { familyNames, parseSamples, promtoolCheck } from '../../../test-support/exposition';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

const RUNTIME = new Set<string>(catalogueEntries().flatMap(([name, { group }]) => (group === 'runtime' ? [name] : [])));

/** The exposition of fixtures/runtime-metrics.js: prom-client's default metrics or ours, after the same work. */
async function runtimeExposition(which: 'prom-client' | 'agent-telemetry'): Promise<string> {
  const fixture = join(__dirname, 'fixtures', 'runtime-metrics.js');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', fixture, which], { timeout: 20_000 });
  return stdout;
}

interface FamilyShape {
  readonly type: string;
  readonly labels: string[];
  readonly buckets?: string[];
}

/** Each family's type, label names and (histograms) bucket bounds: what a dashboard depends on. */
function shapes(text: string, keep: (name: string) => boolean): Record<string, FamilyShape> {
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
  const samples = parseSamples(text);
  const result: Record<string, FamilyShape> = {};
  for (const [name, type] of types) {
    if (!keep(name)) continue;
    const own = samples.filter(
      (sample) => sample.name.replace(/_(bucket|sum|count)$/, '') === name || sample.name === name,
    );
    const labels = [...new Set(own.flatMap((sample) => Object.keys(sample.labels)).filter((label) => label !== 'le'))];
    const buckets = [
      ...new Set(own.flatMap((sample) => (sample.labels['le'] === undefined ? [] : [sample.labels['le']]))),
    ];
    result[name] = { type, labels: labels.sort(), ...(type === 'histogram' ? { buckets } : {}) };
  }
  return result;
}

test("the runtime metrics have the families, types, label names and buckets of prom-client's collectDefaultMetrics()", async () => {
  const [prom, ours] = await Promise.all([runtimeExposition('prom-client'), runtimeExposition('agent-telemetry')]);
  const expected = shapes(prom, () => true);
  // Every family prom-client reports here (Linux), with samples: none left out by the comparison.
  expect(Object.keys(expected)).toHaveLength(31);
  expect(shapes(ours, (name) => RUNTIME.has(name))).toEqual(expected);
  expect(expected['nodejs_gc_duration_seconds']).toEqual({
    type: 'histogram',
    labels: ['kind'],
    buckets: ['0.001', '0.01', '0.1', '1', '2', '5', '+Inf'],
  });
  expect(expected['nodejs_version_info']!.labels).toEqual(['major', 'minor', 'patch', 'version']);
});

test("the exposition passes promtool but for prom-client's three _total gauges, kept for dashboards", async () => {
  const text = await runtimeExposition('agent-telemetry');
  expect(promtoolCheck(text)).toEqual({
    status: 3,
    output: [
      'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
      '',
    ].join('\n'),
  });
});

test('the runtime samples read what Node reports', async () => {
  const samples = parseSamples(await runtimeExposition('agent-telemetry'));
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((sample) => sample.name === name && JSON.stringify(sample.labels) === JSON.stringify(labels))?.value;
  expect(value('nodejs_version_info', versionLabels(process.version))).toBe(1);
  expect(value('process_cpu_seconds_total')).toBeCloseTo(
    value('process_cpu_user_seconds_total')! + value('process_cpu_system_seconds_total')!,
    2,
  );
  expect(value('nodejs_active_handles', { type: 'Server' })).toBe(1);
  expect(value('nodejs_active_requests', { type: 'FSReqCallback' })).toBe(1);
  expect(value('nodejs_gc_duration_seconds_count', { kind: 'major' })).toBeGreaterThanOrEqual(1);
  expect(value('process_max_fds')).toBeGreaterThan(0);
  expect(value('process_open_fds')).toBeGreaterThan(0);
  expect(value('process_virtual_memory_bytes')).toBeGreaterThan(value('process_resident_memory_bytes')!);
  expect(value('nodejs_heap_space_size_used_bytes', { space: 'old' })).toBeGreaterThan(0);
  expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(value('nodejs_eventloop_lag_p50_seconds')!);
});

test.each([
  ['v22.15.0', { version: 'v22.15.0', major: '22', minor: '15', patch: '0' }],
  ['v24.1.12', { version: 'v24.1.12', major: '24', minor: '1', patch: '12' }],
  ['v25.0.0-nightly2026', { version: 'v25.0.0-nightly2026', major: '25', minor: '0', patch: '0' }],
])('nodejs_version_info labels of %s', (version, labels) => {
  expect(versionLabels(version)).toEqual(labels);
});

describe('in one process', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: true }, { env: {} });
  });
  afterAll(() => telemetry.shutdown());

  test('with every other catalogue metric recorded, each family appears once, all from the catalogue', async () => {
    const metrics = telemetry.metrics as unknown as Record<MetricName, Record<string, (...args: unknown[]) => unknown>>;
    for (const [name, definition] of catalogueEntries()) {
      if (definition.group === 'runtime') continue;
      const labels = Object.fromEntries(definition.labels.map((label) => [label, `${label}-value`]));
      const record = {
        counter: () => metrics[name]['inc']!(labels, 1),
        updowncounter: () => metrics[name]['inc']!(labels, 1),
        gauge: () => metrics[name]['set']!(labels, 1),
        histogram: () => metrics[name]['observe']!(labels, 0.5),
        observable_gauge: () =>
          metrics[name]['addCallback']!((observe: (l: object, v: number) => void) => observe(labels, 1)),
        observable_counter: () =>
          metrics[name]['addCallback']!((observe: (l: object, v: number) => void) => observe(labels, 1)),
      };
      record[definition.kind]();
    }
    const families = familyNames(await telemetry.scrape());
    expect(new Set(families).size).toBe(families.length);
    for (const [name, { group }] of catalogueEntries()) if (group !== 'runtime') expect(families).toContain(name);
    expect(families).toContain('process_cpu_seconds_total');
    // Nothing but the catalogue: no OTel instrument name, no metric of another library.
    const catalogue = new Set<string>(catalogueEntries().map(([name]) => name));
    expect(families.filter((name) => !catalogue.has(name))).toEqual([]);
  });

  test('runtimeMetrics: false leaves the runtime metrics out', async () => {
    const quiet = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
    try {
      expect(familyNames(await quiet.scrape()).filter((name) => RUNTIME.has(name))).toEqual([]);
    } finally {
      await quiet.shutdown();
    }
  });
});
