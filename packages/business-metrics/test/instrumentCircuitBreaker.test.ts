import { TelemetryConfigError, type Telemetry } from '@agent-telemetry/core';
import { once } from 'node:events';
import CircuitBreaker from 'opossum';
import type { MetricsCollector } from '../src';
import { captureDiag } from '../../../test-support/diag';
import { scrapeFamilies } from '../../../test-support/exposition';
import { setup } from './setup';

let telemetry: Telemetry;
let collector: MetricsCollector;
const breakers: CircuitBreaker[] = [];
beforeEach(() => ({ telemetry, collector } = setup()));
afterEach(async () => {
  breakers.splice(0).forEach((breaker) => breaker.shutdown());
  await telemetry.shutdown();
});

/** A real opossum breaker around a provider that fails while `provider.down` is true. */
function providerBreaker(options: CircuitBreaker.Options = {}) {
  const provider = { down: false };
  const breaker = new CircuitBreaker(
    async (prompt: string) => {
      if (provider.down) throw Object.assign(new Error('overloaded'), { status: 529 });
      return `answer to ${prompt}`;
    },
    { errorThresholdPercentage: 50, resetTimeout: 50, timeout: false, ...options },
  );
  breakers.push(breaker);
  return { provider, breaker };
}

/** The four circuit-breaker series of `name`, as exposed. */
async function breakerSamples(name: string): Promise<string> {
  const text = await scrapeFamilies(
    telemetry,
    'circuit_breaker_state',
    'circuit_breaker_failures_total',
    'circuit_breaker_successes_total',
    'circuit_breaker_rejections_total',
  );
  return text.replace(/^#.*\n/gm, '').replaceAll(`{name="${name}"}`, '');
}

const expected = (state: number, failures: number, successes: number, rejections: number) =>
  `circuit_breaker_state ${state}\n` +
  `circuit_breaker_failures_total ${failures}\n` +
  `circuit_breaker_successes_total ${successes}\n` +
  `circuit_breaker_rejections_total ${rejections}\n`;

test('follows a real breaker closed → open → half-open → closed', async () => {
  const { provider, breaker } = providerBreaker();
  collector.instrumentCircuitBreaker(breaker, 'anthropic_api');
  expect(await scrapeFamilies(telemetry, 'circuit_breaker_state')).toBe(
    '# HELP circuit_breaker_state Circuit breaker state: 0 closed, 1 half_open, 2 open.\n' +
      '# TYPE circuit_breaker_state gauge\n' +
      'circuit_breaker_state{name="anthropic_api"} 0\n',
  );

  await breaker.fire('a');
  provider.down = true;
  await expect(breaker.fire('b')).rejects.toThrow('overloaded'); // 1 of 2 failed: 50%, not above
  expect(breaker.closed).toBe(true);
  await expect(breaker.fire('c')).rejects.toThrow('overloaded'); // 2 of 3: opens
  expect(breaker.opened).toBe(true);
  expect(await breakerSamples('anthropic_api')).toBe(expected(2, 2, 1, 0));

  await expect(breaker.fire('d')).rejects.toMatchObject({ code: 'EOPENBREAKER' });
  expect(await breakerSamples('anthropic_api')).toBe(expected(2, 2, 1, 1));

  await once(breaker, 'halfOpen');
  expect(await breakerSamples('anthropic_api')).toBe(expected(1, 2, 1, 1));

  provider.down = false;
  await expect(breaker.fire('e')).resolves.toBe('answer to e');
  expect(breaker.closed).toBe(true);
  expect(await breakerSamples('anthropic_api')).toBe(expected(0, 2, 2, 1));
});

test('a failed trial in half-open opens the breaker again', async () => {
  const { provider, breaker } = providerBreaker();
  collector.instrumentCircuitBreaker(breaker, 'b');
  provider.down = true;
  await expect(breaker.fire('a')).rejects.toThrow();
  await once(breaker, 'halfOpen');
  await expect(breaker.fire('b')).rejects.toThrow();
  expect(await breakerSamples('b')).toBe(expected(2, 2, 0, 0));
});

test('a timeout counts as one failure (opossum emits timeout, then failure)', async () => {
  const breaker = new CircuitBreaker(() => new Promise<never>(() => {}), {
    name: 'slow',
    timeout: 10,
    resetTimeout: 60000,
  });
  breakers.push(breaker);
  collector.instrumentCircuitBreaker(breaker);
  await expect(breaker.fire()).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  expect(await breakerSamples('slow')).toBe(expected(2, 1, 0, 0));
});

test('a fallback does not change what the call counted as', async () => {
  const { provider, breaker } = providerBreaker({ resetTimeout: 60000 });
  breaker.fallback(() => 'cached answer');
  collector.instrumentCircuitBreaker(breaker, 'with_fallback');
  provider.down = true;
  await expect(breaker.fire('a')).resolves.toBe('cached answer'); // failure, then fallback
  await expect(breaker.fire('b')).resolves.toBe('cached answer'); // rejected (open), then fallback
  expect(await breakerSamples('with_fallback')).toBe(expected(2, 1, 0, 1));
});

test('errors accepted by errorFilter count as successes, as opossum counts them', async () => {
  const { provider, breaker } = providerBreaker({ errorFilter: () => true });
  collector.instrumentCircuitBreaker(breaker, 'filtered');
  provider.down = true;
  await expect(breaker.fire('a')).rejects.toThrow('overloaded');
  expect(await breakerSamples('filtered')).toBe(expected(0, 0, 1, 0));
});

test("the state is read when instrumenting, and the name defaults to the breaker's", async () => {
  const breaker = new CircuitBreaker(async function callProvider() {}, {});
  breakers.push(breaker);
  breaker.open();
  collector.instrumentCircuitBreaker(breaker);
  expect(await breakerSamples('callProvider')).toBe(expected(2, 0, 0, 0));
});

test('the returned function stops recording; instrumenting twice counts once', async () => {
  const logs = captureDiag();
  try {
    const { breaker } = providerBreaker();
    const stop = collector.instrumentCircuitBreaker(breaker, 'twice');
    expect(collector.instrumentCircuitBreaker(breaker, 'twice')).toBe(stop);
    expect(logs.warnings).toEqual([expect.stringContaining('breaker "twice" is already instrumented')]);
    await breaker.fire('a');
    stop();
    await breaker.fire('b');
    expect(await breakerSamples('twice')).toBe(expected(0, 0, 1, 0));
    // Once stopped, it can be instrumented again.
    collector.instrumentCircuitBreaker(breaker, 'twice');
    await breaker.fire('c');
    expect(await breakerSamples('twice')).toBe(expected(0, 0, 2, 0));
  } finally {
    logs.stop();
  }
});

test('a wrong breaker or name is a TelemetryConfigError', () => {
  expect(() => collector.instrumentCircuitBreaker({} as never)).toThrow(
    new TelemetryConfigError(
      'instrumentCircuitBreaker(breaker)',
      '[object Object]',
      'an opossum CircuitBreaker (an EventEmitter with opened/halfOpen)',
    ),
  );
  const { breaker } = providerBreaker();
  expect(() => collector.instrumentCircuitBreaker(breaker, '')).toThrow(
    new TelemetryConfigError('instrumentCircuitBreaker(name)', '', 'a non-empty string'),
  );
});
