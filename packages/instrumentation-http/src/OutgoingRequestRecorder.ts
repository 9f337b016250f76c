import type { Span } from '@opentelemetry/api';
import { errorMonitor } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ClientRequestSeries } from './ClientRequestSeries';
import { logger } from './logger';
import { normalizeMethod } from './normalizeMethod';

interface ClientState {
  readonly startTime: number;
  readonly method: string;
  readonly host: string;
  statusCode: number | undefined;
  done: boolean;
}

const kClientState = Symbol('agent-telemetry.http.clientState');
type TrackedClientRequest = ClientRequest & { [kClientState]?: ClientState };

/**
 * Records `http_client_request_duration_seconds{method,host,status_code}` for each outgoing
 * request, from its creation until its response body ended (as the upstream span), or until it
 * failed or closed first. The upstream instrumentation calls `start`, `onResponse` and `end`
 * from its hooks.
 */
export class OutgoingRequestRecorder {
  private readonly _bySpan = new WeakMap<Span, ClientState>();
  private readonly _onFailure: (this: TrackedClientRequest) => void;

  constructor(private readonly _series: ClientRequestSeries) {
    const record = (state: ClientState | undefined): void => this._record(state);
    this._onFailure = function onFailure() {
      record(this[kClientState]);
    };
  }

  /** Called once per outgoing request, right after it was created. */
  start(span: Span, request: TrackedClientRequest): void {
    const state: ClientState = {
      startTime: performance.now(),
      method: normalizeMethod(request.method),
      host: this._series.admitHost(hostOf(request)),
      statusCode: undefined,
      done: false,
    };
    this._bySpan.set(span, state);
    request[kClientState] = state;
    // An error, or a close before the response ended (aborted, destroyed): recorded right away.
    request.on(errorMonitor, this._onFailure);
    request.once('close', this._onFailure);
  }

  /** Called when the response headers of the request of `span` arrived. */
  onResponse(span: Span, response: IncomingMessage): void {
    const state = this._bySpan.get(span);
    if (state !== undefined) state.statusCode = response.statusCode;
  }

  /** Called when the response body of `request` ended. */
  end(request: TrackedClientRequest, response: IncomingMessage): void {
    const state = request[kClientState];
    if (state !== undefined) state.statusCode = response.statusCode;
    this._record(state);
  }

  private _record(state: ClientState | undefined): void {
    if (state === undefined || state.done) return;
    state.done = true;
    try {
      this._series.observe(state.method, state.host, state.statusCode, (performance.now() - state.startTime) / 1000);
    } catch (err) {
      logger.reportOnce('client', 'failed to record an outgoing request', err);
    }
  }
}

/** The server as the request addresses it: its `Host` header (`api.openai.com`, `10.0.0.5:8080`). */
function hostOf(request: ClientRequest): string {
  const header = request.getHeader('host');
  const host = header === undefined ? request.host : Array.isArray(header) ? header[0] : String(header);
  return (host ?? '').toLowerCase();
}
