import { TelemetryConfigError, type Telemetry } from '@agent-telemetry/core';
import type { MetricsCollector } from '../src';
import { scrapeSamples } from '../../../test-support/exposition';
import { setup } from './setup';

let telemetry: Telemetry;
let collector: MetricsCollector;
beforeEach(() => ({ telemetry, collector } = setup()));
afterEach(() => telemetry.shutdown());

function samples(...names: string[]): Promise<string> {
  return scrapeSamples(telemetry, ...names);
}

const calls = (success: number, error: number) =>
  `llm_api_calls_total{provider="Anthropic",model="claude-sonnet-4",status="success"} ${success}\n` +
  `llm_api_calls_total{provider="Anthropic",model="claude-sonnet-4",status="error"} ${error}\n`;

/** An error as the provider SDKs throw them. */
function apiError(status: number): Error {
  return Object.assign(new Error(`${status} status code`), { status });
}

test('counts calls by status, durations, and the response tokens', async () => {
  const message = {
    id: 'msg_1',
    model: 'claude-sonnet-4-20250514',
    usage: { input_tokens: 120, output_tokens: 30, cache_read_input_tokens: 1000 },
  };
  const complete = collector.trackLlmCall('Anthropic', 'claude-sonnet-4')(async (_prompt: string) => message);
  await expect(complete('hello')).resolves.toBe(message);
  await expect(complete('again')).resolves.toBe(message);
  expect(
    await samples(
      'llm_api_calls_total',
      'llm_api_duration_seconds_count',
      'llm_tokens_used_total',
      'llm_api_errors_total',
    ),
  ).toBe(
    calls(2, 0) +
      'llm_api_duration_seconds_count{provider="Anthropic",model="claude-sonnet-4"} 2\n' +
      'llm_tokens_used_total{provider="Anthropic",model="claude-sonnet-4",type="input"} 240\n' +
      'llm_tokens_used_total{provider="Anthropic",model="claude-sonnet-4",type="output"} 60\n' +
      'llm_tokens_used_total{provider="Anthropic",model="claude-sonnet-4",type="cache_read"} 2000\n',
  );
});

test('a failed call: status error, the error classified, and the same error object rethrown', async () => {
  const tracker = collector.trackLlmCall('Anthropic', 'claude-sonnet-4');
  const errors = [
    apiError(429),
    apiError(429),
    apiError(401),
    apiError(529),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('Timed out after 3000ms'), { code: 'ETIMEDOUT' }),
    new TypeError('Cannot read properties of undefined'),
  ];
  for (const error of errors) {
    const stack = error.stack;
    const rejection = await tracker(async () => Promise.reject(error))().catch((err: unknown) => err);
    expect(rejection).toBe(error);
    expect((rejection as Error).stack).toBe(stack);
  }
  // A sync throw is classified too and stays a sync throw.
  const thrown = apiError(403);
  expect(() =>
    tracker(() => {
      throw thrown;
    })(),
  ).toThrow(thrown);

  expect(await samples('llm_api_calls_total', 'llm_api_errors_total', 'llm_api_duration_seconds_count')).toBe(
    calls(0, 8) +
      'llm_api_duration_seconds_count{provider="Anthropic",model="claude-sonnet-4"} 8\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="rate_limit"} 2\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="auth"} 2\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="overloaded"} 1\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="connection"} 1\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="timeout"} 1\n' +
      'llm_api_errors_total{provider="Anthropic",error_type="other"} 1\n',
  );
});

test("a promise subclass (as the SDKs' APIPromise) is returned itself, its extra methods intact", async () => {
  class APIPromise<T> extends Promise<T> {
    withResponse() {
      return this.then((data) => ({ data, response: { status: 200 } }));
    }
  }
  const result = { usage: { prompt_tokens: 10, completion_tokens: 5 } };
  const apiPromise = new APIPromise<typeof result>((resolve) => resolve(result));
  const tracked = collector.trackLlmCall('OpenAI', 'gpt-4o')(() => apiPromise);
  const returned = tracked();
  expect(returned).toBe(apiPromise);
  await expect(returned.withResponse()).resolves.toEqual({ data: result, response: { status: 200 } });
  expect(await samples('llm_tokens_used_total')).toBe(
    'llm_tokens_used_total{provider="OpenAI",model="gpt-4o",type="input"} 10\n' +
      'llm_tokens_used_total{provider="OpenAI",model="gpt-4o",type="output"} 5\n',
  );
});

test('a thenable that is not a promise is returned as a value and never run by us', async () => {
  const then = jest.fn();
  const query = { then };
  expect(collector.trackLlmCall('OpenAI', 'gpt-4o')(() => query)()).toBe(query);
  expect(then).not.toHaveBeenCalled();
  expect(await samples('llm_api_calls_total')).toBe(
    'llm_api_calls_total{provider="OpenAI",model="gpt-4o",status="success"} 1\n' +
      'llm_api_calls_total{provider="OpenAI",model="gpt-4o",status="error"} 0\n',
  );
});

test('works as a method decorator', async () => {
  class Client {
    constructor(private readonly _reply: string) {}

    @collector.trackLlmCall('Anthropic', 'claude-sonnet-4')
    async complete(prompt: string) {
      return { text: `${this._reply} ${prompt}`, usage: { input_tokens: 3, output_tokens: 4 } };
    }
  }
  await expect(new Client('re:').complete('hi')).resolves.toMatchObject({ text: 're: hi' });
  expect(await samples('llm_api_calls_total')).toBe(calls(1, 0));
});

test('provider and model are checked when the tracker is created', () => {
  expect(() => collector.trackLlmCall('', 'm')).toThrow(
    new TelemetryConfigError('trackLlmCall(provider)', '', 'a non-empty string'),
  );
  expect(() => collector.trackLlmCall('p', undefined as unknown as string)).toThrow(
    new TelemetryConfigError('trackLlmCall(model)', undefined, 'a non-empty string'),
  );
});
