import { defaultRegistry, type BoundCounter, type BoundHistogram } from '@agent-telemetry/core';
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
  const series = new TrackerSeries(endpoint, options.metrics);
  return <This, Args extends unknown[], Return>(handler: (this: This, ...args: Args) => Return) => {
    if (typeof handler !== 'function')
      throw new TypeError(`trackRequestMetrics(${JSON.stringify(endpoint)}) wraps a function, not ${typeof handler}`);
    return function tracked(this: This, ...args: Args): Return {
      const start = performance.now();
      const method = fixedMethod ?? methodOf(args[0]);
      const record = (statusCode: number): void => {
        try {
          series.record(method, statusCode, (performance.now() - start) / 1000);
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

type TrackedMetrics = NonNullable<TrackRequestMetricsOptions['metrics']>;

interface BoundSeries {
  readonly requests: BoundCounter;
  readonly duration: BoundHistogram;
}

/**
 * The series of one tracker's endpoint, bound once per (method, status code) as the server's are:
 * a call then costs two `Map.get` and two cell updates, with no label object built.
 */
class TrackerSeries {
  private readonly _byMethod = new Map<string, Map<number, BoundSeries>>();

  constructor(
    private readonly _endpoint: string,
    private _metrics: TrackedMetrics | undefined,
  ) {}

  record(method: string, statusCode: number, seconds: number): void {
    let byStatus = this._byMethod.get(method);
    if (byStatus === undefined) this._byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(statusCode);
    if (series === undefined) {
      // The default registry is looked up at the first call, not when a class is decorated.
      const metrics = (this._metrics ??= defaultRegistry().metrics);
      const labels = { method, endpoint: this._endpoint, status_code: statusCode };
      series = {
        requests: metrics.http_requests_total.labels(labels),
        duration: metrics.http_request_duration_seconds.labels(labels),
      };
      byStatus.set(statusCode, series);
    }
    series.requests.inc();
    series.duration.observe(seconds);
  }
}

/** The method of a request-like first argument (`IncomingMessage`, a framework request), else GET. */
function methodOf(request: unknown): string {
  const method = typeof request === 'object' && request !== null ? (request as { method?: unknown }).method : undefined;
  return typeof method === 'string' ? normalizeMethod(method) : 'GET';
}
