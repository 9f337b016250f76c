// Type tests (checked by `tsc -p tsconfig.test.json`, as prom-client's test/typescript.ts), run by
// jest too: every call the types reject is also refused at run time where a value is wrong: a
// TelemetryConfigError at configuration time, a counted drop at record time.
import { defaultRegistry, createTelemetry, TelemetryConfigError } from '@agent-telemetry/core';
import CircuitBreaker from 'opossum';
import {
  createMetricsCollector,
  instrumentCircuitBreaker,
  metricsCollector,
  trackAgentExecution,
  trackLlmCall,
  type MetricsCollector,
} from '../src';
import { scrapeFamilies, scrapeSamples } from '../../../test-support/exposition';
import { setup } from './setup';

test('tiers narrow every tier argument', async () => {
  const { telemetry, collector } = setup({ tiers: ['free', 'premium'] });
  const typed: MetricsCollector<'free' | 'premium'> = collector;
  typed.recordSignup('premium');
  // @ts-expect-error not a tier of this collector
  typed.recordSignup('gold');
  // @ts-expect-error not a tier of this collector
  expect(() => typed.trackAgentExecution('ticket-resolver', 'gold')).toThrow(TelemetryConfigError);
  // @ts-expect-error not a tier of this collector
  typed.recordRevenue('enterprise', 'usage', 1);
  expect(await scrapeSamples(telemetry, 'agent_telemetry_recordings_dropped_total', 'customer_signups_total')).toBe(
    'customer_signups_total{tier="premium"} 1\n' +
      'agent_telemetry_recordings_dropped_total{metric="customer_signups_total",reason="invalid_label"} 1\n' +
      'agent_telemetry_recordings_dropped_total{metric="revenue_usd_total",reason="invalid_label"} 1\n',
  );
  await telemetry.shutdown();
});

test('fixed vocabularies are typed', async () => {
  const { telemetry, collector } = setup();
  // @ts-expect-error status is 'success' | 'error'
  collector.recordLlmApiCall('Anthropic', 'claude-sonnet-4', 'failed', 1);
  // @ts-expect-error not an error type
  collector.recordLlmApiError('Anthropic', 'meltdown');
  // @ts-expect-error the state is 'half_open'
  collector.updateCircuitBreakerState('anthropic_api', 'halfOpen');
  // @ts-expect-error token type is 'input' | 'output'
  collector.recordTokens('ticket-resolver', 'premium', 'cache', 1);
  // @ts-expect-error amounts are numbers
  collector.recordRevenue('premium', 'usage', '45.50');
  // @ts-expect-error a missing argument
  collector.recordRateLimitHit('premium');
  // Each call dropped and counted; nothing else recorded.
  const recorded = (await telemetry.scrape()).replace(
    /^#.*\n|^(?:http_requests_in_flight|app_info|app_uptime_seconds|agent_telemetry_exposition_truncated_total)\b.*\n/gm,
    '',
  );
  expect(recorded).toBe(
    [
      'agent_telemetry_recordings_dropped_total{metric="llm_api_calls_total",reason="invalid_label"} 1',
      'agent_telemetry_recordings_dropped_total{metric="llm_api_errors_total",reason="invalid_label"} 1',
      'agent_telemetry_recordings_dropped_total{metric="circuit_breaker_state",reason="invalid_label"} 1',
      'agent_telemetry_recordings_dropped_total{metric="agent_tokens_used_total",reason="invalid_label"} 1',
      'agent_telemetry_recordings_dropped_total{metric="revenue_usd_total",reason="non_finite_value"} 1',
      'agent_telemetry_recordings_dropped_total{metric="rate_limit_hits_total",reason="invalid_label"} 1',
      '',
    ].join('\n'),
  );
  await telemetry.shutdown();
});

test("trackers keep the wrapped function's type and decorate methods only", async () => {
  const { telemetry, collector } = setup();
  const complete = collector.trackLlmCall(
    'Anthropic',
    'claude-sonnet-4',
  )(async (prompt: string, maxTokens: number) => ({
    text: prompt.repeat(maxTokens),
  }));
  const answer: Promise<{ text: string }> = complete('a', 2);
  await expect(answer).resolves.toEqual({ text: 'aa' });
  // @ts-expect-error arguments keep their types
  await expect(complete(2, 'a')).rejects.toThrow(TypeError); // prompt.repeat is not a function

  class Agent {
    @collector.trackAgentExecution('ticket-resolver', 'premium')
    run(input: number): number {
      return input * 2;
    }
  }
  const doubled: number = new Agent().run(21);
  expect(doubled).toBe(42);

  expect(() => {
    class Broken {
      // @ts-expect-error a field cannot be tracked
      @collector.trackAgentExecution('ticket-resolver', 'premium') handler = () => 1;
    }
    return new Broken();
  }).toThrow(
    new TelemetryConfigError('trackAgentExecution() target', 'field', 'a method (not a getter, setter or field)'),
  );
  await telemetry.shutdown();
});

test('instrumentCircuitBreaker takes an opossum breaker, typed structurally', async () => {
  const { telemetry, collector } = setup();
  const breaker = new CircuitBreaker(async (n: number) => n + 1, { name: 'typed' });
  const stop: () => void = collector.instrumentCircuitBreaker(breaker);
  stop();
  breaker.shutdown();
  // @ts-expect-error not a breaker
  expect(() => collector.instrumentCircuitBreaker({ name: 'x' })).toThrow(TelemetryConfigError);
  await telemetry.shutdown();
});

test('the default collector and the top-level functions record into defaultRegistry()', async () => {
  const telemetry = createTelemetry(
    { prometheus: { server: false }, runtimeMetrics: false },
    { env: {}, registry: defaultRegistry() },
  );
  metricsCollector.recordSignup('any-tier-string');
  trackAgentExecution('default-agent', 'free')(() => 'done')();
  await trackLlmCall('OpenAI', 'gpt-4o')(async () => ({}))();
  const breaker = new CircuitBreaker(async () => 1, { name: 'default_breaker' });
  const stop = instrumentCircuitBreaker(breaker);
  await breaker.fire();
  stop();
  breaker.shutdown();
  expect(
    (
      await scrapeFamilies(
        telemetry,
        'customer_signups_total',
        'agent_executions_total',
        'llm_api_calls_total',
        'circuit_breaker_successes_total',
      )
    ).replace(/^#.*\n/gm, ''),
  ).toBe(
    'agent_executions_total{package="default-agent",tier="free",status="success"} 1\n' +
      'agent_executions_total{package="default-agent",tier="free",status="error"} 0\n' +
      'agent_executions_total{package="default-agent",tier="free",status="timeout"} 0\n' +
      'llm_api_calls_total{provider="OpenAI",model="gpt-4o",status="success"} 1\n' +
      'llm_api_calls_total{provider="OpenAI",model="gpt-4o",status="error"} 0\n' +
      'circuit_breaker_successes_total{name="default_breaker"} 1\n' +
      'customer_signups_total{tier="any-tier-string"} 1\n',
  );
  expect(createMetricsCollector()).not.toBe(metricsCollector);
  await telemetry.shutdown();
});
