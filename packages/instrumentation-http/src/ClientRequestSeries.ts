import type { BoundHistogram, CatalogueMetrics } from '@agent-telemetry/core';
import { boundLabelValue } from '@agent-telemetry/core/instrumentation-support';
import { BoundedValues } from './BoundedValues';

/** The `status_code` of an outgoing request that got no response (refused, reset, timed out). */
const NO_RESPONSE_STATUS = 'error';

/**
 * `http_client_request_duration_seconds{method,host,status_code}` for every outgoing request,
 * made through `http.request` or `fetch`: one bound histogram per label set, and at most
 * `maxHosts` distinct hosts (further ones are recorded as the overflow host).
 */
export class ClientRequestSeries {
  private readonly _handles = new Map<string, BoundHistogram>();
  private readonly _hosts: BoundedValues;

  constructor(
    private readonly _metrics: Pick<CatalogueMetrics, 'http_client_request_duration_seconds'>,
    maxHosts: number,
    overflowHost: string,
  ) {
    this._hosts = new BoundedValues(maxHosts, overflowHost);
  }

  /**
   * The `host` label of `host`: itself (cut to the label length limit first, so a long one takes
   * one place) while there is room, else the overflow host.
   */
  admitHost(host: string): string {
    return this._hosts.admit(boundLabelValue(host));
  }

  observe(method: string, host: string, statusCode: number | undefined, seconds: number): void {
    const status = statusCode ?? NO_RESPONSE_STATUS;
    const key = `${method} ${host} ${status}`;
    let histogram = this._handles.get(key);
    if (histogram === undefined) {
      histogram = this._metrics.http_client_request_duration_seconds.labels({ method, host, status_code: status });
      this._handles.set(key, histogram);
    }
    histogram.observe(seconds);
  }
}
