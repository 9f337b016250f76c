import type { BoundCounter, BoundHistogram, CatalogueMetrics } from '@agent-telemetry/core';

/** The metrics an incoming request is recorded into. */
export type ServerMetrics = Pick<
  CatalogueMetrics,
  'http_requests_total' | 'http_request_duration_seconds' | 'http_request_size_bytes' | 'http_response_size_bytes'
>;

/** The bound series of one (method, endpoint, status code). */
export interface ServerHandles {
  readonly requests: BoundCounter;
  readonly duration: BoundHistogram;
  /** Shared by every status code of the (method, endpoint): the request size has no status label. */
  readonly requestSize: BoundHistogram;
  readonly responseSize: BoundHistogram;
}

interface MethodSeries {
  readonly requestSize: BoundHistogram;
  readonly byStatus: Map<number, ServerHandles>;
}

/**
 * Bound handles per label set, created on first use and kept: a request then costs three
 * `Map.get` and four cell updates, with no label object built. The number of entries is bounded
 * by the label values, which the recorder bounds.
 */
export class ServerSeries {
  private readonly _byEndpoint = new Map<string, Map<string, MethodSeries>>();

  constructor(private readonly _metrics: ServerMetrics) {}

  handles(method: string, endpoint: string, statusCode: number): ServerHandles {
    let byMethod = this._byEndpoint.get(endpoint);
    if (byMethod === undefined) this._byEndpoint.set(endpoint, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) {
      series = { requestSize: this._metrics.http_request_size_bytes.labels({ method, endpoint }), byStatus: new Map() };
      byMethod.set(method, series);
    }
    let handles = series.byStatus.get(statusCode);
    if (handles === undefined) {
      const labels = { method, endpoint, status_code: statusCode };
      handles = {
        requests: this._metrics.http_requests_total.labels(labels),
        duration: this._metrics.http_request_duration_seconds.labels(labels),
        requestSize: series.requestSize,
        responseSize: this._metrics.http_response_size_bytes.labels(labels),
      };
      series.byStatus.set(statusCode, handles);
    }
    return handles;
  }
}
