import type { TokenCounts } from '../src';
import { modelFromResult, usageFromResult } from '../src/usage';

const u = (input: number, output: number, cacheRead = 0, cacheWrite = 0, reasoning = 0): TokenCounts => ({
  input,
  output,
  cacheRead,
  cacheWrite,
  reasoning,
});

test.each<[string, unknown, TokenCounts | undefined]>([
  ['Anthropic message', { usage: { input_tokens: 100, output_tokens: 20 } }, u(100, 20)],
  [
    'Anthropic message with prompt caching (cache tokens not in input_tokens)',
    {
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 5000, cache_creation_input_tokens: 700 },
    },
    u(100, 20, 5000, 700),
  ],
  [
    'OpenAI Responses (cached tokens inside input_tokens)',
    { usage: { input_tokens: 1000, output_tokens: 50, input_tokens_details: { cached_tokens: 400 } } },
    u(600, 50, 400),
  ],
  ['OpenAI Chat Completions', { usage: { prompt_tokens: 300, completion_tokens: 40 } }, u(300, 40)],
  [
    'OpenAI Chat Completions with cached prompt tokens',
    { usage: { prompt_tokens: 300, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 256 } } },
    u(44, 40, 256),
  ],
  [
    'OpenAI Chat Completions with reasoning tokens (inside completion_tokens)',
    { usage: { prompt_tokens: 300, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 30 } } },
    u(300, 10, 0, 0, 30),
  ],
  [
    'OpenAI Responses with reasoning tokens (inside output_tokens)',
    { usage: { input_tokens: 10, output_tokens: 50, output_tokens_details: { reasoning_tokens: 20 } } },
    u(10, 30, 0, 0, 20),
  ],
  [
    'Vercel AI SDK result (totals include cached input and reasoning)',
    {
      usage: {
        inputTokens: 1200,
        inputTokenDetails: { noCacheTokens: 200, cacheReadTokens: 1000, cacheWriteTokens: undefined },
        outputTokens: 300,
        outputTokenDetails: { textTokens: 200, reasoningTokens: 100 },
      },
    },
    u(200, 200, 1000, 0, 100),
  ],
  [
    'Vercel AI SDK 5 result (cachedInputTokens, reasoningTokens)',
    { usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000, reasoningTokens: 100 } },
    u(200, 200, 1000, 0, 100),
  ],
  [
    'Vercel AI SDK language model usage (specification v4)',
    {
      usage: {
        inputTokens: { total: 7100, noCache: 100, cacheRead: 5000, cacheWrite: 2000 },
        outputTokens: { total: 250, text: 250, reasoning: undefined },
      },
    },
    u(100, 250, 5000, 2000),
  ],
  ['usage without output', { usage: { prompt_tokens: 3 } }, u(3, 0)],
  ['no usage', { text: 'hi' }, undefined],
  ['usage of another shape', { usage: { promptTokenCount: 3 } }, undefined],
  ['usage not an object', { usage: 12 }, undefined],
  ['a string', 'hello', undefined],
  ['null', null, undefined],
])('%s', (_, result, expected) => {
  expect(usageFromResult(result)).toEqual(expected);
});

test.each<[unknown, string | undefined]>([
  [{ model: 'gpt-4o' }, 'gpt-4o'],
  [{ model: '' }, undefined],
  [{ model: 4 }, undefined],
  [{}, undefined],
  ['gpt-4o', undefined],
])('modelFromResult(%j) is %j', (result, model) => {
  expect(modelFromResult(result)).toBe(model);
});
