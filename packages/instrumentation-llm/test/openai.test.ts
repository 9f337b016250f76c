import OpenAI from 'openai';
import {
  CHAT_USAGE,
  cutAfter,
  failWith,
  hang,
  normal,
  startLlmProvider,
  type LlmProvider,
} from '../../../test-support/llmProvider';
import type { Instrumented } from '../../../test-support/telemetry';
import { instrument, LLM_FAMILIES, samples } from './helpers';

// The real `openai` client against a local server speaking its wire format.
describe('openai', () => {
  let provider: LlmProvider;
  let env: Instrumented;
  let client: OpenAI;

  beforeAll(async () => {
    provider = await startLlmProvider();
  });
  afterAll(() => provider.close());
  afterEach(() => provider.reset());
  beforeEach(() => {
    env = instrument();
    client = new OpenAI({ apiKey: 'test', baseURL: `${provider.url}/v1`, maxRetries: 2 });
  });
  afterEach(() => env.stop());

  const llm = () => samples(env, ...LLM_FAMILIES);
  const messages = [{ role: 'user' as const, content: 'What is the answer?' }];

  test('a chat completion: tokens by type (cached and reasoning apart), cost, the same APIPromise', async () => {
    const promise = client.chat.completions.create({ model: 'gpt-4o', messages });
    const { data, response, request_id } = await promise.withResponse();
    expect(data.choices[0]!.message.content).toBe('The answer is 42.');
    expect([response.status, request_id]).toEqual([200, 'req_1']);
    expect(await promise).toBe(data);
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_api_duration_seconds_count{provider="openai",model="gpt-4o"} 1\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="input"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="output"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="cache_read"} 1000\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="reasoning"} 100\n' +
        'llm_cost_usd_total{provider="openai",model="gpt-4o"} 0.00475\n',
    );
  });

  test('a stream is measured to its end; without include_usage its usage is counted as unreported', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    // Nothing is recorded before the stream is read.
    expect(await llm()).toBe('');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('The answer is 42.');
    expect(provider.requests.at(-1)!.body['stream_options']).toBeUndefined();
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_api_duration_seconds_count{provider="openai",model="gpt-4o"} 1\n' +
        'llm_time_to_first_token_seconds_count{provider="openai",model="gpt-4o"} 1\n' +
        'llm_usage_unreported_total{provider="openai",model="gpt-4o"} 1\n',
    );
  });

  test('with include_usage, the final usage chunk gives the tokens', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: CHAT_USAGE });
    expect(await samples(env, 'llm_tokens_used_total', 'llm_cost_usd_total', 'llm_usage_unreported_total')).toBe(
      'llm_tokens_used_total{provider="openai",model="gpt-4o",type="input"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="output"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="cache_read"} 1000\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4o",type="reasoning"} 100\n' +
        'llm_cost_usd_total{provider="openai",model="gpt-4o"} 0.00475\n',
    );
  });

  test('openaiStreamUsage (opt-in) adds include_usage to streamed requests that do not set stream_options', async () => {
    await env.stop();
    env = instrument({ openaiStreamUsage: true });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(provider.requests.at(-1)!.body['stream_options']).toEqual({ include_usage: true });
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(await samples(env, 'llm_usage_unreported_total', 'llm_cost_usd_total')).toBe(
      'llm_cost_usd_total{provider="openai",model="gpt-4o"} 0.00475\n',
    );
  });

  test('a stream cut mid-way is an error (connection), not a success', async () => {
    provider.script(cutAfter(3));
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((err: unknown) => err);
    expect((error as Error).message).toBe('terminated');
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 1\n' +
        'llm_api_duration_seconds_count{provider="openai",model="gpt-4o"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="connection"} 1\n' +
        'llm_time_to_first_token_seconds_count{provider="openai",model="gpt-4o"} 1\n' +
        'llm_usage_unreported_total{provider="openai",model="gpt-4o"} 1\n',
    );
  });

  test('a consumer that stops reading early: cancelled', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content === ' answer') break;
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total')).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="cancelled"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="cancelled"} 1\n',
    );
  });

  test('429 twice, then success after the retries: one successful call; always 429: rate_limit', async () => {
    provider.script(failWith(429), failWith(429));
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    provider.script(failWith(429), failWith(429), failWith(429));
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total', 'llm_usage_unreported_total')).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="rate_limit"} 1\n',
    );
  });

  // The SDK's own `timeout` is tested in a real process (test/timeouts.integration.test.ts): under jest's
  // realm its abort error is not recognised by the SDK.
  test('errors by class: auth, server_error, timeout (AbortSignal.timeout), cancelled by the caller', async () => {
    const once = new OpenAI({ apiKey: 'test', baseURL: `${provider.url}/v1`, maxRetries: 0 });
    provider.script(failWith(401, 'invalid_request_error'), failWith(500), hang, hang);
    const errors = [
      await once.chat.completions.create({ model: 'gpt-4o', messages }).catch((err: Error) => err.constructor.name),
      await once.chat.completions.create({ model: 'gpt-4o', messages }).catch((err: Error) => err.constructor.name),
      await once.chat.completions
        .create({ model: 'gpt-4o', messages }, { signal: AbortSignal.timeout(50) })
        .catch((err: Error) => err.constructor.name),
    ];
    const controller = new AbortController();
    const aborted = once.chat.completions.create({ model: 'gpt-4o', messages }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    errors.push(await aborted.catch((err: Error) => err.constructor.name));
    expect(errors).toEqual(['AuthenticationError', 'InternalServerError', 'APIUserAbortError', 'APIUserAbortError']);
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total')).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="error"} 3\n' +
        'llm_api_calls_total{provider="openai",model="gpt-4o",status="cancelled"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="auth"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="server_error"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="timeout"} 1\n' +
        'llm_api_errors_total{provider="openai",error_type="cancelled"} 1\n',
    );
  });

  test('the Responses API, streamed and not; the response model prices a dated snapshot', async () => {
    provider.script(normal('gpt-4.1-2025-04-14'));
    const response = await client.responses.create({ model: 'gpt-4.1', input: 'What is the answer?' });
    expect(response.output_text).toBe('The answer is 42.');
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'Again', stream: true });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    expect(
      await samples(
        env,
        'llm_api_calls_total',
        'llm_tokens_used_total',
        'llm_cost_usd_total',
        'llm_time_to_first_token_seconds',
      ),
    ).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4.1",status="success"} 2\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4.1",type="input"} 1200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4.1",type="output"} 200\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4.1",type="cache_read"} 400\n' +
        'llm_tokens_used_total{provider="openai",model="gpt-4.1",type="reasoning"} 100\n' +
        'llm_cost_usd_total{provider="openai",model="gpt-4.1"} 0.005\n' +
        'llm_time_to_first_token_seconds_count{provider="openai",model="gpt-4.1"} 1\n',
    );
  });

  test('embeddings of a model missing from the price table: tokens counted, unpriced, never $0', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(result.data[0]!.embedding).toEqual([0.25, -0.5, 1]);
    expect(await samples(env, 'llm_tokens_used_total', 'llm_cost_usd_total', 'llm_unpriced_tokens_total')).toBe(
      'llm_tokens_used_total{provider="openai",model="text-embedding-3-small",type="input"} 8\n' +
        'llm_tokens_used_total{provider="openai",model="text-embedding-3-small",type="output"} 0\n' +
        'llm_unpriced_tokens_total{model="text-embedding-3-small"} 8\n',
    );
  });

  test('asResponse() is left unparsed: the call is recorded at its headers, usage unreported', async () => {
    const raw = await client.chat.completions.create({ model: 'gpt-4o', messages }).asResponse();
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(await raw.text()).usage).toEqual(CHAT_USAGE);
    expect(await samples(env, 'llm_api_calls_total', 'llm_usage_unreported_total')).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_usage_unreported_total{provider="openai",model="gpt-4o"} 1\n',
    );
  });

  test('the chat.completions.stream() helper is recorded once', async () => {
    const runner = client.chat.completions.stream({
      model: 'gpt-4o',
      messages,
      stream_options: { include_usage: true },
    });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe('The answer is 42.');
    expect(await samples(env, 'llm_api_calls_total', 'llm_cost_usd_total')).toBe(
      'llm_api_calls_total{provider="openai",model="gpt-4o",status="success"} 1\n' +
        'llm_cost_usd_total{provider="openai",model="gpt-4o"} 0.00475\n',
    );
  });

  test('disable() unpatches: calls are no longer recorded', async () => {
    env.plugin.disable();
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(await llm()).toBe('');
  });
});
