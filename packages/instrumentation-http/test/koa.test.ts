import Router from '@koa/router';
import Koa from 'koa';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrument, scrape } from './helpers';
import { close, listen, send } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

describe('Koa with @koa/router', () => {
  let env: Instrumented;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    env = instrument();
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch {
        ctx.status = 500;
        ctx.body = 'failed';
      }
    });

    const agents = new Router();
    agents.post('/:id/execute', async (ctx) => {
      await sleep(2);
      ctx.status = 202;
      ctx.body = { agent: ctx.params['id'] };
    });
    agents.get('/:id', (ctx) => {
      ctx.status = 404;
      ctx.body = { error: 'no such agent' };
    });
    const api = new Router({ prefix: '/api/v1' });
    api.use('/agents', agents.routes());
    api.get('/packages/:packageId', (ctx) => {
      ctx.body = { name: ctx.params['packageId'] };
    });
    api.get('/boom', () => {
      throw new Error('boom');
    });
    app.use(api.routes());
    server = createServer(app.callback());
    port = await listen(server);
  });

  afterAll(async () => {
    await close(server);
    await env.stop();
  });

  test('the endpoint is the route template, router prefixes included', async () => {
    const executed = await send(port, '/api/v1/agents/42/execute', { method: 'POST' });
    expect([executed.status, executed.body]).toEqual([202, '{"agent":"42"}']);
    await send(port, '/api/v1/agents/9');
    await send(port, '/api/v1/packages/web-search');
    expect((await send(port, '/api/v1/boom')).status).toBe(500);
    await send(port, '/api/v1/nothing/here');
    await send(port, '/.git/config');

    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="POST",endpoint="/api/v1/agents/:id/execute",status_code="202"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="404"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/packages/:packageId",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/boom",status_code="500"} 1',
        'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 2',
        '',
      ].join('\n'),
    );
  });
});
