import { CATALOGUE, type MetricName } from '@agent-telemetry/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { marketplaceMetrics } from '../src/metrics';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/** Families that healthy demo traffic may leave without samples. */
const ONLY_ON_FAILURE: ReadonlySet<MetricName> = new Set<MetricName>([
  'agent_telemetry_recordings_dropped_total', // an invalid value was recorded
  'agent_telemetry_export_failures_total', // OTLP push failed (the demo does not push)
  'agent_telemetry_cardinality_overflow_total', // a metric went past its cardinality limit
  'agent_telemetry_collection_errors_total', // a metric callback failed or passed the collection deadline
  'agent_telemetry_metrics_requests_rejected_total', // a metrics request was answered 401, 404 or 405
  'llm_unpriced_tokens_total', // a model missing from the price table answered
  'nodejs_active_requests', // libuv requests (file reads, DNS) in flight at the scrape: mostly none
]);

let demo: ChildProcess | undefined;
afterEach(() => demo?.kill('SIGTERM'));

function startDemo(env: Record<string, string>): Promise<string> {
  demo = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    demo!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    demo!.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
  });
}

function familiesWithSamples(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    names.add(line.replace(/[{ ].*$/, '').replace(/_(bucket|sum|count)$/, ''));
  }
  return names;
}

test("within 15 s of start, every family of the catalogue and of the demo's own metrics has samples", async () => {
  const base = await startDemo({});
  const expected = [
    ...(Object.keys(CATALOGUE) as MetricName[]).filter((name) => !ONLY_ON_FAILURE.has(name)),
    ...Object.keys(marketplaceMetrics),
  ];
  let missing: string[] = expected;
  const deadline = Date.now() + 15_000;
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const present = familiesWithSamples(await (await fetch(`${base}/api/v1/metrics`)).text());
    missing = expected.filter((name) => !present.has(name));
  }
  expect(missing).toEqual([]);
}, 30_000);

// The breaker needs 5 failed calls in its window: on a loaded machine the demo's traffic is slower,
// so this waits up to 30 s (the 15 s promise is about families having samples, tested above).
test('the first provider outage opens the circuit breaker, and errors are counted', async () => {
  const base = await startDemo({});
  const sampled = (text: string, series: string): number =>
    Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  let text = '';
  let maxState = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    text = await (await fetch(`${base}/api/v1/metrics`)).text();
    maxState = Math.max(maxState, sampled(text, 'circuit_breaker_state\\{name="anthropic_api"\\}'));
    if (maxState === 2 && sampled(text, 'circuit_breaker_rejections_total\\{name="anthropic_api"\\}') > 0) break;
  }
  expect(maxState).toBe(2);
  expect(sampled(text, 'circuit_breaker_rejections_total\\{name="anthropic_api"\\}')).toBeGreaterThan(0);
  expect(sampled(text, 'llm_api_errors_total\\{provider="anthropic",error_type="server_error"\\}')).toBeGreaterThan(0);
  expect(sampled(text, 'rate_limit_hits_total\\{tier="free",type="request"\\}')).toBeGreaterThan(0);
  expect(sampled(text, 'db_errors_total\\{operation="insert",error_type="unique_violation"\\}')).toBeGreaterThan(0);
}, 45_000);

test('routes are recorded as templates, not raw paths', async () => {
  const base = await startDemo({ DEMO_TRAFFIC: '0', DEMO_ERROR_RATE: '0' });
  for (const id of [1, 2, 3]) await (await fetch(`${base}/api/v1/marketplace/packages/${id}`)).text();
  const exposition = await (await fetch(`${base}/api/v1/metrics`)).text();
  expect(exposition).toContain(
    'http_requests_total{method="GET",endpoint="/api/v1/marketplace/packages/:id",status_code="200"} 3\n',
  );
  expect(exposition).not.toMatch(/endpoint="\/api\/v1\/marketplace\/packages\/\d/);
});

test('DEMO_ERROR_RATE=1 answers every API request with 500', async () => {
  const base = await startDemo({ DEMO_TRAFFIC: '0', DEMO_ERROR_RATE: '1' });
  const res = await fetch(`${base}/api/v1/marketplace/packages`);
  expect(res.status).toBe(500);
  expect((await fetch(`${base}/api/v1/metrics`)).status).toBe(200);
  // Mounted for every method: the handler, not Express, answers other methods.
  expect((await fetch(`${base}/api/v1/metrics`, { method: 'POST' })).status).toBe(405);
});
