import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { RequestOptions } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ClientRequestSeries } from './ClientRequestSeries';
import { logger } from './logger';
import { normalizeMethod } from './normalizeMethod';

// What undici (Node's global `fetch`, and the `undici` package) publishes for every request.
const CREATE = 'undici:request:create';
const HEADERS = 'undici:request:headers';
const TRAILERS = 'undici:request:trailers';
const ERROR = 'undici:request:error';

/** The parts of an undici request the channels carry. */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly method: string;
  readonly path: string;
}

interface FetchState {
  readonly startTime: number;
  readonly method: string;
  readonly host: string;
  statusCode: number | undefined;
}

/**
 * Records `http_client_request_duration_seconds{method,host,status_code}` for `fetch` requests
 * through undici's diagnostics channels: from the request's creation until its response body
 * ended (`trailers`), or until it failed (`error`: reset, aborted, the body cut mid-way) with the
 * status of the headers if they had come. No patch and no listener per request; the state lives
 * in a WeakMap keyed by undici's request object.
 *
 * A request whose connection could not be opened (refused, DNS) publishes no request event and
 * is not recorded here.
 */
export class FetchRequestRecorder {
  private readonly _requests = new WeakMap<object, FetchState>();
  private readonly _onCreate = (message: unknown): void => this._guard(() => this._create(message));
  private readonly _onHeaders = (message: unknown): void =>
    this._guard(() => {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const state = this._requests.get(request);
      if (state !== undefined) state.statusCode = response.statusCode;
    });
  private readonly _onEnd = (message: unknown): void =>
    this._guard(() => this._end((message as { request: object }).request));

  constructor(
    private readonly _series: ClientRequestSeries,
    private readonly _ignore: ((options: RequestOptions) => boolean) | undefined,
  ) {}

  start(): void {
    subscribe(CREATE, this._onCreate);
    subscribe(HEADERS, this._onHeaders);
    subscribe(TRAILERS, this._onEnd);
    subscribe(ERROR, this._onEnd);
  }

  stop(): void {
    unsubscribe(CREATE, this._onCreate);
    unsubscribe(HEADERS, this._onHeaders);
    unsubscribe(TRAILERS, this._onEnd);
    unsubscribe(ERROR, this._onEnd);
  }

  private _create(message: unknown): void {
    const request = (message as { request: UndiciRequest }).request;
    const origin = typeof request.origin === 'string' ? new URL(request.origin) : request.origin;
    if (this._ignore?.(requestOptions(request, origin)) === true) return;
    this._requests.set(request, {
      startTime: performance.now(),
      method: normalizeMethod(request.method),
      host: this._series.admitHost(origin.host.toLowerCase()),
      statusCode: undefined,
    });
  }

  private _end(request: object): void {
    const state = this._requests.get(request);
    if (state === undefined) return;
    this._requests.delete(request);
    this._series.observe(state.method, state.host, state.statusCode, (performance.now() - state.startTime) / 1000);
  }

  private _guard(record: () => void): void {
    try {
      record();
    } catch (err) {
      logger.reportOnce('fetch', 'failed to record a fetch request', err);
    }
  }
}

/** The request as `ignoreOutgoingRequest` receives those of `http.request`. */
function requestOptions(request: UndiciRequest, origin: URL): RequestOptions {
  return {
    method: request.method,
    protocol: origin.protocol,
    hostname: origin.hostname,
    host: origin.host,
    ...(origin.port !== '' && { port: Number(origin.port) }),
    path: request.path,
  };
}
