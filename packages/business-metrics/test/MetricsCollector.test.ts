import {
  CATALOGUE,
  PROMETHEUS_TYPE,
  TelemetryConfigError,
  type MetricName,
  type Telemetry,
} from '@agent-telemetry/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsCollector, type MetricsCollector } from '../src';
import { captureDiag } from '../../../test-support/diag';
import { scrapeFamilies, scrapeSamples } from '../../../test-support/exposition';
import { setup } from './setup';

/** `# HELP` and `# TYPE` of a catalogue metric, then its samples. */
function family(name: MetricName, ...samples: string[]): string {
  const { help, kind } = CATALOGUE[name];
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${PROMETHEUS_TYPE[kind]}`, ...samples]
    .map((l) => `${l}\n`)
    .join('');
}

let telemetry: Telemetry;
let collector: MetricsCollector;
beforeEach(() => ({ telemetry, collector } = setup()));
afterEach(() => telemetry.shutdown());

describe('the spec examples', () => {
  test('record_rate_limit_hit("premium", "request")', async () => {
    collector.recordRateLimitHit('premium', 'request');
    expect(await scrapeFamilies(telemetry, 'rate_limit_hits_total')).toBe(
      '# HELP rate_limit_hits_total Requests rejected by a rate limit, by tier and limit type.\n' +
        '# TYPE rate_limit_hits_total counter\n' +
        'rate_limit_hits_total{tier="premium",type="request"} 1\n',
    );
  });

  test('update_circuit_breaker_state("anthropic_api", "open")', async () => {
    collector.updateCircuitBreakerState('anthropic_api', 'open');
    expect(await scrapeFamilies(telemetry, 'circuit_breaker_state')).toBe(
      '# HELP circuit_breaker_state Circuit breaker state: 0 closed, 1 half_open, 2 open.\n' +
        '# TYPE circuit_breaker_state gauge\n' +
        'circuit_breaker_state{name="anthropic_api"} 2\n',
    );
  });

  test('record_llm_api_call("Anthropic", "claude-sonnet-4", "success", 2.5)', async () => {
    collector.recordLlmApiCall('Anthropic', 'claude-sonnet-4', 'success', 2.5);
    const labels = 'provider="Anthropic",model="claude-sonnet-4"';
    expect(await scrapeFamilies(telemetry, 'llm_api_calls_total', 'llm_api_duration_seconds')).toBe(
      '# HELP llm_api_calls_total LLM provider API calls, by provider, model and status (success, error, cancelled).\n' +
        '# TYPE llm_api_calls_total counter\n' +
        `llm_api_calls_total{${labels},status="success"} 1\n` +
        '# HELP llm_api_duration_seconds LLM provider API call duration, until the last event of a streamed response.\n' +
        '# TYPE llm_api_duration_seconds histogram\n' +
        `llm_api_duration_seconds_bucket{${labels},le="0.1"} 0\n` +
        `llm_api_duration_seconds_bucket{${labels},le="0.25"} 0\n` +
        `llm_api_duration_seconds_bucket{${labels},le="0.5"} 0\n` +
        `llm_api_duration_seconds_bucket{${labels},le="1"} 0\n` +
        `llm_api_duration_seconds_bucket{${labels},le="2.5"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="5"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="10"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="20"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="30"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="60"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="120"} 1\n` +
        `llm_api_duration_seconds_bucket{${labels},le="+Inf"} 1\n` +
        `llm_api_duration_seconds_sum{${labels}} 2.5\n` +
        `llm_api_duration_seconds_count{${labels}} 1\n`,
    );
  });

  test('record_revenue("premium", "usage", 45.50)', async () => {
    collector.recordRevenue('premium', 'usage', 45.5);
    expect(await scrapeFamilies(telemetry, 'revenue_usd_total')).toBe(
      '# HELP revenue_usd_total Revenue in US dollars, by tier and source.\n' +
        '# TYPE revenue_usd_total counter\n' +
        'revenue_usd_total{tier="premium",source="usage"} 45.5\n',
    );
  });
});

describe('every method', () => {
  const cases: Array<[string, (c: MetricsCollector) => void, MetricName, string[]]> = [
    [
      'recordRateLimitHit adds up',
      (c) => {
        c.recordRateLimitHit('free', 'request');
        c.recordRateLimitHit('free', 'request');
        c.recordRateLimitHit('free', 'token');
      },
      'rate_limit_hits_total',
      ['rate_limit_hits_total{tier="free",type="request"} 2', 'rate_limit_hits_total{tier="free",type="token"} 1'],
    ],
    [
      'setRateLimitUsage keeps the last ratio',
      (c) => {
        c.setRateLimitUsage('free', 'request', 0.25);
        c.setRateLimitUsage('free', 'request', 1);
        c.setRateLimitUsage('basic', 'request', 0);
      },
      'rate_limit_usage_ratio',
      ['rate_limit_usage_ratio{tier="free",type="request"} 1', 'rate_limit_usage_ratio{tier="basic",type="request"} 0'],
    ],
    [
      'updateCircuitBreakerState maps closed, half_open, open to 0, 1, 2',
      (c) => {
        c.updateCircuitBreakerState('a', 'closed');
        c.updateCircuitBreakerState('b', 'half_open');
        c.updateCircuitBreakerState('c', 'open');
        c.updateCircuitBreakerState('c', 'closed');
      },
      'circuit_breaker_state',
      ['circuit_breaker_state{name="a"} 0', 'circuit_breaker_state{name="b"} 1', 'circuit_breaker_state{name="c"} 0'],
    ],
    [
      'recordCircuitBreakerFailure',
      (c) => c.recordCircuitBreakerFailure('db'),
      'circuit_breaker_failures_total',
      ['circuit_breaker_failures_total{name="db"} 1'],
    ],
    [
      'recordCircuitBreakerSuccess',
      (c) => c.recordCircuitBreakerSuccess('db'),
      'circuit_breaker_successes_total',
      ['circuit_breaker_successes_total{name="db"} 1'],
    ],
    [
      'recordCircuitBreakerRejection',
      (c) => c.recordCircuitBreakerRejection('db'),
      'circuit_breaker_rejections_total',
      ['circuit_breaker_rejections_total{name="db"} 1'],
    ],
    [
      'recordLlmApiCall with status error',
      (c) => c.recordLlmApiCall('OpenAI', 'gpt-4o', 'error', 0),
      'llm_api_calls_total',
      ['llm_api_calls_total{provider="OpenAI",model="gpt-4o",status="error"} 1'],
    ],
    [
      'recordLlmApiError',
      (c) => {
        c.recordLlmApiError('OpenAI', 'rate_limit');
        c.recordLlmApiError('OpenAI', 'rate_limit');
        c.recordLlmApiError('OpenAI', 'connection');
      },
      'llm_api_errors_total',
      [
        'llm_api_errors_total{provider="OpenAI",error_type="rate_limit"} 2',
        'llm_api_errors_total{provider="OpenAI",error_type="connection"} 1',
      ],
    ],
    [
      'recordLlmTokens',
      (c) => {
        c.recordLlmTokens('OpenAI', 'gpt-4o', 'input', 1200);
        c.recordLlmTokens('OpenAI', 'gpt-4o', 'output', 300);
      },
      'llm_tokens_used_total',
      [
        'llm_tokens_used_total{provider="OpenAI",model="gpt-4o",type="input"} 1200',
        'llm_tokens_used_total{provider="OpenAI",model="gpt-4o",type="output"} 300',
      ],
    ],
    [
      'recordTokens',
      (c) => {
        c.recordTokens('ticket-resolver', 'premium', 'input', 1000);
        c.recordTokens('ticket-resolver', 'premium', 'input', 24);
        c.recordTokens('ticket-resolver', 'premium', 'output', 0);
      },
      'agent_tokens_used_total',
      [
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="input"} 1024',
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="output"} 0',
      ],
    ],
    [
      'recordAgentCost',
      (c) => {
        c.recordAgentCost('ticket-resolver', 'premium', 0.5);
        c.recordAgentCost('ticket-resolver', 'premium', 0.25);
      },
      'agent_cost_usd_total',
      ['agent_cost_usd_total{package="ticket-resolver",tier="premium"} 0.75'],
    ],
    [
      'recordSignup',
      (c) => {
        c.recordSignup('free');
        c.recordSignup('free');
        c.recordSignup('enterprise');
      },
      'customer_signups_total',
      ['customer_signups_total{tier="free"} 2', 'customer_signups_total{tier="enterprise"} 1'],
    ],
    [
      'recordRevenue accepts 0 (a free plan)',
      (c) => c.recordRevenue('free', 'subscription', 0),
      'revenue_usd_total',
      ['revenue_usd_total{tier="free",source="subscription"} 0'],
    ],
    [
      'setActiveCustomers keeps the last count',
      (c) => {
        c.setActiveCustomers('premium', 40);
        c.setActiveCustomers('premium', 42);
      },
      'customers_active',
      ['customers_active{tier="premium"} 42'],
    ],
    [
      'recordAuthFailure',
      (c) => {
        c.recordAuthFailure('invalid_credentials');
        c.recordAuthFailure('expired_token');
      },
      'auth_failures_total',
      ['auth_failures_total{reason="invalid_credentials"} 1', 'auth_failures_total{reason="expired_token"} 1'],
    ],
  ];

  test.each(cases)('%s', async (_, act, metric, samples) => {
    act(collector);
    expect(await scrapeFamilies(telemetry, metric)).toBe(family(metric, ...samples));
  });
});

describe('recordAgentUsage', () => {
  test('records tokens by type (cache reads and writes apart from input) and the cost from the price table', async () => {
    // claude-sonnet-4: $3 input, $15 output, $0.30 cache read, $3.75 cache write per million.
    collector.recordAgentUsage('ticket-resolver', 'premium', 'claude-sonnet-4-20250514', {
      input: 1000,
      output: 500,
      cacheRead: 10000,
      cacheWrite: 2000,
    });
    expect(
      await scrapeFamilies(telemetry, 'agent_tokens_used_total', 'agent_cost_usd_total', 'llm_unpriced_tokens_total'),
    ).toBe(
      family(
        'agent_tokens_used_total',
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="input"} 1000',
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="output"} 500',
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="cache_read"} 10000',
        'agent_tokens_used_total{package="ticket-resolver",tier="premium",type="cache_write"} 2000',
      ) +
        // (1000*3 + 500*15 + 10000*0.3 + 2000*3.75) / 1e6 = 21000 / 1e6
        family('agent_cost_usd_total', 'agent_cost_usd_total{package="ticket-resolver",tier="premium"} 0.021'),
    );
  });

  test('counts the tokens of a model without a price as unpriced, never as a cost of 0', async () => {
    collector.recordAgentUsage('ticket-resolver', 'premium', 'in-house-llm', { input: 700, output: 300 });
    expect(await scrapeFamilies(telemetry, 'agent_cost_usd_total', 'llm_unpriced_tokens_total')).toBe(
      family('llm_unpriced_tokens_total', 'llm_unpriced_tokens_total{model="in-house-llm"} 1000'),
    );
  });
});

describe('bad arguments at record time: never thrown, the call dropped, counted and reported once', () => {
  const cases: Array<[(c: MetricsCollector) => void, string, MetricName, string]> = [
    [
      (c) => c.recordRevenue('premium', 'usage', -1),
      'recordRevenue(): usd must be a finite number >= 0, got -1',
      'revenue_usd_total',
      'negative_value',
    ],
    [
      (c) => c.recordRevenue('premium', 'usage', NaN),
      'recordRevenue(): usd must be a finite number >= 0, got NaN',
      'revenue_usd_total',
      'non_finite_value',
    ],
    [
      (c) => c.recordRevenue('premium', 'usage', Infinity),
      'recordRevenue(): usd must be a finite number >= 0, got Infinity',
      'revenue_usd_total',
      'non_finite_value',
    ],
    [
      (c) => c.recordRevenue('premium', 'usage', '45.5' as unknown as number),
      'recordRevenue(): usd must be a finite number >= 0, got "45.5"',
      'revenue_usd_total',
      'non_finite_value',
    ],
    [
      (c) => c.recordAgentCost('p', 'premium', -0.01),
      'recordAgentCost(): usd must be a finite number >= 0, got -0.01',
      'agent_cost_usd_total',
      'negative_value',
    ],
    [
      (c) => c.recordLlmApiCall('Anthropic', 'm', 'success', -2),
      'recordLlmApiCall(): durationSeconds must be a finite number >= 0, got -2',
      'llm_api_calls_total',
      'negative_value',
    ],
    [
      (c) => c.recordLlmApiCall('Anthropic', 'm', 'success', NaN),
      'recordLlmApiCall(): durationSeconds must be a finite number >= 0, got NaN',
      'llm_api_calls_total',
      'non_finite_value',
    ],
    [
      (c) => c.recordLlmApiCall('Anthropic', 'm', 'failed' as 'error', 1),
      'recordLlmApiCall(): status must be one of "success", "error", "cancelled", got "failed"',
      'llm_api_calls_total',
      'invalid_label',
    ],
    [
      (c) => c.recordLlmApiError('Anthropic', 'meltdown' as 'other'),
      'recordLlmApiError(): errorType must be one of "rate_limit", "auth", "timeout", "server_error", "overloaded", "connection", "cancelled", "other", got "meltdown"',
      'llm_api_errors_total',
      'invalid_label',
    ],
    [
      (c) => c.setRateLimitUsage('premium', 'request', 1.2),
      'setRateLimitUsage(): ratio must be a number from 0 to 1, got 1.2',
      'rate_limit_usage_ratio',
      'invalid_value',
    ],
    [
      (c) => c.setRateLimitUsage('premium', 'request', -0.1),
      'setRateLimitUsage(): ratio must be a number from 0 to 1, got -0.1',
      'rate_limit_usage_ratio',
      'negative_value',
    ],
    [
      (c) => c.setRateLimitUsage('premium', 'request', NaN),
      'setRateLimitUsage(): ratio must be a number from 0 to 1, got NaN',
      'rate_limit_usage_ratio',
      'non_finite_value',
    ],
    [
      (c) => c.updateCircuitBreakerState('anthropic_api', 'halfOpen' as 'open'),
      'updateCircuitBreakerState(): state must be one of "closed", "half_open", "open", got "halfOpen"',
      'circuit_breaker_state',
      'invalid_label',
    ],
    [
      (c) => c.recordTokens('p', 'premium', 'input', 1.5),
      'recordTokens(): count must be an integer >= 0, got 1.5',
      'agent_tokens_used_total',
      'invalid_value',
    ],
    [
      (c) => c.recordTokens('p', 'premium', 'cache' as 'input', 1),
      'recordTokens(): type must be one of "input", "output", "cache_read", "cache_write", "reasoning", got "cache"',
      'agent_tokens_used_total',
      'invalid_label',
    ],
    [
      (c) => c.recordLlmTokens('OpenAI', 'gpt-4o', 'output', -3),
      'recordLlmTokens(): count must be an integer >= 0, got -3',
      'llm_tokens_used_total',
      'negative_value',
    ],
    [
      (c) => c.setActiveCustomers('premium', -1),
      'setActiveCustomers(): count must be an integer >= 0, got -1',
      'customers_active',
      'negative_value',
    ],
    [
      (c) => c.recordSignup(undefined as unknown as string),
      'recordSignup(): tier must be a non-empty string, got undefined',
      'customer_signups_total',
      'invalid_label',
    ],
    [
      (c) => c.recordRateLimitHit('premium', ''),
      'recordRateLimitHit(): type must be a non-empty string, got ""',
      'rate_limit_hits_total',
      'invalid_label',
    ],
    [
      (c) => c.recordAuthFailure(401 as unknown as string),
      'recordAuthFailure(): reason must be a non-empty string, got 401',
      'auth_failures_total',
      'invalid_label',
    ],
    [
      (c) => c.recordCircuitBreakerFailure(''),
      'recordCircuitBreakerFailure(): name must be a non-empty string, got ""',
      'circuit_breaker_failures_total',
      'invalid_label',
    ],
    [
      (c) => c.recordAgentUsage('p', 'premium', 'gpt-4o', { input: -1, output: 0 }),
      'recordAgentUsage(): usage.input must be an integer >= 0, got -1',
      'agent_tokens_used_total',
      'negative_value',
    ],
    [
      (c) => c.recordAgentUsage('p', 'premium', 'gpt-4o', null as never),
      'recordAgentUsage(): usage must be { input, output, cacheRead?, cacheWrite?, reasoning? }, got null',
      'agent_tokens_used_total',
      'invalid_value',
    ],
    [
      (c) => c.recordLlmCall({ provider: '', model: 'm', status: 'success', durationSeconds: 1 }),
      'recordLlmCall(): call.provider must be a non-empty string, got ""',
      'llm_api_calls_total',
      'invalid_label',
    ],
    [
      (c) => c.recordLlmCall({ provider: 'openai', model: 'm', status: 'success', durationSeconds: -1 }),
      'recordLlmCall(): call.durationSeconds must be a finite number >= 0, got -1',
      'llm_api_calls_total',
      'negative_value',
    ],
    [
      (c) => c.recordLlmCall(null as never),
      'recordLlmCall(): call must be an LlmCallRecord object, got null',
      'llm_api_calls_total',
      'invalid_value',
    ],
  ];

  // Reported once per method, argument and reason, for the life of the process: a case whose key
  // an earlier case used is not reported again.
  const reported = new Set<string>();
  const firstOfItsKind = cases.map(([, message, , reason]) => {
    const key = `${message.slice(0, message.indexOf(' must be'))}:${reason}`;
    return !reported.has(key) && reported.add(key) !== undefined;
  });

  test.each(cases.map((c, i) => [...c, firstOfItsKind[i]!] as const))(
    '%#: %s',
    async (act, message, metric, reason, first) => {
      const diag = captureDiag();
      try {
        expect(() => act(collector)).not.toThrow();
        act(collector);
        // The call recorded nothing (in particular no NaN), and was counted twice under its metric.
        expect((await telemetry.scrape()).replace(/^#.*\n/gm, '')).not.toMatch(
          /NaN|^(?:rate_limit|revenue|agent_(?!telemetry)|llm_|circuit|customer|auth_)/m,
        );
        expect(await scrapeSamples(telemetry, 'agent_telemetry_recordings_dropped_total')).toBe(
          `agent_telemetry_recordings_dropped_total{metric="${metric}",reason="${reason}"} 2\n`,
        );
        // Reported once, naming the method, the argument and the value.
        expect(diag.warnings.filter((line) => line.includes(message))).toHaveLength(first ? 1 : 0);
      } finally {
        diag.stop();
      }
    },
  );

  test('recordRevenue(tier, source, -1) inside a request handler answers the request', async () => {
    const server = createServer((_req, res) => {
      collector.recordRevenue('premium', 'usage', -1);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect([res.status, await res.text()]).toEqual([200, 'ok']);
    } finally {
      server.close();
    }
    expect(await scrapeSamples(telemetry, 'agent_telemetry_recordings_dropped_total')).toBe(
      'agent_telemetry_recordings_dropped_total{metric="revenue_usd_total",reason="negative_value"} 1\n',
    );
  });
});

describe('options', () => {
  test('tiers: a tier outside the list is dropped when recording, a TelemetryConfigError for a tracker', async () => {
    const { telemetry: t, collector: c } = setup({ tiers: ['free', 'premium'] });
    c.recordSignup('premium');
    c.recordSignup('gold' as 'free');
    expect(await scrapeSamples(t, 'customer_signups_total', 'agent_telemetry_recordings_dropped_total')).toBe(
      'customer_signups_total{tier="premium"} 1\n' +
        'agent_telemetry_recordings_dropped_total{metric="customer_signups_total",reason="invalid_label"} 1\n',
    );
    expect(() => c.trackAgentExecution('p', 'gold' as 'free')).toThrow(
      new TelemetryConfigError('trackAgentExecution(tier)', 'gold', 'one of "free", "premium"'),
    );
    return t.shutdown();
  });

  test('tiers must be a non-empty list of names', () => {
    expect(() => setup({ tiers: [] })).toThrow(
      new TelemetryConfigError('options.tiers', [], 'a non-empty array of tier names'),
    );
    expect(() => setup({ tiers: ['free', ''] })).toThrow(
      new TelemetryConfigError('options.tiers[1]', '', 'a non-empty string'),
    );
  });

  test('prices replaces the built-in table; setPrice extends it; setPrices replaces it', () => {
    const { telemetry: t, collector: c } = setup({ prices: { 'my-model': { input: 1, output: 2 } } });
    expect(c.getPrice('my-model')).toEqual({ input: 1, output: 2 });
    expect(c.getPrice('gpt-4o')).toBeUndefined();
    c.setPrice('gpt-4o', { input: 2.5, output: 10 });
    expect(c.getPrice('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    c.setPrices({ other: { input: 0, output: 0 } });
    expect([c.getPrice('my-model'), c.getPrice('gpt-4o')]).toEqual([undefined, undefined]);
    // An invalid table changes nothing.
    expect(() => c.setPrices({ a: { input: 1, output: 1 }, b: { input: NaN, output: 1 } })).toThrow(
      new TelemetryConfigError('prices["b"].input', 'NaN', 'a finite number >= 0 (USD per million tokens)'),
    );
    expect(() => c.setPrice('my-model', { input: 1, output: -2 })).toThrow(
      new TelemetryConfigError('prices["my-model"].output', -2, 'a finite number >= 0 (USD per million tokens)'),
    );
    expect(c.getPrice('')).toBeUndefined();
    expect(c.getPrice('other')).toEqual({ input: 0, output: 0 });
    return t.shutdown();
  });

  test("metrics must be a registry's metrics", () => {
    expect(() => createMetricsCollector({} as never)).toThrow(
      new TelemetryConfigError(
        'createMetricsCollector(metrics)',
        '[object Object]',
        'the `metrics` of a MetricRegistry or Telemetry',
      ),
    );
  });
});

test('label values are bounded by the cardinality limit: extra label sets fold into one overflow series', async () => {
  const distinct = 5000;
  for (let i = 0; i < distinct; i++) collector.recordAuthFailure(`reason-${i}`);
  const lines = (await scrapeFamilies(telemetry, 'auth_failures_total'))
    .split('\n')
    .filter((l) => l.startsWith('auth_failures_total'));
  const overflow = lines.pop();
  expect(lines.length).toBeLessThan(distinct);
  expect(lines.every((l) => /^auth_failures_total\{reason="reason-\d+"\} 1$/.test(l))).toBe(true);
  expect(overflow).toBe(`auth_failures_total{otel_metric_overflow="true"} ${distinct - lines.length}`);
});
