import { type TelemetryPlugin } from '@agent-telemetry/core';
import { instrumentationPlugin } from '@agent-telemetry/core/instrumentation-support';
import { PgInstrumentation } from './instrumentation';
import type { PgTelemetryOptions } from './types';

/**
 * The pg instrumentation as `initTelemetry()` loads it: `db_query_duration_seconds`,
 * `db_errors_total` and the pool gauges, plus the upstream spans for the service's tracer provider.
 */
export function createTelemetryPlugin(options: PgTelemetryOptions = {}): TelemetryPlugin {
  return instrumentationPlugin('pg', new PgInstrumentation(options), options);
}
