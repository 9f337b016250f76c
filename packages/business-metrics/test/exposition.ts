import { createTelemetry, type Telemetry } from '@agent-telemetry/core';
import { createMetricsCollector, type MetricsCollector, type MetricsCollectorOptions } from '../src';

/** A telemetry instance of its own (no server, no runtime metrics, no environment) and a collector on it. */
export function setup<const Tier extends string = string>(
  options?: MetricsCollectorOptions<Tier>,
): { telemetry: Telemetry; collector: MetricsCollector<Tier> } {
  const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  return { telemetry, collector: createMetricsCollector(telemetry.metrics, options) };
}

/** The exposition lines of the metric families `names` (HELP, TYPE, samples), in scrape order. */
export async function scrapeFamilies(telemetry: Telemetry, ...names: string[]): Promise<string> {
  const text = await telemetry.scrape();
  const pattern = new RegExp(`^(?:# (?:HELP|TYPE) )?(?:${names.join('|')})(?:_bucket|_sum|_count)?[ {]`);
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => `${line}\n`)
    .join('');
}
