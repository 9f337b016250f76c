import {
  checkOptionTypes,
  instrumentationPlugin,
  type TelemetryPlugin,
} from '@agent-telemetry/core/instrumentation-support';
import { PgInstrumentation } from './instrumentation';
import type { PgTelemetryOptions } from './types';

/** The options whose type is checked: this package's and those of the upstream instrumentation. */
const OPTION_TYPES = {
  enabled: 'boolean',
  poolMetrics: 'boolean',
  enhancedDatabaseReporting: 'boolean',
  requestHook: 'function',
  connectionHook: 'function',
  responseHook: 'function',
  requireParentSpan: 'boolean',
  addSqlCommenterCommentToQueries: 'boolean',
  ignoreConnectSpans: 'boolean',
  enableTraceContextPropagation: 'boolean',
} as const;

/**
 * The pg instrumentation as `initTelemetry()` loads it: `db_query_duration_seconds`,
 * `db_errors_total` and the pool gauges, plus the upstream spans for the service's tracer provider.
 *
 * @throws TelemetryConfigError for an option of the wrong type, naming it (`instrumentations.pg.poolMetrics`)
 */
export function createTelemetryPlugin(options: PgTelemetryOptions = {}): TelemetryPlugin {
  checkOptionTypes('instrumentations.pg', options, OPTION_TYPES);
  return instrumentationPlugin('pg', new PgInstrumentation(options), options);
}
