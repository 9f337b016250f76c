import type { TelemetryPlugin } from '@agent-telemetry/core';
import { PgInstrumentation } from './instrumentation';
import type { PgTelemetryOptions } from './types';

/**
 * The pg instrumentation as `initTelemetry()` loads it: `db_query_duration_seconds`,
 * `db_errors_total` and the pool gauges, plus the upstream spans for the service's tracer provider.
 */
export function createTelemetryPlugin(options: PgTelemetryOptions = {}): TelemetryPlugin {
  const instrumentation = new PgInstrumentation(options);
  return {
    name: 'pg',
    // The upstream instance records its `db.client.*` metrics into a no-op meter; should they reach
    // the MeterProvider anyway, initTelemetry drops them.
    upstreamMeters: [instrumentation.instrumentationName],
    enable(telemetry) {
      if (options.enabled === false) return;
      instrumentation.enableMetrics(telemetry.metrics);
    },
    disable() {
      instrumentation.disable();
    },
  };
}
