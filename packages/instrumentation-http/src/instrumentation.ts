import type { CatalogueMetrics } from '@agent-telemetry/core';
import {
  builtinModule,
  isTracingEnabled,
  NOOP_METER_PROVIDER,
  patchLoadedModules,
} from '@agent-telemetry/core/instrumentation-support';
import { context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { IncomingMessage, ServerResponse } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { countingEnd, countingWrite } from './bodySize';
import { ClientRequestSeries } from './ClientRequestSeries';
import { logger } from './logger';
import { IncomingRequestRecorder } from './IncomingRequestRecorder';
import { kRequestState, type TrackedRequest } from './internal-types';
import { FetchRequestRecorder } from './FetchRequestRecorder';
import type { ResolvedOptions } from './options';
import { OutgoingRequestRecorder } from './OutgoingRequestRecorder';

const RESPONSE_FINISH_CHANNEL = 'http.server.response.finish';
const CLIENT_REQUEST_CHANNEL = 'http.client.request.created';

/**
 * `@opentelemetry/instrumentation-http`, recording the catalogue's HTTP metrics through its hooks.
 *
 * - `ignoreIncomingRequestHook` runs first for every incoming request: it starts the recording,
 *   and it lets the upstream class make a span (and the request context a span lives in) only
 *   when something uses them: a tracer provider of the service, or a framework that reports its
 *   route through the context. A plain `http` server then costs a few hundred nanoseconds per
 *   request instead of the span, attribute and context work.
 * - `requestHook` keeps the request's RPC metadata, where Express and Koa write the route.
 * - The response end comes from Node's `http.server.response.finish` diagnostics channel, which
 *   costs no listener per request; disconnects from the connection's `close`.
 * - Outgoing requests: `requestHook`, `responseHook` and `applyCustomAttributesOnSpan` (called
 *   when the response ended) of the client side; `fetch` through undici's diagnostics channels.
 *
 * The only patch of its own is `ServerResponse#write`/`#end`, to count streamed body bytes.
 */
export class HttpMetricsInstrumentation extends HttpInstrumentation {
  private _incoming: IncomingRequestRecorder | undefined;
  private _outgoing: OutgoingRequestRecorder | undefined;
  private _fetch: FetchRequestRecorder | undefined;
  private _options: ResolvedOptions | undefined;
  /** Set by the upstream `http.request` just before it creates the ClientRequest. */
  private _ownClientRequest = false;
  private _warnedBypass = false;
  /** The definitions the require hooks use (`getModuleDefinitions()` builds new ones). */
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;
  private readonly _onResponseFinish = (message: unknown): void => {
    const { request, response } = message as { request: TrackedRequest; response: ServerResponse };
    try {
      this._incoming?.finish(request, response);
    } catch (err) {
      logger.reportOnce('finish', 'failed to record an incoming request', err);
    }
  };
  private readonly _onClientRequest = (): void => {
    if (this._ownClientRequest) this._ownClientRequest = false;
    else this._warnBypass();
  };

  /** `needsContext`: whether a loaded framework reports routes through the request context. */
  constructor(private readonly _needsContext: () => boolean) {
    super({ enabled: false });
    // The upstream `http.server.*`/`http.client.*` metrics duplicate the catalogue's: they go nowhere.
    this.setMeterProvider(NOOP_METER_PROVIDER);
    this.setConfig({
      ignoreIncomingRequestHook: (request) => this._startIncoming(request),
      requestHook: (span, request) => {
        if (request instanceof IncomingMessage) this._keepRouteContext(request);
        else this._outgoing?.start(span, request);
      },
      responseHook: (span, response) => {
        if (response instanceof IncomingMessage) this._outgoing?.onResponse(span, response);
      },
      // Called when an outgoing response ended (and when a server span ends, ignored here).
      applyCustomAttributesOnSpan: (_span, request, response) => {
        if (!(request instanceof IncomingMessage)) this._outgoing?.end(request, response as IncomingMessage);
      },
      ignoreOutgoingRequestHook: (options) => {
        this._ownClientRequest = true;
        return this._options?.ignoreOutgoingRequest?.(options) === true;
      },
    });
  }

  /** Records into `metrics` from now on, and patches `http`/`https` (loaded already or not). */
  enableMetrics(metrics: CatalogueMetrics, options: ResolvedOptions): void {
    this._options = options;
    this._incoming = new IncomingRequestRecorder(metrics, options);
    // One host bound for `http.request` and `fetch`: they record into the same metric.
    const series = new ClientRequestSeries(metrics, options.maxHosts, options.overflowEndpoint);
    this._outgoing = options.outgoingRequests ? new OutgoingRequestRecorder(series) : undefined;
    this._fetch = options.outgoingRequests
      ? new FetchRequestRecorder(series, options.ignoreOutgoingRequest)
      : undefined;
    this.setConfig({ ...this.getConfig(), disableOutgoingRequestInstrumentation: !options.outgoingRequests });
    this.enable();
  }

  /** The base constructor calls this before field initializers run, hence `declare` and `??=`. */
  override init(): ReturnType<HttpInstrumentation['init']> {
    const definitions = super.init();
    this._definitions ??= definitions;
    return definitions;
  }

  override enable(): void {
    if (this.isEnabled()) return;
    super.enable();
    this._patchLoadedModules();
    this._wrap(ServerResponse.prototype, 'write', countingWrite);
    this._wrap(ServerResponse.prototype, 'end', countingEnd);
    subscribe(RESPONSE_FINISH_CHANNEL, this._onResponseFinish);
    if (this._outgoing !== undefined) subscribe(CLIENT_REQUEST_CHANNEL, this._onClientRequest);
    this._fetch?.start();
  }

  override disable(): void {
    if (!this.isEnabled()) return;
    super.disable();
    this._unwrap(ServerResponse.prototype, 'write');
    this._unwrap(ServerResponse.prototype, 'end');
    unsubscribe(RESPONSE_FINISH_CHANNEL, this._onResponseFinish);
    unsubscribe(CLIENT_REQUEST_CHANNEL, this._onClientRequest);
    this._fetch?.stop();
    syncBuiltinESMExports();
    this._incoming = undefined;
    this._outgoing = undefined;
    this._fetch = undefined;
  }

  /** Returns true ("ignore") when the upstream class need not make a span for this request. */
  private _startIncoming(request: IncomingMessage): boolean {
    const recorder = this._incoming;
    if (recorder === undefined) return false;
    let recorded: boolean;
    try {
      recorded = recorder.start(request);
    } catch (err) {
      logger.reportOnce('start', 'failed to start recording an incoming request', err);
      return false;
    }
    return !recorded || !(this._needsContext() || isTracingEnabled());
  }

  private _keepRouteContext(request: TrackedRequest): void {
    const state = request[kRequestState];
    if (state != null) state.rpc = getRPCMetadata(context.active());
  }

  /**
   * `http` and `https` are loaded before any plugin is enabled (agent-telemetry's own exporters
   * use them), and the require hooks only patch later loads: patch the loaded modules now. Node
   * copies builtins' exports into their ES module namespaces: sync them, so that
   * `import { request } from 'node:http'` gets the patched function too.
   */
  private _patchLoadedModules(): void {
    patchLoadedModules(this, this._definitions ?? [], builtinModule, logger);
    syncBuiltinESMExports();
  }

  private _warnBypass(): void {
    if (this._warnedBypass) return;
    this._warnedBypass = true;
    logger.warn(
      'an outgoing HTTP request did not go through the instrumented http.request/http.get and is not recorded: ' +
        'the function was probably taken before agent-telemetry was enabled (e.g. `const { request } = require("http")`). ' +
        'Start agent-telemetry before the application loads: node --require @agent-telemetry/node/register (CommonJS) ' +
        'or node --import @agent-telemetry/node/register (ESM), or call initTelemetry() first.',
    );
  }
}
