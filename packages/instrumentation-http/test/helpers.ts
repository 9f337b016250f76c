import { createTelemetry, type Telemetry, type TelemetryPlugin } from '@agent-telemetry/core';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createTelemetryPlugin, type HttpInstrumentationOptions } from '../src';

export interface Instrumented {
  readonly telemetry: Telemetry;
  readonly plugin: TelemetryPlugin;
  stop(): Promise<void>;
}

/** A telemetry of its own (no server, no runtime metrics) with the HTTP plugin enabled on it. */
export function instrument(options?: HttpInstrumentationOptions): Instrumented {
  const plugin = createTelemetryPlugin(options);
  const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { dropMeters: plugin.upstreamMeters, env: {} });
  plugin.enable(telemetry);
  return {
    telemetry,
    plugin,
    stop: async () => {
      plugin.disable();
      await telemetry.shutdown();
    },
  };
}

const DURATION_METRIC = /^http_(client_)?request_duration_seconds_(bucket|sum)/;

/**
 * The exposition lines of the metric families `names` (HELP, TYPE, samples), in scrape order.
 * Durations depend on timing: their finite buckets and sums read `<v>`; `+Inf` and counts stay.
 */
export async function scrape(telemetry: Telemetry, ...names: string[]): Promise<string> {
  const text = await telemetry.scrape();
  const pattern = new RegExp(`^(?:# (?:HELP|TYPE) )?(?:${names.join('|')})(?:_bucket|_sum|_count)?[ {]`);
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => (DURATION_METRIC.test(line) && !line.includes('le="+Inf"') ? line.replace(/ \S+$/, ' <v>') : line))
    .map((line) => `${line}\n`)
    .join('');
}

/** The sample lines of one metric (no HELP/TYPE), as they appear in the exposition. */
export async function samples(telemetry: Telemetry, name: string): Promise<string[]> {
  return (await scrape(telemetry, name)).split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

/** Starts `server` on an ephemeral loopback port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request with Node's client; `chunks` sends the body chunked (no `content-length`). */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; chunks?: string[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.chunks !== undefined) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/**
 * Sends GET requests for `paths` over `connections` keep-alive sockets, pipelined, and resolves
 * with the number of responses: fast enough for 100,000 requests in a test.
 */
export function pipelinedGets(port: number, paths: readonly string[], connections = 8): Promise<number> {
  const perSocket = Math.ceil(paths.length / connections);
  const runs = [];
  for (let c = 0; c < connections; c++) {
    const mine = paths.slice(c * perSocket, (c + 1) * perSocket);
    if (mine.length > 0) runs.push(pipeline(port, mine));
  }
  return Promise.all(runs).then((counts) => counts.reduce((a, b) => a + b, 0));
}

function pipeline(port: number, paths: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).join(''));
    });
    socket.on('data', (chunk: string) => {
      pending += chunk;
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) break;
        const length = Number(/content-length: *(\d+)/i.exec(pending.slice(0, headerEnd))?.[1] ?? 0);
        if (pending.length < headerEnd + 4 + length) break;
        pending = pending.slice(headerEnd + 4 + length);
        received++;
      }
      if (received === paths.length) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

/** Captures what is logged through `diag` at warn level and above, until `stop()`. */
export function captureDiag(): { warnings: string[]; errors: string[]; stop(): void } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const text = (args: unknown[]) => args.map(String).join(' ');
  const ignore = () => {};
  const logger: DiagLogger = {
    error: (...args) => errors.push(text(args)),
    warn: (...args) => warnings.push(text(args)),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, errors, stop: () => diag.disable() };
}
