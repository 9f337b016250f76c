// Type tests (checked by `tsc -p tsconfig.test.json`, as prom-client's test/typescript.ts), run by
// jest too: every call the types reject is also rejected at run time where a value is wrong.
import { defaultRegistry, createTelemetry } from '@agent-telemetry/core';
import CircuitBreaker from 'opossum';
import {
  createMetricsCollector,
  instrumentCircuitBreaker,
  metricsCollector,
  trackAgentExecution,
  trackLlmCall,
  type MetricsCollector,
} from '../src';
import { scrapeFamilies } from '../../../test-support/exposition';
import { setup } from './setup';

test('tiers narrow every tier argument', async () => {
  const { telemetry, collector } = setup({ tiers: ['free', 'premium'] });
  const typed: MetricsCollector<'free' | 'premium'> = collector;
  typed.recordSignup('premium');
  // @ts-expect-error not a tier of this collector
  expect(() => typed.recordSignup('gold')).toThrow(TypeError);
  // @ts-expect-error not a tier of this collector
  expect(() => typed.trackAgentExecution('ticket-resolver', 'gold')).toThrow(TypeError);
  // @ts-expect-error not a tier of this collector
  expect(() => typed.recordRevenue('enterprise', 'usage', 1)).toThrow(TypeError);
  await telemetry.shutdown();
});

test('fixed vocabularies are typed', async () => {
  const { telemetry, collector } = setup();
  // @ts-expect-error status is 'success' | 'error'
  expect(() => collector.recordLlmApiCall('Anthropic', 'claude-sonnet-4', 'failed', 1)).toThrow(TypeError);
  // @ts-expect-error not an error type
  expect(() => collector.recordLlmApiError('Anthropic', 'meltdown')).toThrow(TypeError);
  // @ts-expect-error the state is 'half_open'
  expect(() => collector.updateCircuitBreakerState('anthropic_api', 'halfOpen')).toThrow(TypeError);
  // @ts-expect-error token type is 'input' | 'output'
  expect(() => collector.recordTokens('ticket-resolver', 'premium', 'cache', 1)).toThrow(TypeError);
  // @ts-expect-error amounts are numbers
  expect(() => collector.recordRevenue('premium', 'usage', '45.50')).toThrow(TypeError);
  // @ts-expect-error a missing argument
  expect(() => collector.recordRateLimitHit('premium')).toThrow(TypeError);
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
  }).toThrow(new TypeError('trackAgentExecution(): can decorate methods only, not a field'));
  await telemetry.shutdown();
});

test('instrumentCircuitBreaker takes an opossum breaker, typed structurally', async () => {
  const { telemetry, collector } = setup();
  const breaker = new CircuitBreaker(async (n: number) => n + 1, { name: 'typed' });
  const stop: () => void = collector.instrumentCircuitBreaker(breaker);
  stop();
  breaker.shutdown();
  // @ts-expect-error not a breaker
  expect(() => collector.instrumentCircuitBreaker({ name: 'x' })).toThrow(TypeError);
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
