import Fastify, { type FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { instrument, scrape } from './helpers';
import { send } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

describe('Fastify', () => {
  let env: Instrumented;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    // Instances announce themselves on a diagnostics channel: create them after enabling.
    env = instrument();
    app = Fastify();
    await app.register(
      async (api) => {
        api.post('/agents/:id/execute', async (request, reply) => {
          await sleep(2);
          return reply.code(202).send({ agent: (request.params as { id: string }).id });
        });
        api.get('/agents/:id', async (_request, reply) => reply.code(404).send({ error: 'no such agent' }));
        await api.register(
          async (nested) => {
            nested.get('/:packageId/versions/:version', async () => ({ ok: true }));
          },
          { prefix: '/packages' },
        );
      },
      { prefix: '/api/v1' },
    );
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await app.close();
    await env.stop();
  });

  test('the endpoint is the route template, plugin prefixes included', async () => {
    const executed = await send(port, '/api/v1/agents/42/execute', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"task":"x"}',
    });
    expect([executed.status, executed.body]).toEqual([202, '{"agent":"42"}']);
    await send(port, '/api/v1/agents/9');
    await send(port, '/api/v1/packages/web-search/versions/1.2.0');
    expect((await send(port, '/boom')).status).toBe(500);
    await send(port, '/api/v1/nothing/here');
    await send(port, '/.env');

    expect(await scrape(env.telemetry, 'http_requests_total')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="POST",endpoint="/api/v1/agents/:id/execute",status_code="202"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="404"} 1',
        'http_requests_total{method="GET",endpoint="/api/v1/packages/:packageId/versions/:version",status_code="200"} 1',
        'http_requests_total{method="GET",endpoint="/boom",status_code="500"} 1',
        'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 2',
        '',
      ].join('\n'),
    );
  });
});
