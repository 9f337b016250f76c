// Issue 9, point 1 (second half): whatever the label values, no request pattern may grow a scrape
// past a documented ceiling, and a scrape never fails because of what clients sent. Past the
// ceiling the scrape answers 200 with the series that fit, agent-telemetry's own metrics always,
// and the cut is counted and logged once.
import * as promClient from 'prom-client';
import { createTelemetry, MAX_LABEL_VALUE_LENGTH, type Telemetry } from '../../src';
import { captureDiag } from '../../../../test-support/diag';
import { familyNames, parseSamples, promtoolCheck } from '../../../../test-support/exposition';
import { request } from '../../../../test-support/http';

const CEILING = 64 * 1024;
let telemetry: Telemetry;

afterEach(() => telemetry.shutdown());

function start(maxExpositionBytes = CEILING): Telemetry {
  telemetry = createTelemetry(
    { runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0, maxExpositionBytes } },
    { env: {} },
  );
  return telemetry;
}

async function scrapeOverHttp(): Promise<{ status: number; body: string }> {
  const { port } = await telemetry.metricsServer!.listening;
  return request(`http://127.0.0.1:${port}/metrics`);
}

test('past the ceiling the scrape answers 200 with the series that fit, in order, and its own metrics', async () => {
  const logs = captureDiag();
  try {
    start();
    // 1,500 signups with long tiers (~300 bytes a line) and a few agent executions after them.
    for (let i = 0; i < 1500; i++) telemetry.metrics.customer_signups_total.inc({ tier: `${i}-${'x'.repeat(400)}` });
    telemetry.metrics.revenue_usd_total.inc({ tier: 'pro', source: 'card' }, 5);

    const first = await scrapeOverHttp();
    expect(first.status).toBe(200);
    expect(Buffer.byteLength(first.body)).toBeLessThanOrEqual(CEILING);
    expect(promtoolCheck(first.body)).toEqual({ status: 0, output: '' });
    const samples = parseSamples(first.body);
    const signups = samples.filter((sample) => sample.name === 'customer_signups_total');
    // A prefix of the series, each value cut to the label length limit.
    expect(signups.length).toBeGreaterThan(100);
    expect(signups.length).toBeLessThan(1500);
    expect(signups.map((sample) => sample.labels['tier']!.split('-')[0])).toEqual(signups.map((_, i) => String(i)));
    expect(signups.every((sample) => sample.labels['tier']!.length === MAX_LABEL_VALUE_LENGTH)).toBe(true);
    // What came after the cut is left out; agent-telemetry's own metrics are always there.
    expect(familyNames(first.body)).not.toContain('revenue_usd_total');
    expect(familyNames(first.body)).toContain('agent_telemetry_exposition_truncated_total');

    const second = await scrapeOverHttp();
    expect(second.status).toBe(200);
    expect(Buffer.byteLength(second.body)).toBeLessThanOrEqual(CEILING);
    expect(parseSamples(second.body).find((s) => s.name === 'agent_telemetry_exposition_truncated_total')!.value).toBe(
      1,
    );
    expect(logs.warnings.filter((line) => line.includes('reached its ceiling'))).toEqual([
      expect.stringContaining(
        `the exposition reached its ceiling of ${CEILING} bytes (prometheus.maxExpositionBytes) at customer_signups_total`,
      ),
    ]);
  } finally {
    logs.stop();
  }
});

test('a served prom-client registry counts toward the ceiling: its families that do not fit whole are left out', async () => {
  const register = new promClient.Registry();
  const small = new promClient.Counter({ name: 'legacy_small_total', help: 'Small.', registers: [register] });
  const large = new promClient.Counter({
    name: 'legacy_large_total',
    help: 'Large.',
    labelNames: ['user'],
    registers: [register],
  });
  small.inc();
  // prom-client keeps label values whole: 1,000 series of ~200 bytes.
  for (let i = 0; i < 1000; i++) large.inc({ user: `${i}-${'u'.repeat(180)}` });
  telemetry = createTelemetry(
    { runtimeMetrics: false, prometheus: { server: false, maxExpositionBytes: CEILING, registries: [register] } },
    { env: {} },
  );
  const text = await telemetry.scrape();
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CEILING);
  expect(familyNames(text)).toContain('legacy_small_total');
  expect(familyNames(text)).not.toContain('legacy_large_total');
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test('below the ceiling nothing is cut or counted', async () => {
  start();
  telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
  await telemetry.scrape();
  const samples = parseSamples(await telemetry.scrape());
  expect(samples.find((s) => s.name === 'agent_telemetry_exposition_truncated_total')!.value).toBe(0);
  expect(samples.find((s) => s.name === 'customer_signups_total')!.value).toBe(1);
});

test('the ceiling is configurable by environment, and must be a positive integer', () => {
  expect(() =>
    createTelemetry(
      { prometheus: { server: false } },
      { env: { AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES: '0' } },
    ),
  ).toThrow(
    'agent-telemetry: invalid prometheus.maxExpositionBytes (AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES): "0"; accepted: a positive integer',
  );
  telemetry = createTelemetry(
    { prometheus: { server: false }, runtimeMetrics: false },
    { env: { AGENT_TELEMETRY_PROMETHEUS_MAX_EXPOSITION_BYTES: '1000' } },
  );
  expect(telemetry.config.prometheus.maxExpositionBytes).toBe(1000);
});
