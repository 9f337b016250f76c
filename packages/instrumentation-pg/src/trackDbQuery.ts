import { defaultRegistry, TelemetryConfigError, type Tracker } from '@agent-telemetry/core';
import { createTracker } from '@agent-telemetry/core/instrumentation-support';
import { logger } from './logger';
import { QuerySeries } from './QuerySeries';
import { recordDbError, type DbQueryMetrics } from './QueryTimer';
import { runWithoutQueryMetrics } from './querySuppression';
import type { TrackDbQueryOptions } from './types';

/**
 * Records every call of a function as one query with explicit labels, for repository methods
 * whose SQL the automatic derivation cannot name well:
 *
 * ```ts
 * class CustomerRepository {
 *   @trackDbQuery('select', 'customers')
 *   async findById(id: string) { ... }
 * }
 * const findOrder = trackDbQuery('select', 'orders')(async (id: string) => { ... });
 * ```
 *
 * A standard (TypeScript 5) and a legacy (`experimentalDecorators`) method decorator, and a
 * function wrapper. Each call observes `db_query_duration_seconds{operation,table}`; a throw or
 * rejection also counts `db_errors_total{operation,error_type}`. Queries that pg runs inside the
 * call are not counted again by the automatic instrumentation. The function's name, `length`,
 * `this`, arguments, return value and thrown error (the same object) are passed through; a
 * synchronous function stays synchronous, and a native promise it returns is returned itself,
 * observed with `then` (so a rejection the caller leaves unhandled is no longer reported by Node
 * as unhandled).
 *
 * @param operation statement verb, as a label value (lower-cased: `select`)
 * @param table table name, as a label value
 * @throws TelemetryConfigError for an empty operation or table
 */
export function trackDbQuery(operation: string, table: string, options: TrackDbQueryOptions = {}): Tracker {
  const series = new QuerySeries(label('operation', operation).toLowerCase(), label('table', table));
  const metrics: DbQueryMetrics = options.metrics ?? defaultRegistry().metrics;
  return createTracker(
    'trackDbQuery',
    {
      start: () => undefined,
      run: (_state, call) => runWithoutQueryMetrics(call),
      end(_state, seconds, outcome) {
        series.observeDuration(metrics, seconds);
        if (!outcome.ok) recordDbError(metrics, series.operation, outcome.error);
      },
    },
    logger,
  );
}

function label(field: 'operation' | 'table', value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new TelemetryConfigError(`trackDbQuery(${field})`, value, 'a non-empty string');
}
