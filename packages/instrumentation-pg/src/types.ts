import type { CatalogueMetrics } from '@agent-telemetry/core';
import type { PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';

/**
 * Options of `createTelemetryPlugin()` (and of `initTelemetry({ instrumentations: { pg } })`).
 *
 * Besides its own options, the plugin accepts those of `@opentelemetry/instrumentation-pg`
 * (`requestHook`, `responseHook`, `connectionHook`, `requireParentSpan`, `enhancedDatabaseReporting`,
 * `addSqlCommenterCommentToQueries`, `ignoreConnectSpans`, `enableTraceContextPropagation`): they
 * shape the spans that a tracer provider of the service receives. They never change the metrics.
 */
export interface PgTelemetryOptions extends PgInstrumentationConfig {
  /**
   * Turns the instrumentation off: no patch, no metric, no span. `initTelemetry()` also skips it
   * with `instrumentations: { pg: false }` or `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg`.
   * @default true
   */
  enabled?: boolean;
  /**
   * Reports the pools' `db_connections_active`, `_idle`, `_waiting` and `_max` gauges (summed
   * over every live `pg.Pool`).
   * @default true
   */
  poolMetrics?: boolean;
}

/** Options of `trackDbQuery()`. */
export interface TrackDbQueryOptions {
  /**
   * Where to record. Tests pass `telemetry.metrics`.
   * @default defaultRegistry().metrics
   */
  readonly metrics?: Pick<CatalogueMetrics, 'db_query_duration_seconds' | 'db_errors_total'>;
}
