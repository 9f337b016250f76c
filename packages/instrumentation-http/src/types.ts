import type { CatalogueMetrics } from '@agent-telemetry/core';
import type { IncomingMessage, RequestOptions } from 'node:http';

/** A rewrite applied to a request path before the built-in id placeholders. */
export interface EndpointRule {
  /** Matched against the path (query string removed). A global RegExp rewrites every match. */
  readonly pattern: RegExp;
  /** Replacement, as in `String.prototype.replace` (`$1` refers to a group). */
  readonly replacement: string;
}

/**
 * Framework modules to instrument directly, for when the require hooks cannot see them: a bundled
 * build, or a package installed under another name (`"express4": "npm:express@4"`).
 */
export interface FrameworkModules {
  readonly express?: unknown;
  readonly koa?: unknown;
}

/**
 * Options of `createTelemetryPlugin()`, i.e. `initTelemetry({ instrumentations: { http: {...} } })`.
 *
 * The `endpoint` label is the framework's route template when there is one (Express, Fastify, Koa
 * with `@koa/router`); otherwise `unmatched` for a 4xx answer, otherwise the normalised path.
 */
export interface HttpInstrumentationOptions {
  /**
   * Turns the instrumentation off: no patch, no metric. `initTelemetry()` also skips it with
   * `instrumentations: { http: false }` or `OTEL_NODE_DISABLED_INSTRUMENTATIONS=http`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Incoming paths (query string removed) that are not recorded, e.g. health checks: a string
   * matches the whole path, a RegExp is tested against it. Requests answered by the metrics
   * handler are left out wherever it is mounted, without being listed here.
   * @default []
   */
  readonly ignorePaths?: ReadonlyArray<string | RegExp>;
  /**
   * Skips an incoming request when it returns true (in addition to `ignorePaths`).
   * @default undefined
   */
  readonly ignoreIncomingRequest?: (request: IncomingMessage) => boolean;
  /**
   * Rewrites applied, in order, to the path of a request without a route template, before the
   * built-in rules turn numbers, UUIDs, hex and base64-like tokens into `:id`, `:uuid`, `:hex`
   * and `:token`.
   * @default []
   */
  readonly endpointRules?: readonly EndpointRule[];
  /**
   * Replaces the path normaliser (rules and built-ins) for requests without a route template.
   * Receives the path without its query string. Its result still counts against `maxEndpoints`.
   * @default undefined
   */
  readonly normalizeEndpoint?: (path: string, request: IncomingMessage) => string;
  /**
   * Most distinct normalised paths recorded as `endpoint` (requests without a route template).
   * Further ones are recorded as `overflowEndpoint`, so a client scanning random paths cannot grow
   * the series without bound. Route templates do not count: the application's code bounds them.
   * @default 100
   */
  readonly maxEndpoints?: number;
  /**
   * The `endpoint` value of normalised paths past `maxEndpoints`.
   * @default 'overflow'
   */
  readonly overflowEndpoint?: string;
  /**
   * The `endpoint` value of a 4xx answered without any route template (a path scan, a global
   * middleware refusing the request before routing). A disconnect keeps its normalised path.
   * @default 'unmatched'
   */
  readonly unmatchedEndpoint?: string;
  /**
   * The `status_code` recorded when the connection closes before the response was complete
   * (the client gave up or the connection broke). nginx logs such requests as 499.
   * @default 499
   */
  readonly disconnectStatusCode?: number;
  /**
   * Records `http_client_request_duration_seconds` for outgoing `http`/`https` requests and `fetch`.
   * @default true
   */
  readonly outgoingRequests?: boolean;
  /**
   * Skips an outgoing request (`http.request`, or `fetch` given as `{ method, protocol, hostname, host, port, path }`) when it returns true.
   * @default undefined
   */
  readonly ignoreOutgoingRequest?: (options: RequestOptions) => boolean;
  /**
   * Most distinct `host` values of outgoing requests; further hosts are recorded as
   * `overflowEndpoint`.
   * @default 100
   */
  readonly maxHosts?: number;
  /**
   * Framework modules to patch directly (see {@link FrameworkModules}). Modules loaded through
   * `require`/`import` are found without this.
   * @default {}
   */
  readonly modules?: FrameworkModules;
}

/** Options of `trackRequestMetrics()`. */
export interface TrackRequestMetricsOptions {
  /**
   * The `method` label. By default, the `method` of the handler's first argument when it has one
   * (a Node `IncomingMessage`, a framework request), else `GET`.
   * @default undefined
   */
  readonly method?: string;
  /**
   * Where to record. Tests pass `telemetry.metrics`.
   * @default defaultRegistry().metrics
   */
  readonly metrics?: Pick<CatalogueMetrics, 'http_requests_total' | 'http_request_duration_seconds'>;
}
