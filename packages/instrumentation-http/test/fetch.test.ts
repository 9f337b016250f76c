import { createServer, type Server } from 'node:http';
import { instrument, scrape } from './helpers';
import { close, listen } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

// Global fetch (undici) requests, as the LLM SDKs send them, recorded like http.request.
describe('fetch requests', () => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((req, res) => {
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {}\n\n');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.statusCode = req.url === '/limited' ? 429 : 200;
      res.end('upstream');
    });
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await env.stop();
  });

  const counts = async (): Promise<string[]> =>
    (await scrape(env.telemetry, 'http_client_request_duration_seconds')).match(/^\S+_count\{.*/gm) ?? [];

  test('recorded in http_client_request_duration_seconds by method, host and status code', async () => {
    env = instrument();
    await (await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', body: '{}' })).text();
    await (await fetch(`http://127.0.0.1:${port}/limited`)).text();
    await (await fetch(`http://localhost:${port}/v1/models`)).text();
    expect(await counts()).toEqual([
      `http_client_request_duration_seconds_count{method="POST",host="127.0.0.1:${port}",status_code="200"} 1`,
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${port}",status_code="429"} 1`,
      `http_client_request_duration_seconds_count{method="GET",host="localhost:${port}",status_code="200"} 1`,
    ]);
  });

  test('a body cut mid-way keeps the status of its headers; the host bound is shared with http', async () => {
    env = instrument({ maxHosts: 1 });
    const response = await fetch(`http://127.0.0.1:${port}/cut`);
    const error = await response.text().catch((err: unknown) => err);
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    await (await fetch(`http://localhost:${port}/other`)).text();
    expect(await counts()).toEqual([
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${port}",status_code="200"} 1`,
      'http_client_request_duration_seconds_count{method="GET",host="overflow",status_code="200"} 1',
    ]);
  });

  test('ignoreOutgoingRequest sees fetch requests; outgoingRequests: false and disable() stop recording', async () => {
    env = instrument({ ignoreOutgoingRequest: (options) => options.path === '/health' && options.method === 'GET' });
    await (await fetch(`http://127.0.0.1:${port}/health`)).text();
    await (await fetch(`http://127.0.0.1:${port}/v1/models`)).text();
    expect(await counts()).toEqual([
      `http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:${port}",status_code="200"} 1`,
    ]);
    env.plugin.disable();
    await (await fetch(`http://127.0.0.1:${port}/v1/models`)).text();
    expect(await counts()).toHaveLength(1);
    await env.stop();

    env = instrument({ outgoingRequests: false });
    await (await fetch(`http://127.0.0.1:${port}/v1/models`)).text();
    expect(await counts()).toEqual([]);
  });
});
