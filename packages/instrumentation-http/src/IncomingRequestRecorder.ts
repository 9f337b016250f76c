import type { BoundUpDownCounter, CatalogueMetrics } from '@agent-telemetry/core';
import { boundLabelValue, isMetricsRequest } from '@agent-telemetry/core/instrumentation-support';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { countRequestBody } from './bodySize';
import { logger } from './logger';
import { BoundedValues } from './BoundedValues';
import { pathOf } from './EndpointNormalizer';
import {
  kOpenRequests,
  kRequestState,
  type RequestState,
  type TrackedRequest,
  type TrackedSocket,
} from './internal-types';
import { normalizeMethod } from './normalizeMethod';
import type { ResolvedOptions } from './options';
import { ServerSeries, type ServerMetrics } from './ServerSeries';

/** The metrics of incoming requests. */
export type IncomingMetrics = ServerMetrics & Pick<CatalogueMetrics, 'http_requests_in_flight'>;

/**
 * Records each incoming request once, when its response is complete or when its connection
 * closes first (then with the disconnect status code, 499 by default). Requests answered by the
 * metrics handler (scrapes, wherever it is mounted) only count as in flight while served.
 *
 * It holds no listener per request: the start comes from the upstream instrumentation's
 * per-request hook, the end from Node's `http.server.response.finish` diagnostics channel, and
 * disconnects from one `close` listener per connection (keep-alive connections carry many
 * requests).
 */
export class IncomingRequestRecorder {
  private readonly _series: ServerSeries;
  private readonly _inFlight: BoundUpDownCounter;
  private readonly _normalizedPaths: BoundedValues;
  private readonly _onSocketClose: (this: TrackedSocket) => void;

  constructor(
    metrics: IncomingMetrics,
    private readonly _options: ResolvedOptions,
  ) {
    this._series = new ServerSeries(metrics);
    this._inFlight = metrics.http_requests_in_flight.labels({});
    this._normalizedPaths = new BoundedValues(_options.maxEndpoints, _options.overflowEndpoint);
    const recordDisconnect = (state: RequestState): void =>
      this._record(state, this._options.disconnectStatusCode, state.responseBytes, true);
    this._onSocketClose = function onSocketClose() {
      const open = this[kOpenRequests];
      if (open === undefined) return;
      // One request per try: a failure (a user's normalizeEndpoint throwing) must not leave the
      // other requests of the connection unrecorded and counted in flight for good.
      for (const state of open) {
        try {
          recordDisconnect(state);
        } catch (err) {
          logger.reportOnce('disconnect', 'failed to record a request cut by a disconnect', err);
        }
      }
      open.clear();
    };
  }

  /**
   * Starts recording a request that just reached the server. Returns false when the request is
   * not recorded (an ignored path, `ignoreIncomingRequest`).
   */
  start(request: TrackedRequest): boolean {
    const path = pathOf(request.url);
    if (this._options.isIgnored(path, request)) {
      request[kRequestState] = null;
      return false;
    }
    const socket = request.socket as TrackedSocket;
    const state: RequestState = {
      request,
      path,
      startTime: performance.now(),
      socket,
      route: undefined,
      rpc: undefined,
      requestBytes: 0,
      responseBytes: 0,
      done: false,
    };
    request[kRequestState] = state;
    this._inFlight.inc();
    let open = socket[kOpenRequests];
    if (open === undefined) {
      socket[kOpenRequests] = open = new Set();
      socket.on('close', this._onSocketClose);
    }
    open.add(state);
    const headers = request.headers;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] !== undefined)
      countRequestBody(request, state);
    return true;
  }

  /** Records a request whose response is complete. */
  finish(request: TrackedRequest, response: ServerResponse): void {
    const state = request[kRequestState];
    if (state == null || state.done) return;
    state.socket[kOpenRequests]?.delete(state);
    this._record(state, response.statusCode, responseSize(state, response), false);
  }

  /**
   * Records the request, once: its count, duration and sizes under its labels. It leaves the
   * in-flight count first, before anything that may throw.
   */
  private _record(state: RequestState, statusCode: number, responseBytes: number, disconnected: boolean): void {
    if (state.done) return;
    state.done = true;
    this._inFlight.dec();
    // The handler marks the request when it answers, so this is only known at the end.
    if (isMetricsRequest(state.request)) return;
    const seconds = (performance.now() - state.startTime) / 1000;
    const endpoint = this._endpointOf(state, statusCode, disconnected);
    const handles = this._series.handles(normalizeMethod(state.request.method), endpoint, statusCode);
    handles.requests.inc();
    handles.duration.observe(seconds);
    handles.requestSize.observe(requestSize(state));
    handles.responseSize.observe(responseBytes);
  }

  /**
   * `unmatched` for a 4xx answer without a matched route: the client chose the path and was turned
   * away (a scan answered 404, or 401/403/405 by a global middleware), so its path says nothing.
   * Else the route template a framework reported, uncapped: the application's code bounds it.
   * Else the normalised path, past `maxEndpoints` distinct ones the overflow value: scans then
   * use up this budget only, never the routes'. The path is cut to the label length limit before
   * it is admitted, so long paths that start alike take one place in the budget, and no request
   * makes a series kilobytes long. A disconnect is no answer: it keeps its path.
   */
  private _endpointOf(state: RequestState, statusCode: number, disconnected: boolean): string {
    const route = state.route ?? state.rpc?.route;
    if (
      !disconnected &&
      statusCode >= 400 &&
      statusCode < 500 &&
      (route === undefined || onlyMountPathMatched(state.request))
    ) {
      return this._options.unmatchedEndpoint;
    }
    if (route !== undefined && route.length > 0) return route;
    return this._normalizedPaths.admit(boundLabelValue(this._options.normalize(state.path, state.request)));
  }
}

/**
 * Express reports the mount path of the routers a request went through (`/api/v1`) even when no
 * route in them matched; only a matched route sets `req.route`.
 */
function onlyMountPathMatched(request: TrackedRequest): boolean {
  return 'baseUrl' in request && (request as { route?: unknown }).route === undefined;
}

function requestSize(state: RequestState): number {
  const header = state.request.headers['content-length'];
  const declared = header === undefined ? NaN : Number(header);
  return declared >= 0 ? declared : state.requestBytes;
}

/** The body size: none for HEAD, 204 and 304; else `content-length` if set, else counted bytes. */
function responseSize(state: RequestState, response: ServerResponse): number {
  const status = response.statusCode;
  if (status === 204 || status === 304 || state.request.method === 'HEAD') return 0;
  const header = response.getHeader('content-length');
  const declared = header === undefined ? NaN : Number(header);
  return declared >= 0 ? declared : state.responseBytes;
}
