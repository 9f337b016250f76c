import {
  defaultRegistry,
  TelemetryConfigError,
  type BoundCounter,
  type BoundHistogram,
  type Tracker,
} from '@agent-telemetry/core';
import { createTracker } from '@agent-telemetry/core/instrumentation-support';
import { logger } from './logger';
import { normalizeMethod } from './normalizeMethod';
import type { TrackRequestMetricsOptions } from './types';

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
 * A standard (TypeScript 5) and a legacy (`experimentalDecorators`) method decorator, and a
 * function wrapper. A handler that returns records 200, one that throws (or whose promise
 * rejects) records 500; the error is re-thrown as the same object. The name, `length`, `this`,
 * the arguments and the return value (the same promise object for an async handler) pass through
 * untouched; a sync handler stays sync.
 *
 * @throws TelemetryConfigError for an endpoint that is not a non-empty string
 */
export function trackRequestMetrics(endpoint: string, options: TrackRequestMetricsOptions = {}): Tracker {
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new TelemetryConfigError('trackRequestMetrics(endpoint)', endpoint, 'a non-empty string');
  }
  const fixedMethod = options.method === undefined ? undefined : normalizeMethod(options.method);
  const series = new TrackerSeries(endpoint, options.metrics);
  return createTracker(
    'trackRequestMetrics',
    {
      start: (args) => fixedMethod ?? methodOf(args[0]),
      end: (method, seconds, outcome) => series.record(method, outcome.ok ? 200 : 500, seconds),
    },
    logger,
  );
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
