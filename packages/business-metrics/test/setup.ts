import type { Telemetry } from '@agent-telemetry/core';
import { testTelemetry } from '../../../test-support/telemetry';
import { createMetricsCollector, type MetricsCollector, type MetricsCollectorOptions } from '../src';

/** A telemetry instance of its own (no server, no runtime metrics, no environment) and a collector on it. */
export function setup<const Tier extends string = string>(
  options?: MetricsCollectorOptions<Tier>,
): { telemetry: Telemetry; collector: MetricsCollector<Tier> } {
  const telemetry = testTelemetry();
  return { telemetry, collector: createMetricsCollector(telemetry.metrics, options) };
}
