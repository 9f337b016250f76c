import type { BoundHistogram, CatalogueMetrics } from '@agent-telemetry/core';
import type { Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BoundedValues } from './BoundedValues';
import { reportOnce } from './diag';
import { normalizeMethod } from './normalizeMethod';

/** The `status_code` of an outgoing request that got no response (refused, reset, timed out). */
export const NO_RESPONSE_STATUS = 'error';

interface ClientState {
  readonly startTime: number;
  readonly method: string;
  readonly host: string;
  statusCode: number | undefined;
}

const kClientState = Symbol('agent-telemetry.http.clientState');
type TrackedClientRequest = ClientRequest & { [kClientState]?: ClientState };

/**
 * Records `http_client_request_duration_seconds{method,host,status_code}` for each outgoing
 * request, from its creation until the request closes (after the response body ended, or on an
 * error). The upstream instrumentation calls `start` and `onResponse` from its hooks.
 */
export class OutgoingRequestRecorder {
  private readonly _bySpan = new WeakMap<Span, ClientState>();
  private readonly _handles = new Map<string, BoundHistogram>();
  private readonly _hosts: BoundedValues;
  private readonly _onClose: (this: TrackedClientRequest) => void;

  constructor(
    private readonly _metrics: Pick<CatalogueMetrics, 'http_client_request_duration_seconds'>,
    maxHosts: number,
    overflowHost: string,
  ) {
    this._hosts = new BoundedValues(maxHosts, overflowHost);
    const recorder = this;
    this._onClose = function onClose() {
      const state = this[kClientState];
      if (state === undefined) return;
      try {
        recorder._record(state);
      } catch (err) {
        reportOnce('client', 'failed to record an outgoing request', err);
      }
    };
  }

  /** Called once per outgoing request, right after it was created. */
  start(span: Span, request: TrackedClientRequest): void {
    const state: ClientState = {
      startTime: performance.now(),
      method: normalizeMethod(request.method),
      host: this._hosts.admit(hostOf(request)),
      statusCode: undefined,
    };
    this._bySpan.set(span, state);
    request[kClientState] = state;
    request.once('close', this._onClose);
  }

  /** Called when the response headers of the request of `span` arrived. */
  onResponse(span: Span, response: IncomingMessage): void {
    const state = this._bySpan.get(span);
    if (state !== undefined) state.statusCode = response.statusCode;
  }

  private _record(state: ClientState): void {
    const status = state.statusCode ?? NO_RESPONSE_STATUS;
    const key = `${state.method} ${state.host} ${status}`;
    let histogram = this._handles.get(key);
    if (histogram === undefined) {
      histogram = this._metrics.http_client_request_duration_seconds.labels({ method: state.method, host: state.host, status_code: status });
      this._handles.set(key, histogram);
    }
    histogram.observe((performance.now() - state.startTime) / 1000);
  }
}

/** The server as the request addresses it: its `Host` header (`api.openai.com`, `10.0.0.5:8080`). */
function hostOf(request: ClientRequest): string {
  const header = request.getHeader('host');
  const host = header === undefined ? request.host : Array.isArray(header) ? header[0] : String(header);
  return (host ?? '').toLowerCase();
}
