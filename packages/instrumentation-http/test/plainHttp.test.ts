import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { instrument, scrape } from './helpers';
import { close, listen, send } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

// A plain `http` server: no framework, so endpoints come from the path normaliser.
describe('plain http server', () => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  async function start(handler: (req: IncomingMessage, res: ServerResponse) => void, options = {}): Promise<void> {
    env = instrument(options);
    server = createServer(handler);
    port = await listen(server);
  }

  afterEach(async () => {
    await close(server);
    await env.stop();
  });

  test('ids in paths become placeholders; every request is counted under its method and status', async () => {
    await start((req, res) => {
      res.statusCode = req.method === 'POST' ? 201 : 200;
      res.end('done');
    });
    await send(port, '/api/v1/agents/42/execute?verbose=1');
    await send(port, '/api/v1/agents/1337/execute');
    await send(port, '/api/v1/packages/7f3c9a2e-1b4d-4c8a-9e6f-2d5b8a1c3e7f', { method: 'POST', body: '{}' });
    await send(port, '/api/v1/agents/42/execute', { method: 'PROPFIND' });
    expect(await scrape(env.telemetry, 'http_requests_total', 'http_requests_in_flight')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id/execute",status_code="200"} 2',
        'http_requests_total{method="POST",endpoint="/api/v1/packages/:uuid",status_code="201"} 1',
        'http_requests_total{method="_OTHER",endpoint="/api/v1/agents/:id/execute",status_code="200"} 1',
        '# HELP http_requests_in_flight HTTP requests being served now.',
        '# TYPE http_requests_in_flight gauge',
        'http_requests_in_flight 0',
        '',
      ].join('\n'),
    );
  });

  test('the duration histogram has the catalogue buckets, one observation per request', async () => {
    await start((_req, res) => res.end('ok'));
    await send(port, '/orders/12');
    expect(await scrape(env.telemetry, 'http_request_duration_seconds')).toBe(
      [
        '# HELP http_request_duration_seconds Time from the start of an HTTP request to the end of its response.',
        '# TYPE http_request_duration_seconds histogram',
        ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2', '5', '10', '30'].map(
          (le) =>
            `http_request_duration_seconds_bucket{method="GET",endpoint="/orders/:id",status_code="200",le="${le}"} <v>`,
        ),
        'http_request_duration_seconds_bucket{method="GET",endpoint="/orders/:id",status_code="200",le="+Inf"} 1',
        'http_request_duration_seconds_sum{method="GET",endpoint="/orders/:id",status_code="200"} <v>',
        'http_request_duration_seconds_count{method="GET",endpoint="/orders/:id",status_code="200"} 1',
        '',
      ].join('\n'),
    );
  });

  test('sizes: content-length where present, counted bytes for chunked requests and streamed responses', async () => {
    await start((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/stream') {
          // No content-length: the response goes out chunked, 100 + 200 bytes.
          res.write('x'.repeat(100));
          res.end(Buffer.alloc(200, 'y'));
        } else {
          res.setHeader('content-length', 2000);
          res.end('z'.repeat(2000));
        }
      });
    });
    const fixed = await send(port, '/upload', { method: 'POST', body: 'a'.repeat(300) });
    const chunked = await send(port, '/stream', { method: 'POST', chunks: ['a'.repeat(40), 'é'.repeat(30)] });
    expect([fixed.body.length, chunked.headers['transfer-encoding'], chunked.body.length]).toEqual([
      2000,
      'chunked',
      300,
    ]);
    expect(await scrape(env.telemetry, 'http_request_size_bytes', 'http_response_size_bytes')).toBe(
      [
        '# HELP http_request_size_bytes HTTP request body size.',
        '# TYPE http_request_size_bytes histogram',
        ...histogram('http_request_size_bytes', 'method="POST",endpoint="/upload"', 300),
        ...histogram('http_request_size_bytes', 'method="POST",endpoint="/stream"', 100), // 40 + 30 two-byte characters
        '# HELP http_response_size_bytes HTTP response body size.',
        '# TYPE http_response_size_bytes histogram',
        ...histogram('http_response_size_bytes', 'method="POST",endpoint="/upload",status_code="200"', 2000),
        ...histogram('http_response_size_bytes', 'method="POST",endpoint="/stream",status_code="200"', 300),
        '',
      ].join('\n'),
    );
  });

  test('HEAD, 204 and 304 responses have no body', async () => {
    await start((req, res) => {
      res.statusCode = req.url === '/gone' ? 204 : req.url === '/cached' ? 304 : 200;
      res.setHeader('content-length', 5000);
      res.end(req.method === 'HEAD' || res.statusCode !== 200 ? undefined : 'w'.repeat(5000));
    });
    await send(port, '/file', { method: 'HEAD' });
    await send(port, '/gone', { method: 'DELETE' });
    await send(port, '/cached');
    const lines = (await scrape(env.telemetry, 'http_response_size_bytes'))
      .split('\n')
      .filter((line) => line.includes('_sum'));
    expect(lines).toEqual([
      'http_response_size_bytes_sum{method="HEAD",endpoint="/file",status_code="200"} 0',
      'http_response_size_bytes_sum{method="DELETE",endpoint="/gone",status_code="204"} 0',
      'http_response_size_bytes_sum{method="GET",endpoint="/cached",status_code="304"} 0',
    ]);
  });

  test('the metrics endpoint and ignored paths are not recorded; a 404 without route is "unmatched"', async () => {
    await start(
      (req, res) => {
        if (req.url === '/api/v1/metrics' || req.url === '/metrics') return env.telemetry.metricsHandler(req, res);
        res.statusCode = req.url === '/healthz' ? 200 : 404;
        res.end();
      },
      { ignorePaths: ['/healthz', /^\/internal\//] },
    );
    const scraped = await send(port, '/api/v1/metrics');
    await send(port, '/metrics');
    await send(port, '/healthz');
    await send(port, '/internal/debug/42');
    await send(port, '/wp-login.php');
    await send(port, '/.env');
    expect(scraped.status).toBe(200);
    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 2',
        '',
      ].join('\n'),
    );
  });

  test('the metrics handler is left out wherever it is mounted, in flight only while it answers; /metrics of the service is recorded', async () => {
    await start((req, res) => {
      if (req.url === '/ops/prometheus') return env.telemetry.metricsHandler(req, res);
      res.setHeader('content-type', 'application/json');
      res.end('{"agents":3}');
    });
    const scraped = await send(port, '/ops/prometheus');
    const refused = await send(port, '/ops/prometheus', { method: 'POST' });
    const business = await send(port, '/metrics');
    expect([scraped.status, refused.status, business.body]).toEqual([200, 405, '{"agents":3}']);
    expect(await scrape(env.telemetry, 'http_requests_total', 'http_requests_in_flight')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="/metrics",status_code="200"} 1',
        '# HELP http_requests_in_flight HTTP requests being served now.',
        '# TYPE http_requests_in_flight gauge',
        'http_requests_in_flight 0',
        '',
      ].join('\n'),
    );
    // The first scrape was in flight while it was answered.
    expect(scraped.body).toContain('\nhttp_requests_in_flight 1\n');
  });

  test('endpoint rules and a custom normaliser', async () => {
    await start((_req, res) => res.end(), {
      endpointRules: [{ pattern: /^\/tenants\/[^/]+/, replacement: '/tenants/:tenant' }],
    });
    await send(port, '/tenants/acme/orders/17');
    await send(port, '/tenants/globex/orders/18');
    expect(await samplesOf(env, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/tenants/:tenant/orders/:id",status_code="200"} 2',
    ]);
    await close(server);
    await env.stop();

    await start((_req, res) => res.end(), {
      normalizeEndpoint: (path: string) => path.split('/').slice(0, 2).join('/'),
    });
    await send(port, '/reports/2024/q1');
    await send(port, '/reports/2023/q4');
    expect(await samplesOf(env, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/reports",status_code="200"} 2',
    ]);
  });

  test('in flight: a request is counted from its start until its response is complete', async () => {
    let release: () => void = () => {};
    let notify: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (notify = resolve));
    await start((_req, res) => {
      release = () => res.end('late');
      notify();
    });
    const reply = send(port, '/slow');
    await arrived;
    expect(await scrape(env.telemetry, 'http_requests_in_flight')).toContain('\nhttp_requests_in_flight 1\n');
    expect(await samplesOf(env, 'http_requests_total')).toEqual([]);
    release();
    await reply;
    expect(await scrape(env.telemetry, 'http_requests_in_flight')).toContain('\nhttp_requests_in_flight 0\n');
  });

  test('a client that disconnects before the response is complete is recorded as 499, with the bytes sent', async () => {
    const reached: string[] = [];
    let notify: () => void = () => {};
    await start((req, res) => {
      reached.push(req.url!);
      // /hang never answers; /partial sends 1000 bytes of a streamed body, then stalls.
      if (req.url === '/partial') res.write('p'.repeat(1000));
      notify();
    });
    for (const path of ['/hang', '/partial']) {
      const arrived = new Promise<void>((resolve) => (notify = resolve));
      const req = request({ host: '127.0.0.1', port, path, agent: false });
      req.on('error', () => {});
      req.on('response', (res) => res.on('data', () => req.destroy()));
      req.end();
      await arrived;
      if (path === '/hang') req.destroy();
      await until(async () => (await samplesOf(env, 'http_requests_total')).length === (path === '/hang' ? 1 : 2));
    }
    expect(reached).toEqual(['/hang', '/partial']);
    expect(await samplesOf(env, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/hang",status_code="499"} 1',
      'http_requests_total{method="GET",endpoint="/partial",status_code="499"} 1',
    ]);
    expect((await samplesOf(env, 'http_response_size_bytes')).filter((line) => line.includes('_sum'))).toEqual([
      'http_response_size_bytes_sum{method="GET",endpoint="/hang",status_code="499"} 0',
      'http_response_size_bytes_sum{method="GET",endpoint="/partial",status_code="499"} 1000',
    ]);
    expect(await scrape(env.telemetry, 'http_requests_in_flight')).toContain('\nhttp_requests_in_flight 0\n');
  });

  test('the disconnect status code is configurable', async () => {
    let notify: () => void = () => {};
    await start(() => notify(), { disconnectStatusCode: 444 });
    const arrived = new Promise<void>((resolve) => (notify = resolve));
    const req = request({ host: '127.0.0.1', port, path: '/hang', agent: false });
    req.on('error', () => {});
    req.end();
    await arrived;
    req.destroy();
    await until(async () => (await samplesOf(env, 'http_requests_total')).length === 1);
    expect(await samplesOf(env, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/hang",status_code="444"} 1',
    ]);
  });
});

/** The histogram lines of one series holding a single observation of `value` bytes. */
function histogram(name: string, labels: string, value: number): string[] {
  const bounds = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
  return [
    ...bounds.map((le) => `${name}_bucket{${labels},le="${le}"} ${value <= le ? 1 : 0}`),
    `${name}_bucket{${labels},le="+Inf"} 1`,
    `${name}_sum{${labels}} ${value}`,
    `${name}_count{${labels}} 1`,
  ];
}

async function samplesOf(env: Instrumented, name: string): Promise<string[]> {
  return (await scrape(env.telemetry, name))
    .split('\n')
    .filter((line) => line.startsWith(name) && !line.includes('_bucket'));
}

/** Polls `condition` until it holds (the server sees a disconnect a moment after the client). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}
