import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions, type Server } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { urlToHttpOptions } from 'node:url';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Sends the body in these chunks (chunked, no `content-length`). */
  readonly chunks?: readonly string[];
}

/** One request with Node's client to `path` on 127.0.0.1:`port`; the path is sent as it is. */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return exchange({ host: '127.0.0.1', port, path }, options);
}

/** One request to `url`, parsed as Node's `http.request(url)` parses it. */
export function request(url: string, options: SendOptions = {}): Promise<Reply> {
  return exchange(urlToHttpOptions(new URL(url)), options);
}

function exchange(target: RequestOptions, options: SendOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { ...target, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks !== undefined) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** Starts `server` on an ephemeral loopback port; resolves with the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes `server`, its keep-alive connections included. */
export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function baseUrl(server: NetServer): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
