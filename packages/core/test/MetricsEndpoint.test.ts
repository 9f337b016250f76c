import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createTelemetry, type MetricsRequestHandler, type Telemetry } from '../src';
import { captureDiag } from '../../../test-support/diag';
import { baseUrl, close, listen, request } from '../../../test-support/http';

const PATH = '/api/v1/metrics';
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const SAMPLE = 'customer_signups_total{tier="pro"} 1\n';

function quietTelemetry(prometheus: Parameters<typeof createTelemetry>[0] = {}): Telemetry {
  const telemetry = createTelemetry(
    { runtimeMetrics: false, ...prometheus, prometheus: { server: false, ...prometheus.prometheus } },
    { env: {} },
  );
  telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
  return telemetry;
}

/** The handler mounted at /api/v1/metrics of each kind of server a service may run. */
const mounts: Record<string, (handler: MetricsRequestHandler) => Promise<{ url: string; stop(): Promise<void> }>> = {
  'plain http': async (handler) => {
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0] === PATH) handler(req, res);
      else res.writeHead(404).end();
    });
    await listen(server);
    return { url: `${baseUrl(server)}${PATH}`, stop: () => close(server) };
  },
  express: async (handler) => {
    const app = express();
    app.all(PATH, handler);
    const server = createServer(app);
    await listen(server);
    return { url: `${baseUrl(server)}${PATH}`, stop: () => close(server) };
  },
  fastify: async (handler) => {
    const app = Fastify();
    app.all(PATH, (req, reply) => {
      reply.hijack();
      handler(req.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `${baseUrl(app.server)}${PATH}`, stop: () => app.close() };
  },
  koa: async (handler) => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path !== PATH) return next();
      ctx.respond = false;
      handler(ctx.req, ctx.res);
    });
    const server = createServer(app.callback());
    await listen(server);
    return { url: `${baseUrl(server)}${PATH}`, stop: () => close(server) };
  },
};

describe.each(Object.keys(mounts))('mounted in %s', (kind) => {
  let telemetry: Telemetry;
  let mounted: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    telemetry = quietTelemetry();
    mounted = await mounts[kind]!(telemetry.metricsHandler);
  });

  afterAll(async () => {
    await mounted.stop();
    await telemetry.shutdown();
  });

  test('GET answers 200 with the exposition as text/plain; version=0.0.4', async () => {
    const response = await request(mounted.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(CONTENT_TYPE);
    expect(response.body).toContain(`# TYPE customer_signups_total counter\n${SAMPLE}`);
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
  });

  test('HEAD answers 200 with the headers and no body', async () => {
    const response = await request(mounted.url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(CONTENT_TYPE);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(SAMPLE.length);
    expect(response.body).toBe('');
  });

  test.each(['POST', 'PUT', 'DELETE'])('%s answers 405 with Allow: GET, HEAD', async (method) => {
    const response = await request(mounted.url, { method });
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(response.body).not.toContain('customer_signups_total');
  });
});

describe('auth', () => {
  async function serve(telemetry: Telemetry): Promise<{ url: string; stop(): Promise<void> }> {
    return mounts['plain http']!(telemetry.metricsHandler);
  }

  test('a bearer token is required when configured', async () => {
    const telemetry = quietTelemetry({ prometheus: { auth: { bearerToken: 's3cr3t-token' } } });
    const { url, stop } = await serve(telemetry);
    try {
      const missing = await request(url);
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(missing.body).not.toContain('customer_signups_total');
      expect((await request(url, { headers: { authorization: 'Bearer wrong-token!' } })).status).toBe(401);
      expect((await request(url, { headers: { authorization: 'Bearer s3cr3t-token-and-more' } })).status).toBe(401);
      expect((await request(url, { headers: { authorization: 'Basic s3cr3t-token' } })).status).toBe(401);

      const ok = await request(url, { headers: { authorization: 'Bearer s3cr3t-token' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain(SAMPLE);
      // The scheme is case-insensitive.
      expect((await request(url, { headers: { authorization: 'bearer s3cr3t-token' } })).status).toBe(200);
    } finally {
      await stop();
      await telemetry.shutdown();
    }
  });

  test('basic auth is required when configured', async () => {
    const telemetry = quietTelemetry({ prometheus: { auth: { username: 'prometheus', password: 'p@ss:word' } } });
    const { url, stop } = await serve(telemetry);
    const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
    try {
      const missing = await request(url);
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Basic realm="metrics"');
      expect((await request(url, { headers: basic('prometheus:wrong') })).status).toBe(401);
      expect((await request(url, { headers: basic('other:p@ss:word') })).status).toBe(401);

      const ok = await request(url, { headers: basic('prometheus:p@ss:word') });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain(SAMPLE);
    } finally {
      await stop();
      await telemetry.shutdown();
    }
  });

  test('auth comes from the environment too', async () => {
    const telemetry = createTelemetry(
      { prometheus: { server: false }, runtimeMetrics: false },
      { env: { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 'from-env' } },
    );
    const { url, stop } = await serve(telemetry);
    try {
      expect((await request(url)).status).toBe(401);
      expect((await request(url, { headers: { authorization: 'Bearer from-env' } })).status).toBe(200);
    } finally {
      await stop();
      await telemetry.shutdown();
    }
  });
});

test('a failed collection answers 500, not an empty 200', async () => {
  const logs = captureDiag();
  const telemetry = quietTelemetry();
  const { url, stop } = await mounts['plain http']!(telemetry.metricsHandler);
  try {
    expect((await request(url)).status).toBe(200);
    // A shut-down MeterProvider's readers reject every collection.
    await telemetry.meterProvider.shutdown();
    const response = await request(url);
    expect(response.status).toBe(500);
    // The cause goes to the service's log, not to the scraper.
    expect(response.body).toBe('# metrics collection failed; the service log has the cause\n');
    expect(logs.errors).toEqual([expect.stringContaining('metrics collection failed')]);
  } finally {
    logs.stop();
    await stop();
    await telemetry.shutdown();
  }
});

describe('standalone server', () => {
  test('listens on the configured host and port (0: any free port), answers on its path and 404 elsewhere', async () => {
    const telemetry = createTelemetry(
      { runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0, path: PATH } },
      { env: {} },
    );
    try {
      telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
      const address = await telemetry.metricsServer!.listening;
      expect(address.address).toBe('127.0.0.1');
      expect(address.port).toBeGreaterThan(0);
      const url = `http://127.0.0.1:${address.port}`;

      const ok = await request(`${url}${PATH}?name[]=x`);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toBe(CONTENT_TYPE);
      expect(ok.body).toContain(SAMPLE);
      expect((await request(`${url}${PATH}`, { method: 'HEAD' })).body).toBe('');
      expect((await request(`${url}${PATH}`, { method: 'POST' })).status).toBe(405);
      expect((await request(`${url}/metrics`)).status).toBe(404);
      expect((await request(`${url}/`)).status).toBe(404);
    } finally {
      await telemetry.shutdown();
    }
    expect(telemetry.metricsServer!.server.listening).toBe(false);
  });

  test('serves /metrics on the host from OTEL_EXPORTER_PROMETHEUS_HOST/PORT', async () => {
    const telemetry = createTelemetry(
      { runtimeMetrics: false },
      { env: { OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' } },
    );
    try {
      const { address, port } = await telemetry.metricsServer!.listening;
      expect(address).toBe('127.0.0.1');
      expect((await request(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await telemetry.shutdown();
    }
  });

  test('a busy port rejects `listening` with EADDRINUSE, is logged, and never throws or stops the service', async () => {
    const logs = captureDiag();
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    let telemetry: Telemetry | undefined;
    try {
      expect(() => {
        telemetry = createTelemetry({ runtimeMetrics: false, prometheus: { host: '127.0.0.1', port } }, { env: {} });
      }).not.toThrow();
      await expect(telemetry!.metricsServer!.listening).rejects.toMatchObject({ code: 'EADDRINUSE', port });
      expect(logs.errors).toEqual([expect.stringContaining(`metrics server could not listen on 127.0.0.1:${port}`)]);
      // Everything else keeps working: recording, scraping, the mountable handler and shutdown.
      telemetry!.metrics.customer_signups_total.inc({ tier: 'free' });
      expect(await telemetry!.scrape()).toContain('customer_signups_total{tier="free"} 1\n');
      await expect(telemetry!.shutdown()).resolves.toBeUndefined();
    } finally {
      logs.stop();
      await telemetry?.shutdown();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('is not started when prometheus.server is false or the Prometheus exporter is off', async () => {
    const off = quietTelemetry();
    const none = createTelemetry({ runtimeMetrics: false, exporter: 'none', prometheus: { port: 0 } }, { env: {} });
    try {
      expect(off.metricsServer).toBeUndefined();
      expect(none.metricsServer).toBeUndefined();
    } finally {
      await Promise.all([off.shutdown(), none.shutdown()]);
    }
  });
});

test('a response the framework already sent is reported, never thrown into the service', async () => {
  const logs = captureDiag();
  const telemetry = quietTelemetry();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  // A Fastify route that forgets reply.hijack(): Fastify answers before the scrape resolves.
  const app = Fastify();
  app.get(PATH, (req, reply) => {
    telemetry.metricsHandler(req.raw, reply.raw);
    return reply.send('answered by the framework');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const response = await request(`${baseUrl(app.server)}${PATH}`);
    expect(response.body).toBe('answered by the framework');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect(logs.errors).toEqual([expect.stringContaining('the response was already sent')]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    logs.stop();
    await app.close();
    await telemetry.shutdown();
  }
});

test('shutdown right after start-up frees the standalone port', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const first = createTelemetry({ runtimeMetrics: false, prometheus: { host: '127.0.0.1', port } }, { env: {} });
  await first.shutdown(); // before the bind has completed
  const second = createTelemetry({ runtimeMetrics: false, prometheus: { host: '127.0.0.1', port } }, { env: {} });
  try {
    await expect(second.metricsServer!.listening).resolves.toMatchObject({ port });
  } finally {
    await second.shutdown();
  }
});
