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
  readonly requestSize: BoundHistogram;
  readonly responseSize: BoundHistogram;
}

/**
 * Bound handles per label set, created on first use and kept: a request then costs three
 * `Map.get` and four cell updates, with no label object built. The number of entries is bounded
 * by the label values, which the recorder bounds.
 */
export class ServerSeries {
  private readonly _byEndpoint = new Map<string, Map<string, Map<number, ServerHandles>>>();

  constructor(private readonly _metrics: ServerMetrics) {}

  handles(method: string, endpoint: string, statusCode: number): ServerHandles {
    let byMethod = this._byEndpoint.get(endpoint);
    if (byMethod === undefined) this._byEndpoint.set(endpoint, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let handles = byStatus.get(statusCode);
    if (handles === undefined) {
      byStatus.set(statusCode, (handles = this._bind(method, endpoint, statusCode, byStatus)));
    }
    return handles;
  }

  private _bind(method: string, endpoint: string, statusCode: number, siblings: Map<number, ServerHandles>): ServerHandles {
    const labels = { method, endpoint, status_code: statusCode };
    // The request size has no status label: every status of one (method, endpoint) shares it.
    const first = siblings.values().next();
    return {
      requests: this._metrics.http_requests_total.labels(labels),
      duration: this._metrics.http_request_duration_seconds.labels(labels),
      requestSize: first.done ? this._metrics.http_request_size_bytes.labels({ method, endpoint }) : first.value.requestSize,
      responseSize: this._metrics.http_response_size_bytes.labels(labels),
    };
  }
}
