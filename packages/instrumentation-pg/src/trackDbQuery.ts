import { defaultRegistry } from '@agent-telemetry/core';
import { QueryTimer, type DbQueryMetrics } from './DbQueryRecorder';
import { runWithoutQueryMetrics } from './querySuppression';
import type { TrackDbQueryOptions } from './types';

/** A method decorator (TypeScript 5 standard decorators) that also wraps plain functions. */
// `any`: a decorator must accept every method signature, whatever its `this` and parameters.
export type DbQueryTracker = <F extends (this: any, ...args: any[]) => unknown>(
  fn: F,
  context?: ClassMethodDecoratorContext,
) => F;

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
 * Each call observes `db_query_duration_seconds{operation,table}`; a throw or rejection also
 * counts `db_errors_total{operation,error_type}`. Queries that pg runs inside the call are not
 * counted again by the automatic instrumentation. The function's `this`, arguments, return value
 * and thrown error (the same object) are passed through; a synchronous function stays
 * synchronous, and a function returning a native promise gets a promise settling with the same
 * value or error.
 *
 * @param operation statement verb, as a label value (lower-cased: `select`)
 * @param table table name, as a label value
 */
export function trackDbQuery(operation: string, table: string, options: TrackDbQueryOptions = {}): DbQueryTracker {
  const labels = { operation: operation.toLowerCase(), table };
  const metrics: DbQueryMetrics = options.metrics ?? defaultRegistry().metrics;
  return (fn) => {
    const original = fn as unknown as (...args: unknown[]) => unknown;
    function tracked(this: unknown, ...args: unknown[]): unknown {
      const timer = new QueryTimer(metrics, labels.operation, labels.table);
      let result: unknown;
      try {
        result = runWithoutQueryMetrics(() => original.apply(this, args));
      } catch (err) {
        timer.end(true, err);
        throw err;
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            timer.end(false);
            return value;
          },
          (err: unknown) => {
            timer.end(true, err);
            throw err;
          },
        );
      }
      timer.end(false);
      return result;
    }
    Object.defineProperty(tracked, 'name', { value: original.name, configurable: true });
    return tracked as unknown as typeof fn;
  };
}
