import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
 * Builds the handler: GET and HEAD only (405 otherwise), optional bearer or basic auth (401),
 * and 500 when collection fails, so Prometheus marks the scrape failed instead of reading an
 * empty page as "no series".
 */
export function createMetricsHandler(scrape: () => Promise<string>, auth?: MetricsEndpointAuth): MetricsRequestHandler {
  const expected = auth === undefined ? undefined : Buffer.from(authorizationHeader(auth));
  return (req, res) => {
    markMetricsRequest(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      respond(res, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (expected !== undefined && !sameSecret(req.headers.authorization, expected)) {
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
          Buffer.byteLength(body),
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
}

/** A running standalone metrics server. */
export interface MetricsServer {
  readonly server: Server;
  /** Resolves with the bound address; rejects with the bind error (EADDRINUSE, EACCES, ...). */
  readonly listening: Promise<AddressInfo>;
  close(): Promise<void>;
}

/**
 * Starts a metrics server. A bind error rejects `listening` and is never thrown: a busy port must
 * not crash the service. The server is `unref()`ed so it never keeps the process alive.
 */
export function startMetricsServer(options: MetricsServerOptions): MetricsServer {
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname === options.path) options.handler(req, res);
    else respond(res, 404, 'Not Found\n');
  });
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
    // Waits for a pending bind, so a shutdown right after start-up still frees the port.
    close: () =>
      listening.then(
        () => new Promise<void>((resolve) => server.close(() => resolve())),
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
  body: string,
  headers: Record<string, string> = {},
  contentLength = Buffer.byteLength(body),
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
