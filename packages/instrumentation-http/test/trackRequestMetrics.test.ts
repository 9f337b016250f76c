import { createTelemetry, defaultRegistry, TelemetryConfigError, type Telemetry } from '@agent-telemetry/core';
import type { IncomingMessage } from 'node:http';
import { trackRequestMetrics, type TrackRequestMetricsOptions } from '../src';
import { scrape } from './helpers';

describe('trackRequestMetrics', () => {
  let telemetry: Telemetry;

  beforeEach(() => {
    telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  });

  afterEach(() => telemetry.shutdown());

  async function counters(): Promise<string[]> {
    return (await scrape(telemetry, 'http_requests_total'))
      .split('\n')
      .filter((line) => line.startsWith('http_requests_total{'));
  }

  test('as a standard method decorator: sync and async, `this` and return values untouched', async () => {
    const { metrics } = telemetry;
    class Marketplace {
      readonly packages = ['web-search', 'summarizer'];

      @trackRequestMetrics('/api/v1/marketplace/packages', { metrics })
      list(): string[] {
        return this.packages;
      }

      @trackRequestMetrics('/api/v1/marketplace/packages/:name', { metrics, method: 'delete' })
      async remove(name: string): Promise<number> {
        await new Promise((resolve) => setImmediate(resolve));
        return this.packages.indexOf(name);
      }
    }
    const marketplace = new Marketplace();
    expect(marketplace.list()).toBe(marketplace.packages);
    const pending = marketplace.remove('summarizer');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(1);
    expect(await counters()).toEqual([
      'http_requests_total{method="GET",endpoint="/api/v1/marketplace/packages",status_code="200"} 1',
      'http_requests_total{method="DELETE",endpoint="/api/v1/marketplace/packages/:name",status_code="200"} 1',
    ]);
    expect(await scrape(telemetry, 'http_request_duration_seconds')).toContain(
      'http_request_duration_seconds_count{method="GET",endpoint="/api/v1/marketplace/packages",status_code="200"} 1\n',
    );
  });

  test('a thrown error or a rejection is recorded as 500 and re-thrown as the same object', async () => {
    const { metrics } = telemetry;
    const failure = new Error('database down');
    const sync = trackRequestMetrics('/sync', { metrics })(() => {
      throw failure;
    });
    const async = trackRequestMetrics('/async', { metrics })(async () => {
      throw failure;
    });
    let thrown: unknown;
    try {
      sync();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBe(failure);
    expect(failure.stack).toContain('trackRequestMetrics.test.ts');
    const rejected = async();
    await expect(rejected).rejects.toBe(failure);
    expect(await counters()).toEqual([
      'http_requests_total{method="GET",endpoint="/sync",status_code="500"} 1',
      'http_requests_total{method="GET",endpoint="/async",status_code="500"} 1',
    ]);
  });

  test('as a plain wrapper: the same promise object comes back, and the method is read from a request argument', async () => {
    const { metrics } = telemetry;
    const result = Promise.resolve('created');
    const handler = trackRequestMetrics('/api/v1/agents', { metrics })(function (
      this: { tag: string },
      req: IncomingMessage,
      body: string,
    ) {
      return this.tag === 'ctx' && req.method === 'post' && body === 'x' ? result : Promise.resolve('wrong');
    });
    const returned = handler.call({ tag: 'ctx' }, { method: 'post' } as IncomingMessage, 'x');
    expect(returned).toBe(result);
    await returned;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await counters()).toEqual([
      'http_requests_total{method="POST",endpoint="/api/v1/agents",status_code="200"} 1',
    ]);
  });

  test('series are bound once per tracker, method and status: no label set is built per call', async () => {
    const { metrics } = telemetry;
    const bound: string[] = [];
    // Only `labels()`: recording through `inc(labels)`/`observe(labels, v)` would fail here.
    const binding = (name: 'http_requests_total' | 'http_request_duration_seconds') => ({
      labels: (labels: { method: string; endpoint: string; status_code: number }) => {
        bound.push(`${name} ${labels.method} ${labels.endpoint} ${labels.status_code}`);
        return (metrics[name] as { labels(l: typeof labels): unknown }).labels(labels);
      },
    });
    const spy = {
      http_requests_total: binding('http_requests_total'),
      http_request_duration_seconds: binding('http_request_duration_seconds'),
    } as unknown as TrackRequestMetricsOptions['metrics'];
    const track = trackRequestMetrics('/api/v1/agents/:id', { metrics: spy });
    const get = track((req: IncomingMessage) => req.method);
    const fail = track((_req: IncomingMessage) => {
      throw new Error('no');
    });
    for (const method of ['GET', 'POST', 'GET', 'get', 'POST', 'GET']) get({ method } as IncomingMessage);
    for (let i = 0; i < 3; i++) expect(() => fail({ method: 'GET' } as IncomingMessage)).toThrow('no');
    expect(bound).toEqual([
      'http_requests_total GET /api/v1/agents/:id 200',
      'http_request_duration_seconds GET /api/v1/agents/:id 200',
      'http_requests_total POST /api/v1/agents/:id 200',
      'http_request_duration_seconds POST /api/v1/agents/:id 200',
      'http_requests_total GET /api/v1/agents/:id 500',
      'http_request_duration_seconds GET /api/v1/agents/:id 500',
    ]);
    expect(await counters()).toEqual([
      'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="200"} 4',
      'http_requests_total{method="POST",endpoint="/api/v1/agents/:id",status_code="200"} 2',
      'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="500"} 3',
    ]);
    expect(
      (await scrape(telemetry, 'http_request_duration_seconds')).split('\n').filter((line) => line.includes('_count{')),
    ).toEqual([
      'http_request_duration_seconds_count{method="GET",endpoint="/api/v1/agents/:id",status_code="200"} 4',
      'http_request_duration_seconds_count{method="POST",endpoint="/api/v1/agents/:id",status_code="200"} 2',
      'http_request_duration_seconds_count{method="GET",endpoint="/api/v1/agents/:id",status_code="500"} 3',
    ]);
  });

  test('records into the default registry when no metrics are given', async () => {
    const own = createTelemetry(
      { prometheus: { server: false }, runtimeMetrics: false },
      { env: {}, registry: defaultRegistry() },
    );
    trackRequestMetrics('/default-registry')(() => 'ok')();
    expect(await own.scrape()).toContain(
      'http_requests_total{method="GET",endpoint="/default-registry",status_code="200"} 1\n',
    );
    await own.shutdown();
  });

  test('types: only functions can be wrapped, and the wrapper keeps the signature', () => {
    const wrapped = trackRequestMetrics('/typed')((a: number, b: string) => `${a}${b}`);
    const text: string = wrapped(1, 'x');
    expect(text).toBe('1x');
    // @ts-expect-error the wrapper keeps the parameter types
    expect(() => wrapped('1', 'x')).not.toThrow();
    // @ts-expect-error not a function
    expect(() => trackRequestMetrics('/typed')(42)).toThrow(
      new TelemetryConfigError('trackRequestMetrics() target', '42', 'a function'),
    );
    // @ts-expect-error endpoint is required
    expect(() => trackRequestMetrics()).toThrow(
      new TelemetryConfigError('trackRequestMetrics(endpoint)', undefined, 'a non-empty string'),
    );
  });
});
