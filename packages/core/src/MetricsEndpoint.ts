import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { logger } from './logger';
import { PROMETHEUS_CONTENT_TYPE } from './PrometheusTextSerializer';
import type { MetricsEndpointAuth } from './types';

/**
 * A Node request handler that answers with the Prometheus exposition. It takes Node's own
 * `req`/`res`, so it mounts in plain `http`, Express (`app.all(path, handler)`), Fastify
 * (`reply.hijack(); handler(request.raw, reply.raw)`) and Koa (`ctx.respond = false;
 * handler(ctx.req, ctx.res)`).
 */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Why the metrics endpoint answered without the exposition; the `reason` label of
 * `agent_telemetry_metrics_requests_rejected_total`.
 */
export type MetricsRejection = 'unauthorized' | 'method_not_allowed' | 'not_found' | 'connection_limit';

/**
 * Builds the handler: GET and HEAD only (405 otherwise), optional bearer or basic auth (401),
 * and 500 when collection fails, so Prometheus marks the scrape failed instead of reading an
 * empty page as "no series".
 *
 * @param onRejected told of every request answered 401 or 405 (a brute-forced token shows)
 */
export function createMetricsHandler(
  scrape: () => Promise<string | Uint8Array>,
  auth?: MetricsEndpointAuth,
  onRejected: (reason: MetricsRejection) => void = () => {},
): MetricsRequestHandler {
  const expected = auth === undefined ? undefined : Buffer.from(authorizationHeader(auth));
  return (req, res) => {
    markMetricsRequest(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      onRejected('method_not_allowed');
      respond(res, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (expected !== undefined && !sameSecret(req.headers.authorization, expected)) {
      onRejected('unauthorized');
      const scheme = auth !== undefined && 'bearerToken' in auth ? 'Bearer' : 'Basic';
      respond(res, 401, 'Unauthorized\n', { 'www-authenticate': `${scheme} realm="metrics"` });
      return;
    }
    scrape().then(
      (body) =>
        respond(
          res,
          200,
          req.method === 'HEAD' ? '' : body,
          { 'content-type': PROMETHEUS_CONTENT_TYPE },
          typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
        ),
      (err: unknown) => {
        // The detail goes to the service's log, not to whoever scrapes.
        logger.error('metrics collection failed', err);
        respond(res, 500, '# metrics collection failed; the service log has the cause\n');
      },
    );
  };
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  /** Path answered with the exposition; every other path gets 404. */
  readonly path: string;
  readonly handler: MetricsRequestHandler;
  /** Told of every request answered 404 and every connection refused at the connection cap. */
  readonly onRejected?: (reason: MetricsRejection) => void;
}

/**
 * Limits of the standalone metrics server. Node's defaults let an idle connection live ~95 s and
 * accept any number of them: a thousand idle connections, no credentials needed, would use up
 * the process's file descriptors and with them the service's own port. Prometheus sends its
 * request at once and reuses one connection per target, so these cost it nothing.
 */
export const METRICS_SERVER_LIMITS = {
  /** Connections open at once; further ones are closed as soon as they are accepted. */
  maxConnections: 64,
  /** Milliseconds a client has to send the request headers (or anything at all, once connected). */
  headersTimeoutMillis: 5_000,
  /** Milliseconds a client has to send the whole request. */
  requestTimeoutMillis: 10_000,
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMillis: 5_000,
  /** Milliseconds without any traffic after which a connection is closed (a client that stopped reading). */
  idleTimeoutMillis: 30_000,
  /** How often the header and request timeouts are checked (Node's default: every 30 s). */
  timeoutCheckIntervalMillis: 1_000,
} as const;

/** A running standalone metrics server. */
export interface MetricsServer {
  readonly server: Server;
  /** Resolves with the bound address; rejects with the bind error (EADDRINUSE, EACCES, ...). */
  readonly listening: Promise<AddressInfo>;
  close(): Promise<void>;
}

/**
 * Starts a metrics server with {@link METRICS_SERVER_LIMITS}. A bind error rejects `listening`
 * and is never thrown: a busy port must not crash the service. The server is `unref()`ed so it
 * never keeps the process alive.
 */
export function startMetricsServer(options: MetricsServerOptions): MetricsServer {
  const limits = METRICS_SERVER_LIMITS;
  const onRejected = options.onRejected ?? (() => {});
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMillis,
      requestTimeout: limits.requestTimeoutMillis,
      keepAliveTimeout: limits.keepAliveTimeoutMillis,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMillis,
    },
    (req, res) => {
      req.socket.setTimeout(limits.idleTimeoutMillis);
      const pathname = (req.url ?? '/').split('?', 1)[0];
      if (pathname === options.path) {
        options.handler(req, res);
      } else {
        onRejected('not_found');
        respond(res, 404, 'Not Found\n');
      }
    },
  );
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.idleTimeoutMillis;
  // Node's header timeout only starts with a request's first byte: a connection that never sends
  // one would live until the idle timeout. It gets the header timeout as its idle timeout instead.
  server.on('connection', (socket: Socket) => socket.setTimeout(limits.headersTimeoutMillis));
  server.on('drop', () => onRejected('connection_limit'));
  server.unref();
  const listening = new Promise<AddressInfo>((resolve, reject) => {
    // Stays attached: an 'error' event without a listener would throw and crash the service.
    // Before listening it is the bind error; later ones are only reported.
    server.on('error', (err) => {
      if (server.listening) logger.error('metrics server error', err);
      else reject(err);
    });
    server.listen(options.port, options.host, () => resolve(server.address() as AddressInfo));
  });
  // The caller may never await `listening`; the failure is reported here once either way.
  listening.catch((err: unknown) =>
    logger.error(`metrics server could not listen on ${options.host}:${options.port}`, err),
  );
  return {
    server,
    listening,
    // Waits for a pending bind, so a shutdown right after start-up still frees the port. Open
    // connections are closed with it (a scrape in flight is cut): none may hold shutdown up.
    close: () =>
      listening.then(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
        () => undefined,
      ),
  };
}

function authorizationHeader(auth: MetricsEndpointAuth): string {
  return 'bearerToken' in auth
    ? `Bearer ${auth.bearerToken}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function sameSecret(received: string | undefined, expected: Buffer): boolean {
  if (received === undefined) return false;
  // The scheme is case-insensitive (RFC 9110); the credentials after it are compared exactly.
  const space = received.indexOf(' ');
  const normalized = space < 0 ? received : `${schemeName(received.slice(0, space))}${received.slice(space)}`;
  const actual = Buffer.from(normalized);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function schemeName(scheme: string): string {
  const lower = scheme.toLowerCase();
  return lower === 'bearer' ? 'Bearer' : lower === 'basic' ? 'Basic' : scheme;
}

const METRICS_REQUEST = Symbol.for('agent-telemetry.metricsRequest');

function markMetricsRequest(req: IncomingMessage): void {
  (req as IncomingMessage & { [METRICS_REQUEST]?: true })[METRICS_REQUEST] = true;
}

/**
 * True for a request answered by a metrics handler, wherever it is mounted: the HTTP
 * instrumentation leaves scrapes out of the service's traffic metrics.
 */
export function isMetricsRequest(req: IncomingMessage): boolean {
  return (req as IncomingMessage & { [METRICS_REQUEST]?: true })[METRICS_REQUEST] === true;
}

function respond(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  contentLength = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
): void {
  // A framework may have answered already (a Fastify route without reply.hijack()): writing
  // again would throw ERR_HTTP_HEADERS_SENT out of a promise callback and crash the service.
  if (res.headersSent || res.writableEnded) {
    logger.error(
      `metrics handler: the response was already sent (status ${res.statusCode}); mount it as the README shows`,
    );
    return;
  }
  try {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers, 'content-length': contentLength });
    res.end(body);
  } catch (err) {
    logger.error('metrics handler could not answer', err);
  }
}
