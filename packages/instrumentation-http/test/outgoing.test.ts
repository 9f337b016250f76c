import http, { createServer, type Server } from 'node:http';
import { instrument, scrape } from './helpers';
import { close, listen } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

// Outgoing requests (the service calling an LLM provider, say) through http.request and http.get.
describe('outgoing requests', () => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('upstream');
    });
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await env.stop();
  });

  test('http_client_request_duration_seconds by method, host and status code', async () => {
    env = instrument();
    await get(`http://127.0.0.1:${port}/v1/chat/completions`);
    await get(`http://127.0.0.1:${port}/missing`);
    await post({ host: '127.0.0.1', port, path: '/v1/embeddings', method: 'POST' });
    expect(await scrape(env.telemetry, 'http_client_request_duration_seconds')).toBe(
      [
        '# HELP http_client_request_duration_seconds Duration of outgoing HTTP requests, by method, remote host and status code.',
        '# TYPE http_client_request_duration_seconds histogram',
        ...series(`method="GET",host="127.0.0.1:${port}",status_code="200"`, 1),
        ...series(`method="GET",host="127.0.0.1:${port}",status_code="404"`, 1),
        ...series(`method="POST",host="127.0.0.1:${port}",status_code="200"`, 1),
        '',
      ].join('\n'),
    );
  });

  test('a request that gets no response is recorded with status_code "error"', async () => {
    env = instrument();
    const unused = createServer();
    const deadPort = await listen(unused);
    await close(unused);
    const error = await get(`http://127.0.0.1:${deadPort}/`).catch((err: NodeJS.ErrnoException) => err);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(await scrape(env.telemetry, 'http_client_request_duration_seconds')).toContain(
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${deadPort}",status_code="error"} 1\n`,
    );
  });

  test('past maxHosts distinct hosts, the host is "overflow"', async () => {
    env = instrument({ maxHosts: 1 });
    await get(`http://127.0.0.1:${port}/a`);
    await get(`http://localhost:${port}/b`);
    await get(`http://127.0.0.1:${port}/c`);
    expect((await scrape(env.telemetry, 'http_client_request_duration_seconds')).match(/^\S+_count\{.*/gm)).toEqual([
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${port}",status_code="200"} 2`,
      'http_client_request_duration_seconds_count{method="GET",host="overflow",status_code="200"} 1',
    ]);
  });

  test('ignoreOutgoingRequest and outgoingRequests: false leave requests out', async () => {
    env = instrument({ ignoreOutgoingRequest: (options) => options.path === '/health' });
    await get(`http://127.0.0.1:${port}/health`);
    await get(`http://127.0.0.1:${port}/v1/models`);
    expect((await scrape(env.telemetry, 'http_client_request_duration_seconds')).match(/^\S+_count\{.*/gm)).toEqual([
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${port}",status_code="200"} 1`,
    ]);
    await env.stop();

    env = instrument({ outgoingRequests: false });
    await get(`http://127.0.0.1:${port}/v1/models`);
    expect(await scrape(env.telemetry, 'http_client_request_duration_seconds')).toBe('');
  });
});

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

function post(options: http.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...options, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end('{"input":"hello"}');
  });
}

function series(labels: string, count: number): string[] {
  return [
    ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '5', '10', '30'].map(
      (le) => `http_client_request_duration_seconds_bucket{${labels},le="${le}"} <v>`,
    ),
    `http_client_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}`,
    `http_client_request_duration_seconds_sum{${labels}} <v>`,
    `http_client_request_duration_seconds_count{${labels}} ${count}`,
  ];
}
