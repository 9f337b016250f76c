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
    // The upstream `db.client.*` metrics duplicate the catalogue's: initTelemetry drops them.
    upstreamMeters: [instrumentation.instrumentationName],
    enable(telemetry) {
      if (options.enabled === false) return;
      instrumentation.setMeterProvider(telemetry.meterProvider);
      instrumentation.enableMetrics(telemetry.metrics);
    },
    disable() {
      instrumentation.disable();
    },
  };
}
