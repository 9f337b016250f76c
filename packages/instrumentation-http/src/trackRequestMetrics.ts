import { defaultRegistry } from '@agent-telemetry/core';
import { performance } from 'node:perf_hooks';
import { isPromise } from 'node:util/types';
import { reportOnce } from './diag';
import { normalizeMethod } from './normalizeMethod';
import type { TrackRequestMetricsOptions } from './types';

/** A method decorator (TC39 standard decorators) that is also a plain function wrapper. */
export interface RequestMetricsTracker {
  <This, Args extends unknown[], Return>(
    handler: (this: This, ...args: Args) => Return,
    context?: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
}

/**
 * Records `http_requests_total` and `http_request_duration_seconds` for a handler that no
 * instrumented server sees (a queue consumer, a handler of some other transport), under a fixed
 * `endpoint`:
 *
 * ```ts
 * class Packages {
 *   @trackRequestMetrics('/api/v1/marketplace/packages')
 *   async list(req: IncomingMessage) { ... }
 * }
 * const handler = trackRequestMetrics('/api/v1/marketplace/packages')(async (req) => ...);
 * ```
 *
 * A handler that returns records 200, one that throws (or whose promise rejects) records 500; the
 * error is re-thrown as the same object. `this`, the arguments and the return value (the same
 * promise object for an async handler) pass through untouched.
 */
export function trackRequestMetrics(endpoint: string, options: TrackRequestMetricsOptions = {}): RequestMetricsTracker {
  const fixedMethod = options.method === undefined ? undefined : normalizeMethod(options.method);
  return <This, Args extends unknown[], Return>(handler: (this: This, ...args: Args) => Return) => {
    if (typeof handler !== 'function') throw new TypeError(`trackRequestMetrics(${JSON.stringify(endpoint)}) wraps a function, not ${typeof handler}`);
    return function tracked(this: This, ...args: Args): Return {
      const start = performance.now();
      const method = fixedMethod ?? methodOf(args[0]);
      const record = (statusCode: number): void => {
        try {
          const metrics = options.metrics ?? defaultRegistry().metrics;
          const labels = { method, endpoint, status_code: statusCode };
          metrics.http_requests_total.inc(labels);
          metrics.http_request_duration_seconds.observe(labels, (performance.now() - start) / 1000);
        } catch (err) {
          reportOnce('track', 'trackRequestMetrics failed to record', err);
        }
      };
      let result: Return;
      try {
        result = handler.apply(this, args);
      } catch (err) {
        record(500);
        throw err;
      }
      // Only native promises: calling `then` on another thenable (a query builder) may run it.
      if (isPromise(result)) {
        result.then(
          () => record(200),
          () => record(500),
        );
      } else {
        record(200);
      }
      return result;
    };
  };
}

/** The method of a request-like first argument (`IncomingMessage`, a framework request), else GET. */
function methodOf(request: unknown): string {
  const method = typeof request === 'object' && request !== null ? (request as { method?: unknown }).method : undefined;
  return typeof method === 'string' ? normalizeMethod(method) : 'GET';
}
