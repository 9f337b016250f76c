import { scrapeFamilies } from '../../../test-support/exposition';
import { instrument as instrumentPlugin, type Instrumented } from '../../../test-support/telemetry';
import { createTelemetryPlugin, type LlmTelemetryOptions } from '../src';

/** A fresh telemetry with the LLM plugin enabled on it (recording through a collector of its own). */
export function instrument(options?: LlmTelemetryOptions): Instrumented {
  return instrumentPlugin(createTelemetryPlugin(options));
}

const TIMED =
  /^llm_(api_duration|time_to_first_token)_seconds_(bucket|sum)|^agent_execution_duration_seconds_(bucket|sum)/;

/**
 * The sample lines of `names` in scrape order, histograms as their `_count` only (durations
 * depend on timing; their counts, label sets and every counter stay exact).
 */
export async function samples(env: Instrumented, ...names: string[]): Promise<string> {
  return (await scrapeFamilies(env.telemetry, ...names))
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !TIMED.test(line))
    .map((line) => `${line}\n`)
    .join('');
}

/** The LLM families a call records into, as {@link samples}. */
export const LLM_FAMILIES = [
  'llm_api_calls_total',
  'llm_api_duration_seconds',
  'llm_api_errors_total',
  'llm_time_to_first_token_seconds',
  'llm_tokens_used_total',
  'llm_cost_usd_total',
  'llm_usage_unreported_total',
  'llm_unpriced_tokens_total',
];
