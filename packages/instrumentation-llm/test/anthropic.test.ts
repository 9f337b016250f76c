import Anthropic from '@anthropic-ai/sdk';
import {
  cutAfter,
  failWith,
  hang,
  normal,
  startLlmProvider,
  streamError,
  type LlmProvider,
} from '../../../test-support/llmProvider';
import type { Instrumented } from '../../../test-support/telemetry';
import { instrument, LLM_FAMILIES, samples } from './helpers';

// The real `@anthropic-ai/sdk` client against a local server speaking its wire format.
describe('@anthropic-ai/sdk', () => {
  let provider: LlmProvider;
  let env: Instrumented;
  let client: Anthropic;

  beforeAll(async () => {
    provider = await startLlmProvider();
  });
  afterAll(() => provider.close());
  afterEach(() => provider.reset());
  beforeEach(() => {
    env = instrument();
    client = new Anthropic({ apiKey: 'test', baseURL: provider.url, maxRetries: 2 });
  });
  afterEach(() => env.stop());

  const llm = () => samples(env, ...LLM_FAMILIES);
  const request = {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: 'What is the answer?' }],
  };
  // Anthropic's input tokens exclude the cached ones: 100 uncached, 2000 written, 5000 read.
  const tokens = (model: string, output = 250) =>
    `llm_tokens_used_total{provider="anthropic",model="${model}",type="input"} 100\n` +
    `llm_tokens_used_total{provider="anthropic",model="${model}",type="output"} ${output}\n` +
    `llm_tokens_used_total{provider="anthropic",model="${model}",type="cache_read"} 5000\n` +
    `llm_tokens_used_total{provider="anthropic",model="${model}",type="cache_write"} 2000\n`;

  test('messages.create: cache reads and writes apart from input, cost by the response model', async () => {
    provider.script(normal('claude-sonnet-4-5-20250929'));
    const promise = client.messages.create(request);
    const message = await promise;
    expect(message.content).toEqual([{ type: 'text', text: 'The answer is 42.' }]);
    const { data, request_id } = await client.messages.create(request).withResponse();
    expect([data.model, request_id]).toEqual(['claude-sonnet-4-5', null]);
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 2\n' +
        'llm_api_duration_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 2\n' +
        tokens('claude-sonnet-4-5', 500).replace(
          /} (\d+)\n/g,
          (_, n: string) => `} ${n === '500' ? 500 : 2 * Number(n)}\n`,
        ) +
        'llm_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.0261\n',
    );
  });

  test('create({ stream: true }): usage from message_start and message_delta, time to first token', async () => {
    const stream = await client.messages.create({ ...request, stream: true });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array(5).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 1\n' +
        'llm_api_duration_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n' +
        tokens('claude-sonnet-4-5') +
        'llm_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.01305\n' +
        'llm_time_to_first_token_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n',
    );
  });

  test('messages.stream() returns at once; the call is measured to the final message', async () => {
    const stream = client.messages.stream(request);
    expect(await llm()).toBe('');
    const message = await stream.finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 100, output_tokens: 250 });
    expect(await samples(env, 'llm_api_calls_total', 'llm_cost_usd_total', 'llm_time_to_first_token_seconds')).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 1\n' +
        'llm_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.01305\n' +
        'llm_time_to_first_token_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n',
    );
  });

  test('a stream cut mid-way keeps the input tokens it reported, and is an error', async () => {
    provider.script(cutAfter(4));
    const stream = await client.messages.create({ ...request, stream: true });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((err: unknown) => err);
    expect((error as Error).message).toBe('terminated');
    expect(await llm()).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="error"} 1\n' +
        'llm_api_duration_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n' +
        'llm_api_errors_total{provider="anthropic",error_type="connection"} 1\n' +
        tokens('claude-sonnet-4-5', 1) +
        'llm_cost_usd_total{provider="anthropic",model="claude-sonnet-4-5"} 0.009315\n' +
        'llm_time_to_first_token_seconds_count{provider="anthropic",model="claude-sonnet-4-5"} 1\n',
    );
  });

  test('an overloaded error event in the stream: overloaded', async () => {
    provider.script(streamError);
    const stream = await client.messages.create({ ...request, stream: true });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total')).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="error"} 1\n' +
        'llm_api_errors_total{provider="anthropic",error_type="overloaded"} 1\n',
    );
  });

  test('a consumer that stops reading early, and messages.stream() aborted: cancelled', async () => {
    const stream = await client.messages.create({ ...request, stream: true });
    for await (const event of stream) if (event.type === 'content_block_delta') break;
    const helper = client.messages.stream(request);
    helper.on('text', () => helper.abort());
    await helper.done().catch(() => undefined);
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total')).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="cancelled"} 2\n' +
        'llm_api_errors_total{provider="anthropic",error_type="cancelled"} 2\n',
    );
  });

  test('429 then success after a retry; 529 overloaded; 401 auth; AbortSignal.timeout through messages.stream()', async () => {
    provider.script(failWith(429));
    await client.messages.create(request);
    const once = new Anthropic({ apiKey: 'test', baseURL: provider.url, maxRetries: 0 });
    provider.script(failWith(529, 'overloaded_error'), failWith(401, 'authentication_error'), hang);
    const errors = [
      await once.messages.create(request).catch((err: Error) => err.constructor.name),
      await once.messages.create(request).catch((err: Error) => err.constructor.name),
      await once.messages
        .stream(request, { signal: AbortSignal.timeout(50) })
        .finalMessage()
        .catch((err: Error) => err.constructor.name),
    ];
    expect(errors).toEqual(['OverloadedError', 'AuthenticationError', 'APIUserAbortError']);
    expect(await samples(env, 'llm_api_calls_total', 'llm_api_errors_total')).toBe(
      'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="success"} 1\n' +
        'llm_api_calls_total{provider="anthropic",model="claude-sonnet-4-5",status="error"} 3\n' +
        'llm_api_errors_total{provider="anthropic",error_type="overloaded"} 1\n' +
        'llm_api_errors_total{provider="anthropic",error_type="auth"} 1\n' +
        'llm_api_errors_total{provider="anthropic",error_type="timeout"} 1\n',
    );
  });
});
