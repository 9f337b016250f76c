import { defaultRegistry } from '@agent-telemetry/core';
import { types } from 'node:util';
import { QuerySeries } from './QuerySeries';
import { QueryTimer, type DbQueryMetrics } from './QueryTimer';
import { runWithoutQueryMetrics } from './querySuppression';
import type { TrackDbQueryOptions } from './types';

/** A method decorator (TypeScript 5 standard decorators) that also wraps plain functions. */
export interface DbQueryTracker {
  /** As a decorator: `@trackDbQuery('select', 'customers') async findById(id) {...}`. */
  <This, Args extends unknown[], Result>(
    method: (this: This, ...args: Args) => Result,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Result>,
  ): (this: This, ...args: Args) => Result;
  /** As a wrapper: `trackDbQuery('select', 'orders')(async (id) => {...})`. */
  // `any`: a wrapper must accept every function signature, whatever its parameters.
  <F extends (...args: any[]) => unknown>(fn: F): F;
}

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
 * synchronous, and a native promise it returns is returned itself, observed with `then` (so a
 * rejection the caller leaves unhandled is no longer reported by Node as unhandled).
 *
 * @param operation statement verb, as a label value (lower-cased: `select`)
 * @param table table name, as a label value
 */
export function trackDbQuery(operation: string, table: string, options: TrackDbQueryOptions = {}): DbQueryTracker {
  const series = new QuerySeries(operation.toLowerCase(), table);
  const metrics: DbQueryMetrics = options.metrics ?? defaultRegistry().metrics;
  return ((fn: (...args: unknown[]) => unknown) => {
    const original = fn;
    function tracked(this: unknown, ...args: unknown[]): unknown {
      const timer = new QueryTimer(metrics, series);
      let result: unknown;
      try {
        result = runWithoutQueryMetrics(() => original.apply(this, args));
      } catch (err) {
        timer.end(true, err);
        throw err;
      }
      if (types.isPromise(result)) timer.endWhenSettled(result);
      else timer.end(false);
      return result;
    }
    Object.defineProperty(tracked, 'name', { value: original.name, configurable: true });
    return tracked;
  }) as DbQueryTracker;
}
