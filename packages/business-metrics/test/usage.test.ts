import type { TokenCounts } from '../src';
import { modelFromResult, usageFromResult } from '../src/usage';

test.each<[string, unknown, TokenCounts | undefined]>([
  [
    'Anthropic message',
    { usage: { input_tokens: 100, output_tokens: 20 } },
    { input: 100, output: 20, cacheRead: 0, cacheWrite: 0 },
  ],
  [
    'Anthropic message with prompt caching (cache tokens not in input_tokens)',
    {
      usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 5000, cache_creation_input_tokens: 700 },
    },
    { input: 100, output: 20, cacheRead: 5000, cacheWrite: 700 },
  ],
  [
    'OpenAI Responses (cached tokens inside input_tokens)',
    { usage: { input_tokens: 1000, output_tokens: 50, input_tokens_details: { cached_tokens: 400 } } },
    { input: 600, output: 50, cacheRead: 400 },
  ],
  [
    'OpenAI Chat Completions',
    { usage: { prompt_tokens: 300, completion_tokens: 40 } },
    { input: 300, output: 40, cacheRead: 0 },
  ],
  [
    'OpenAI Chat Completions with cached prompt tokens',
    { usage: { prompt_tokens: 300, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 256 } } },
    { input: 44, output: 40, cacheRead: 256 },
  ],
  ['usage without output', { usage: { prompt_tokens: 3 } }, { input: 3, output: 0, cacheRead: 0 }],
  ['no usage', { text: 'hi' }, undefined],
  ['usage of another shape', { usage: { inputTokens: 3, outputTokens: 4 } }, undefined],
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
