import type { TokenCounts } from './types';

/**
 * Token usage of an LLM response, or of a result that carries one, in the shapes the providers
 * return:
 * - Anthropic Messages: `usage.input_tokens` (uncached), `output_tokens`,
 *   `cache_read_input_tokens`, `cache_creation_input_tokens`;
 * - OpenAI Responses: `usage.input_tokens` (cached included), `output_tokens`,
 *   `input_tokens_details.cached_tokens`;
 * - OpenAI Chat Completions: `usage.prompt_tokens` (cached included), `completion_tokens`,
 *   `prompt_tokens_details.cached_tokens`.
 * Undefined when `result.usage` has neither shape. Values are passed on as found: the recording
 * drops and counts negative or non-finite ones.
 */
export function usageFromResult(result: unknown): TokenCounts | undefined {
  const usage = property(result, 'usage');
  if (usage === undefined) return undefined;
  const input = number(usage, 'input_tokens');
  if (input !== undefined) {
    const cached = number(property(usage, 'input_tokens_details'), 'cached_tokens');
    if (cached !== undefined)
      return { input: input - cached, output: number(usage, 'output_tokens') ?? 0, cacheRead: cached };
    return {
      input,
      output: number(usage, 'output_tokens') ?? 0,
      cacheRead: number(usage, 'cache_read_input_tokens') ?? 0,
      cacheWrite: number(usage, 'cache_creation_input_tokens') ?? 0,
    };
  }
  const prompt = number(usage, 'prompt_tokens');
  if (prompt === undefined) return undefined;
  const cached = number(property(usage, 'prompt_tokens_details'), 'cached_tokens') ?? 0;
  return { input: prompt - cached, output: number(usage, 'completion_tokens') ?? 0, cacheRead: cached };
}

/** The `model` a result or response names, if it names one. */
export function modelFromResult(result: unknown): string | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const model = (result as Record<string, unknown>)['model'];
  return typeof model === 'string' && model !== '' ? model : undefined;
}

/** All input tokens: uncached, read from and written to the cache. */
export function totalInput(usage: TokenCounts): number {
  return usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
}

/** True when every count is a finite number >= 0, so the usage can be priced. */
export function isValidUsage(usage: TokenCounts): boolean {
  return [usage.input, usage.output, usage.cacheRead ?? 0, usage.cacheWrite ?? 0].every(
    (n) => n >= 0 && n !== Infinity,
  );
}

/** Adds `b` into `a` (several calls of one model in one agent execution). */
export function addUsage(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheRead: (a.cacheRead ?? 0) + (b.cacheRead ?? 0),
    cacheWrite: (a.cacheWrite ?? 0) + (b.cacheWrite ?? 0),
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
