import { createTelemetry } from '@agent-telemetry/core';
import express4 from 'express4';
import { propagation, ProxyTracerProvider, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import http, { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket } from 'node:net';
import { createTelemetryPlugin } from '../src';
import { hasContextManager } from '../src/tracingContext';
import { instrument, samples } from './helpers';
import { captureDiag } from '../../../test-support/diag';
import { familyNames } from '../../../test-support/exposition';
import { close, listen, send } from '../../../test-support/http';
import { testTelemetry, type Instrumented } from '../../../test-support/telemetry';

describe('the plugin', () => {
  let env: Instrumented | undefined;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((req, res) => res.end(req.url));
    port = await listen(server);
  });

  afterEach(async () => {
    await close(server);
    await env?.stop();
    env = undefined;
  });

  test('disable() removes every patch and stops recording; enable() again restores both', async () => {
    const patched = () => [
      isWrapped(http.Server.prototype.emit),
      isWrapped(http.request),
      isWrapped(http.get),
      isWrapped(ServerResponse.prototype.write),
      isWrapped(ServerResponse.prototype.end),
    ];
    env = instrument();
    expect(patched()).toEqual([true, true, true, true, true]);
    await send(port, '/before/1');
    env.plugin.disable();
    expect(patched()).toEqual([false, false, false, false, false]);
    await send(port, '/after/2');
    expect(await samples(env.telemetry, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/before/:id",status_code="200"} 1',
    ]);
    env.plugin.enable(env.telemetry);
    expect(patched()).toEqual([true, true, true, true, true]);
    await send(port, '/again/3');
    expect(await samples(env.telemetry, 'http_requests_total')).toHaveLength(2);
  });

  test('a plain http service gets neither a context manager nor the span work of incoming requests', async () => {
    // The upstream span path starts by extracting the trace context from the request headers.
    let extracted = 0;
    propagation.setGlobalPropagator({ inject: () => {}, extract: (ctx) => (extracted++, ctx), fields: () => [] });
    try {
      env = instrument();
      await send(port, '/plain/1');
      expect([hasContextManager(), extracted]).toEqual([false, 0]);
      expect(await samples(env.telemetry, 'http_requests_total')).toHaveLength(1);
    } finally {
      propagation.disable();
    }
  });

  test('loading Express installs an AsyncLocalStorage context manager; disable() removes it', () => {
    env = instrument({ modules: { express: express4 } });
    expect(hasContextManager()).toBe(true);
    env.plugin.disable();
    expect(hasContextManager()).toBe(false);
  });

  test('throwing user callbacks do no harm: the request is served, the error is logged once', async () => {
    const diag = captureDiag();
    try {
      env = instrument({
        ignoreIncomingRequest: (req) => {
          if (req.url === '/bad-hook') throw new Error('hook failed');
          return false;
        },
        normalizeEndpoint: (path) => {
          if (path === '/bad-normaliser') throw new Error('normaliser failed');
          return path;
        },
      });
      for (let i = 0; i < 3; i++) {
        expect((await send(port, '/bad-hook')).body).toBe('/bad-hook');
        expect((await send(port, '/bad-normaliser')).body).toBe('/bad-normaliser');
      }
      await send(port, '/fine');
      expect(await samples(env.telemetry, 'http_requests_total')).toEqual([
        'http_requests_total{method="GET",endpoint="/fine",status_code="200"} 1',
      ]);
      expect(diag.errors).toEqual([
        expect.stringContaining('failed to start recording an incoming request Error: hook failed'),
        expect.stringContaining('failed to record an incoming request Error: normaliser failed'),
      ]);
    } finally {
      diag.stop();
    }
  });

  test('the upstream instrumentations record no metric of their own, even where no View drops them', async () => {
    const plugin = createTelemetryPlugin({ modules: { express: express4 } });
    const telemetry = testTelemetry(); // no `dropMeters`: whatever upstream records would be exported
    plugin.enable(telemetry);
    env = { telemetry, plugin, stop: async () => (plugin.disable(), telemetry.shutdown()) };
    const app = express4();
    app.get('/agents/:id', (_req, res) => res.send('agent'));
    const appServer = createServer(app);
    try {
      // Express is loaded: the upstream server side makes its span and context; the client side
      // always does.
      expect((await send(await listen(appServer), '/agents/7')).body).toBe('agent');
    } finally {
      await close(appServer);
    }
    expect(familyNames(await telemetry.scrape())).toEqual([
      'http_requests_total',
      'http_request_duration_seconds',
      'http_request_size_bytes',
      'http_response_size_bytes',
      'http_requests_in_flight',
      'http_client_request_duration_seconds',
      'app_info',
      'app_uptime_seconds',
      'agent_telemetry_exposition_truncated_total',
    ]);
    expect(await samples(telemetry, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/agents/:id",status_code="200"} 1',
    ]);
  });

  test('errors of the host keep their identity and stack', () => {
    env = instrument();
    // Node's own error for a bad URL, through the patched http.request.
    let urlError: unknown;
    try {
      http.request('http://[not-a-host');
    } catch (err) {
      urlError = err;
    }
    expect((urlError as NodeJS.ErrnoException).code).toBe('ERR_INVALID_URL');
    expect((urlError as Error).stack).toContain('plugin.test.ts');

    // A request handler's exception, through the patched Server#emit.
    const failure = new Error('handler bug');
    const failing = createServer(() => {
      throw failure;
    });
    const req = new IncomingMessage(new Socket());
    req.url = '/x';
    let thrown: unknown;
    try {
      failing.emit('request', req, new ServerResponse(req));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBe(failure);
    expect(failure.stack).toContain('plugin.test.ts');
  });

  test('with a tracer provider registered, the upstream spans are made as usual', async () => {
    const started: string[] = [];
    // Spans of the API's no-op tracer, counted by name and kind.
    const fallback = new ProxyTracerProvider();
    const provider: TracerProvider = {
      getTracer: (...args): Tracer => {
        const tracer = fallback.getTracer(...args);
        return {
          startSpan: (name, options, ctx) => {
            started.push(`${name} ${options?.kind}`);
            return tracer.startSpan(name, options, ctx);
          },
          startActiveSpan: tracer.startActiveSpan.bind<Tracer['startActiveSpan']>(tracer),
        };
      },
    };
    trace.setGlobalTracerProvider(provider);
    try {
      env = instrument();
      await send(port, '/traced');
      expect(started).toEqual(['GET 2', 'GET 1']); // client (SpanKind 2), then server (SpanKind 1)
      expect(await samples(env.telemetry, 'http_requests_total')).toEqual([
        'http_requests_total{method="GET",endpoint="/traced",status_code="200"} 1',
      ]);
    } finally {
      trace.disable();
    }
  });

  test('a scrape of the standalone metrics server is not recorded, whatever its path; a business route at /metrics is', async () => {
    const plugin = createTelemetryPlugin();
    const telemetry = createTelemetry(
      { prometheus: { host: '127.0.0.1', port: 0, path: '/internal/scrape' }, runtimeMetrics: false },
      { env: {} },
    );
    plugin.enable(telemetry);
    env = { telemetry, plugin, stop: async () => (plugin.disable(), telemetry.shutdown()) };
    const { port: metricsPort } = await telemetry.metricsServer!.listening;
    expect((await send(metricsPort, '/internal/scrape')).status).toBe(200);
    // The service's own server: `/metrics` is one of its routes here, not a scrape.
    expect((await send(port, '/metrics')).body).toBe('/metrics');
    expect(await samples(telemetry, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="/metrics",status_code="200"} 1',
    ]);
  });
});
