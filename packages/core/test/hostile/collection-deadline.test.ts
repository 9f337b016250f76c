// Issue 9, point 3: an async observable callback of the service's own (through
// `meterProvider.getMeter()`) that never resolved hung every scrape forever, and a throwing one
// logged at every scrape. Collection has a deadline: the scrape answers with what it has, and
// the failure is counted and logged at most once a minute.
import { createTelemetry, type Telemetry } from '../../src';
import { captureDiag, type CapturedDiag } from '../../../../test-support/diag';
import { parseSamples, promtoolCheck } from '../../../../test-support/exposition';
import { request } from '../../../../test-support/http';

jest.setTimeout(15_000);

let telemetry: Telemetry;
let logs: CapturedDiag;

beforeEach(() => {
  logs = captureDiag();
  telemetry = createTelemetry(
    { runtimeMetrics: false, collectionTimeoutMillis: 200, prometheus: { host: '127.0.0.1', port: 0 } },
    { env: {} },
  );
});

afterEach(async () => {
  logs.stop();
  await telemetry.shutdown();
});

test('a callback that never resolves and one that throws leave the scrape answering with the rest', async () => {
  const meter = telemetry.meterProvider.getMeter('service');
  meter
    .createObservableGauge('queue_depth', { description: 'Jobs queued.' })
    .addCallback(() => new Promise<void>(() => {}));
  meter.createObservableGauge('cache_entries', { description: 'Cache entries.' }).addCallback(() => {
    throw new Error('cache stats unavailable');
  });
  meter
    .createObservableGauge('workers_busy', { description: 'Workers busy.' })
    .addCallback((result) => result.observe(3));
  telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
  const { port } = await telemetry.metricsServer!.listening;

  for (let scrape = 1; scrape <= 3; scrape++) {
    const reply = await request(`http://127.0.0.1:${port}/metrics`);
    expect(reply.status).toBe(200);
    expect(promtoolCheck(reply.body)).toEqual({ status: 0, output: '' });
    expect(reply.body).toContain('workers_busy 3\n');
    expect(reply.body).toContain('customer_signups_total{tier="pro"} 1\n');
    expect(reply.body).not.toContain('queue_depth');
  }
  const errors = parseSamples(await telemetry.scrape()).filter(
    (sample) => sample.name === 'agent_telemetry_collection_errors_total',
  );
  expect(errors).toEqual([
    { name: 'agent_telemetry_collection_errors_total', labels: { reason: 'timeout' }, value: 3 },
    { name: 'agent_telemetry_collection_errors_total', labels: { reason: 'callback_error' }, value: 3 },
  ]);
  // Four collections, eight failures: one log line.
  expect(logs.errors).toEqual([
    expect.stringMatching(
      /metric collection failed \(counted in agent_telemetry_collection_errors_total\).*cache stats unavailable/,
    ),
  ]);
});

test('a failing callback of a catalogue gauge is counted at every collection and logged once', async () => {
  telemetry.metrics.db_connections_max.addCallback(() => {
    throw new Error('pool gone');
  });
  await telemetry.scrape();
  const samples = parseSamples(await telemetry.scrape());
  expect(samples.find((sample) => sample.name === 'agent_telemetry_collection_errors_total')).toEqual({
    name: 'agent_telemetry_collection_errors_total',
    labels: { reason: 'callback_error' },
    value: 2,
  });
  expect(logs.errors).toEqual([expect.stringContaining('pool gone')]);
});

test('collectionTimeoutMillis must be a positive integer', () => {
  expect(() => createTelemetry({ collectionTimeoutMillis: 0 }, { env: {} })).toThrow(
    'agent-telemetry: invalid collectionTimeoutMillis (AGENT_TELEMETRY_COLLECTION_TIMEOUT): 0; accepted: a positive integer',
  );
});
