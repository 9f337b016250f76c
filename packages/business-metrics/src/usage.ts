import type { TokenCounts, TokenType } from './types';

/**
 * Token usage of an LLM response, or of a result that carries one, in the shapes the providers
 * and SDKs return, normalised so that no token is counted twice ({@link TokenCounts}):
 * - Anthropic Messages: `usage.input_tokens` (uncached), `output_tokens` (thinking included),
 *   `cache_read_input_tokens`, `cache_creation_input_tokens`;
 * - OpenAI Responses: `usage.input_tokens` (cached included), `output_tokens` (reasoning
 *   included), `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`;
 * - OpenAI Chat Completions and Embeddings: `usage.prompt_tokens` (cached included),
 *   `completion_tokens` (reasoning included), `prompt_tokens_details.cached_tokens`,
 *   `completion_tokens_details.reasoning_tokens`;
 * - Vercel AI SDK results (`inputTokens`, `outputTokens` as numbers, with `inputTokenDetails`,
 *   `outputTokenDetails`, or AI SDK 5's `cachedInputTokens`, `reasoningTokens`) and its language
 *   models (`inputTokens: { total, noCache, cacheRead, cacheWrite }`,
 *   `outputTokens: { total, text, reasoning }`).
 * Undefined when `result.usage` has none of these shapes. Values are passed on as found: the
 * recording drops and counts negative or non-finite ones.
 */
export function usageFromResult(result: unknown): TokenCounts | undefined {
  const usage = property(result, 'usage');
  return usage === undefined ? undefined : readUsage(usage);
}

/** {@link usageFromResult} for the `usage` object itself. */
export function readUsage(usage: object): TokenCounts | undefined {
  const input = number(usage, 'input_tokens');
  if (input !== undefined) {
    const cached = number(property(usage, 'input_tokens_details'), 'cached_tokens');
    const output = number(usage, 'output_tokens') ?? 0;
    if (cached !== undefined || property(usage, 'output_tokens_details') !== undefined) {
      const reasoning = number(property(usage, 'output_tokens_details'), 'reasoning_tokens') ?? 0;
      return split(input - (cached ?? 0), output - reasoning, cached ?? 0, 0, reasoning);
    }
    return split(
      input,
      output,
      number(usage, 'cache_read_input_tokens') ?? 0,
      number(usage, 'cache_creation_input_tokens') ?? 0,
      0,
    );
  }
  const prompt = number(usage, 'prompt_tokens');
  if (prompt !== undefined) {
    const cached = number(property(usage, 'prompt_tokens_details'), 'cached_tokens') ?? 0;
    const reasoning = number(property(usage, 'completion_tokens_details'), 'reasoning_tokens') ?? 0;
    return split(prompt - cached, (number(usage, 'completion_tokens') ?? 0) - reasoning, cached, 0, reasoning);
  }
  return aiSdkUsage(usage);
}

/** The Vercel AI SDK's shapes: totals include cached input and reasoning output. */
function aiSdkUsage(usage: object): TokenCounts | undefined {
  const inputTokens = (usage as Record<string, unknown>)['inputTokens'];
  const outputTokens = (usage as Record<string, unknown>)['outputTokens'];
  if (typeof inputTokens === 'object' && inputTokens !== null) {
    // A language model's own usage (specification v3 and v4).
    const total = number(inputTokens, 'total');
    const cacheRead = number(inputTokens, 'cacheRead') ?? 0;
    const cacheWrite = number(inputTokens, 'cacheWrite') ?? 0;
    const output = typeof outputTokens === 'object' && outputTokens !== null ? outputTokens : undefined;
    const reasoning = number(output, 'reasoning') ?? 0;
    return split(
      number(inputTokens, 'noCache') ?? (total ?? 0) - cacheRead - cacheWrite,
      (number(output, 'total') ?? 0) - reasoning,
      cacheRead,
      cacheWrite,
      reasoning,
    );
  }
  if (typeof inputTokens !== 'number' && typeof outputTokens !== 'number') return undefined;
  const inputDetails = property(usage, 'inputTokenDetails');
  const cacheRead = number(inputDetails, 'cacheReadTokens') ?? number(usage, 'cachedInputTokens') ?? 0;
  const cacheWrite = number(inputDetails, 'cacheWriteTokens') ?? 0;
  const reasoning =
    number(property(usage, 'outputTokenDetails'), 'reasoningTokens') ?? number(usage, 'reasoningTokens') ?? 0;
  return split(
    number(inputDetails, 'noCacheTokens') ?? (number(usage, 'inputTokens') ?? 0) - cacheRead - cacheWrite,
    (number(usage, 'outputTokens') ?? 0) - reasoning,
    cacheRead,
    cacheWrite,
    reasoning,
  );
}

function split(input: number, output: number, cacheRead: number, cacheWrite: number, reasoning: number): TokenCounts {
  return { input, output, cacheRead, cacheWrite, reasoning };
}

/** The `model` a result or response names, if it names one. */
export function modelFromResult(result: unknown): string | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const model = (result as Record<string, unknown>)['model'];
  return typeof model === 'string' && model !== '' ? model : undefined;
}

/** Each token type with its count, in the catalogue's `type` vocabulary. */
export function tokensByType(usage: TokenCounts): Array<[TokenType, number]> {
  return [
    ['input', usage.input],
    ['output', usage.output],
    ['cache_read', usage.cacheRead ?? 0],
    ['cache_write', usage.cacheWrite ?? 0],
    ['reasoning', usage.reasoning ?? 0],
  ];
}

/** True when every count is a finite number >= 0, so the usage can be priced. */
export function isValidUsage(usage: TokenCounts): boolean {
  return tokensByType(usage).every(([, n]) => n >= 0 && n !== Infinity);
}

/** Adds `b` into `a` (several calls of one model in one agent execution). */
export function addUsage(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: (a.cacheRead ?? 0) + (b.cacheRead ?? 0),
    cacheWrite: (a.cacheWrite ?? 0) + (b.cacheWrite ?? 0),
    reasoning: (a.reasoning ?? 0) + (b.reasoning ?? 0),
  };
}

function property(value: unknown, key: string): object | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const found = (value as Record<string, unknown>)[key];
  return found !== null && typeof found === 'object' ? found : undefined;
}

function number(value: object | undefined, key: string): number | undefined {
  const found = value === undefined ? undefined : (value as Record<string, unknown>)[key];
  return typeof found === 'number' ? found : undefined;
}
