import express from 'express';
import type { Server } from 'node:http';
import { instrument, scrape } from '../helpers';
import { close, send } from '../../../../test-support/http';
import type { Instrumented } from '../../../../test-support/telemetry';
import type { HttpInstrumentationOptions } from '../../src';

// A path scan used to take up the endpoint budget shared with the route templates: behind a global
// auth middleware answering 401, 150 junk paths became 100 normalised endpoints, and from then on
// every real route of the service was recorded as endpoint="overflow", for the life of the process.
describe('a path scan does not take the endpoints of real routes', () => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  async function start(options: HttpInstrumentationOptions): Promise<void> {
    env = instrument(options);
    const app = express();
    // Global middlewares answering before any route: no route template is known for these.
    app.use((req, res, next) => {
      if (req.headers.authorization === undefined) res.status(401).end();
      else if (req.headers.authorization === 'Bearer expired') res.status(403).end();
      else if (req.method === 'TRACE') res.status(405).end();
      else next();
    });
    app.get('/api/v1/agents/:id', (req, res) => res.json({ agent: req.params.id }));
    // A single-page-app fallback: every other path is answered 200.
    app.use((_req, res) => res.send('<html></html>'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  }

  afterEach(async () => {
    await close(server);
    await env.stop();
  });

  const authorized = { headers: { authorization: 'Bearer ok' } };

  test('4xx answers without a route are "unmatched": 150 junk paths leave the budget untouched', async () => {
    await start({});
    for (let i = 0; i < 150; i++) {
      const options =
        i % 3 === 0
          ? {}
          : i % 3 === 1
            ? { headers: { authorization: 'Bearer expired' } }
            : { ...authorized, method: 'TRACE' };
      await send(port, `/junk/page-${i}`, options);
    }
    expect((await send(port, '/api/v1/agents/42', authorized)).body).toBe('{"agent":"42"}');
    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="unmatched",status_code="401"} 50',
        'http_requests_total{method="GET",endpoint="unmatched",status_code="403"} 50',
        'http_requests_total{method="TRACE",endpoint="unmatched",status_code="405"} 50',
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="200"} 1',
        '',
      ].join('\n'),
    );
  });

  test('normalised paths have their own budget: past it they overflow, route templates never do', async () => {
    await start({ maxEndpoints: 3 });
    for (let i = 0; i < 150; i++) await send(port, `/junk/page-${i}`, authorized);
    await send(port, '/api/v1/agents/42', authorized);
    await send(port, '/api/v1/agents/43', authorized);
    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="/junk/page-0",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="/junk/page-1",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="/junk/page-2",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="overflow",status_code="200"} 147',
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="200"} 2',
        '',
      ].join('\n'),
    );
  });
});
