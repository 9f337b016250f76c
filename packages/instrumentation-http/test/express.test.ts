import express from 'express';
import express4 from 'express4';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrument, scrape } from './helpers';
import { close, send } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

// `express` (5) is found among the loaded modules; `express4` is installed under another name,
// which the require hooks cannot recognise, so it is handed over with the `modules` option.
describe.each([
  ['Express 5', express, {}],
  ['Express 4', express4, { modules: { express: express4 } }],
])('%s', (_name, expressModule, options) => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    env = instrument(options);
    const app = expressModule();
    app.use(expressModule.json());
    // A middleware mounted on a path that passes every request on: it must not stay in the route.
    app.use('/api/v1', (_req, _res, next) => next());

    const agents = expressModule.Router({ mergeParams: true });
    agents.post('/:id/execute', async (req, res) => {
      await sleep(2); // the route must survive an await
      res.status(202).json({ agent: req.params['id'], input: req.body });
    });
    agents.get('/:id', (_req, res) => res.status(404).json({ error: 'no such agent' }));

    const api = expressModule.Router();
    api.use('/agents', agents);
    api
      .route('/packages/:packageId')
      .get((_req, res) => res.json({ name: 'p' }))
      .put((_req, res) => res.sendStatus(204));
    api.get('/boom', () => {
      throw new Error('boom');
    });
    app.use('/api/v1', api);

    const keys = expressModule.Router();
    keys.get('/:keyId', (_req, res) => res.send('key'));
    const admin = expressModule.Router();
    admin.use('/users/:userId/keys', keys);
    app.use('/admin', admin);

    app.use('/static', (_req, res) => res.send('file'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await close(server);
    await env.stop();
  });

  test('the endpoint is the route template, mount prefixes of nested routers included', async () => {
    const executed = await send(port, '/api/v1/agents/42/execute', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"task":"x"}',
    });
    expect([executed.status, executed.body]).toEqual([202, '{"agent":"42","input":{"task":"x"}}']);
    await send(port, '/api/v1/agents/9');
    await send(port, '/api/v1/packages/web-search');
    await send(port, '/api/v1/packages/web-search', { method: 'PUT' });
    expect((await send(port, '/api/v1/boom')).status).toBe(500);
    await send(port, '/admin/users/7/keys/k-1');
    await send(port, '/static/app.js');
    await send(port, '/api/v1/nothing/here');
    await send(port, '/wp-admin/setup.php');

    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="POST",endpoint="/api/v1/agents/:id/execute",status_code="202"} 1',
        // The route matched and answered 404 itself: the template stays.
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="404"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/packages/:packageId",status_code="200"} 1',
        'http_requests_total{method="PUT",endpoint="/api/v1/packages/:packageId",status_code="204"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/boom",status_code="500"} 1',
        'http_requests_total{method="GET",endpoint="/admin/users/:userId/keys/:keyId",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="/static",status_code="200"} 1',
        // Only a mount path matched (/api/v1), or nothing did.
        'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 2',
        '',
      ].join('\n'),
    );
    const sizes = (await scrape(env.telemetry, 'http_request_size_bytes'))
      .split('\n')
      .filter((line) => line.includes('_sum{'));
    expect(sizes[0]).toBe('http_request_size_bytes_sum{method="POST",endpoint="/api/v1/agents/:id/execute"} 12');
  });
});
