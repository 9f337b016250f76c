// Issue 9, point 10: what JavaScript callers pass at record time. `dec('5')` subtracted 5 where
// `inc('5')` was dropped; `dec(null | true | [1])` were recorded; `dec(Symbol())` threw into the
// caller, as did a label value whose `String()` throws; two `inc(Number.MAX_VALUE)` left a counter
// at +Inf uncounted; `const { inc } = counter; inc()` threw. One rule now: a value that is not a
// finite number of the right sign is dropped and counted; nothing a caller passes throws.
import { createTelemetry, type Telemetry } from '../../src';
import { parseSamples, promtoolCheck } from '../../../../test-support/exposition';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});

afterEach(() => telemetry.shutdown());

const any = (value: unknown) => value as never;
const unprintable = Object.create(null) as object;
const throwing = {
  toString() {
    throw new Error('no text');
  },
};

async function dropped(): Promise<string[]> {
  return parseSamples(await telemetry.scrape())
    .filter((sample) => sample.name === 'agent_telemetry_recordings_dropped_total')
    .map((sample) => `${sample.labels['metric']} ${sample.labels['reason']} ${sample.value}`)
    .sort();
}

test('values that are not finite numbers of the right sign are dropped and counted, never coerced', async () => {
  const { agent_executions_active: active, http_requests_total: requests } = telemetry.metrics;
  const labels = { package: 'p', tier: 't' };
  const calls = [
    () => active.dec(labels, any('5')),
    () => active.inc(labels, any('5')),
    () => active.dec(labels, any(null)),
    () => active.dec(labels, any(true)),
    () => active.dec(labels, any([1])),
    () => active.dec(labels, any(Symbol('x'))),
    () => active.labels(labels).dec(any(Symbol('y'))),
    () => active.dec(labels, any(10n)),
    () => requests.inc({ method: 'GET', endpoint: '/', status_code: 200 }, any({ valueOf: () => 1 })),
    () => telemetry.metrics.customers_active.set({ tier: 'pro' }, any('7')),
    () =>
      telemetry.metrics.http_request_duration_seconds.observe(
        { method: 'GET', endpoint: '/', status_code: 200 },
        any('0.1'),
      ),
  ];
  for (const call of calls) expect(call).not.toThrow();
  active.inc(labels, 2);

  const text = await telemetry.scrape();
  expect(text).toContain('agent_executions_active{package="p",tier="t"} 2\n');
  expect(await dropped()).toEqual([
    'agent_executions_active non_finite_value 8',
    'customers_active non_finite_value 1',
    'http_request_duration_seconds non_finite_value 1',
    'http_requests_total non_finite_value 1',
  ]);
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});

test('a label value whose String() throws drops the recording and counts it, unbound and bound', async () => {
  const { customer_signups_total: signups, http_request_duration_seconds: duration } = telemetry.metrics;
  expect(() => signups.inc({ tier: any(unprintable) })).not.toThrow();
  expect(() => signups.inc({ tier: any(throwing) })).not.toThrow();
  expect(() => signups.labels({ tier: any(unprintable) }).inc()).not.toThrow();
  expect(() => duration.startTimer({ method: any(throwing), endpoint: '/', status_code: 200 })()).not.toThrow();
  expect(() => signups.remove({ tier: any(throwing) })).not.toThrow();
  // A labels object whose property access throws, or no object at all.
  const hostile = new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
    },
  );
  expect(() => signups.inc(any(hostile))).not.toThrow();
  expect(() => signups.inc(any(42))).not.toThrow();

  expect(await dropped()).toEqual([
    'customer_signups_total invalid_label 5',
    'http_request_duration_seconds invalid_label 1',
  ]);
  // `inc(42)`: no label object, every label empty (as `inc()`).
  expect(parseSamples(await telemetry.scrape()).filter((s) => s.name === 'customer_signups_total')).toEqual([
    { name: 'customer_signups_total', labels: { tier: '' }, value: 1 },
  ]);
});

test('a sum that would become infinite keeps its last finite value and counts the drop', async () => {
  const {
    revenue_usd_total: revenue,
    http_request_size_bytes: size,
    agent_executions_active: active,
  } = telemetry.metrics;
  revenue.inc({ tier: 'pro', source: 'card' }, Number.MAX_VALUE);
  revenue.inc({ tier: 'pro', source: 'card' }, Number.MAX_VALUE);
  size.observe({ method: 'POST', endpoint: '/' }, Number.MAX_VALUE);
  size.labels({ method: 'POST', endpoint: '/' }).observe(Number.MAX_VALUE);
  active.dec({ package: 'p', tier: 't' }, Number.MAX_VALUE);
  active.dec({ package: 'p', tier: 't' }, Number.MAX_VALUE);

  const text = await telemetry.scrape();
  const samples = parseSamples(text);
  expect(samples.find((s) => s.name === 'revenue_usd_total')!.value).toBe(Number.MAX_VALUE);
  expect(samples.find((s) => s.name === 'http_request_size_bytes_count')!.value).toBe(1);
  expect(samples.find((s) => s.name === 'agent_executions_active')!.value).toBe(-Number.MAX_VALUE);
  expect(text).not.toMatch(/[ ]\+Inf\n|[ ]-Inf\n/);
  expect(await dropped()).toEqual([
    'agent_executions_active sum_overflow 1',
    'http_request_size_bytes sum_overflow 1',
    'revenue_usd_total sum_overflow 1',
  ]);
});

test('recording methods work destructured, as prom-client users write them', async () => {
  const { inc } = telemetry.metrics.customer_signups_total;
  const { inc: up, dec: down } = telemetry.metrics.agent_executions_active;
  const { set } = telemetry.metrics.rate_limit_usage_ratio;
  const { observe, startTimer } = telemetry.metrics.agent_execution_duration_seconds;
  const { labels } = telemetry.metrics.circuit_breaker_failures_total;
  const { addCallback } = telemetry.metrics.db_connections_max;
  const { remove } = telemetry.metrics.customer_signups_total;
  expect(() => {
    inc({ tier: 'pro' });
    inc({ tier: 'gone' });
    remove({ tier: 'gone' });
    up({ package: 'p', tier: 't' }, 3);
    down({ package: 'p', tier: 't' });
    set({ tier: 'pro', type: 'request' }, 0.5);
    observe({ package: 'p', tier: 't' }, 1);
    startTimer({ package: 'p', tier: 't' })();
    labels({ name: 'api' }).inc();
    addCallback((report) => report({}, 10));
  }).not.toThrow();
  const samples = parseSamples(await telemetry.scrape());
  const value = (name: string) => samples.filter((s) => s.name === name).map((s) => [s.labels, s.value]);
  expect(value('customer_signups_total')).toEqual([[{ tier: 'pro' }, 1]]);
  expect(value('agent_executions_active')).toEqual([[{ package: 'p', tier: 't' }, 2]]);
  expect(value('rate_limit_usage_ratio')).toEqual([[{ tier: 'pro', type: 'request' }, 0.5]]);
  expect(value('agent_execution_duration_seconds_count')).toEqual([[{ package: 'p', tier: 't' }, 2]]);
  expect(value('circuit_breaker_failures_total')).toEqual([[{ name: 'api' }, 1]]);
  expect(value('db_connections_max')).toEqual([[{}, 10]]);
});
