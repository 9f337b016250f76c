import { CATALOGUE } from '../src';
import { closedPort } from '../../../test-support/http';
import { attributesOf, OtlpReceiver, pointsOf, type OtlpRequest } from './helpers/otlpReceiver';
import { OtlpService } from './helpers/otlpService';

// The service runs in a child process (see fixtures/otlp-service.js); it must exit by itself,
// with nothing on stderr, after shutdown() resolves. A push may take at most the interval, so
// tests that expect no failure use one long enough for a loaded machine.
const INTERVAL_MILLIS = 400;
let receiver: OtlpReceiver | undefined;
let service: OtlpService | undefined;

afterEach(async () => {
  service?.kill();
  await receiver?.close();
  service = undefined;
  receiver = undefined;
});

function startService(
  endpoint: string,
  otlp: { intervalMillis: number; timeoutMillis?: number; headers?: Record<string, string> },
): OtlpService {
  return OtlpService.start({
    serviceName: 'marketplace',
    serviceVersion: '2.0.0',
    exporter: 'otlp',
    otlp: { endpoint, ...otlp },
    runtimeMetrics: false,
  });
}

async function shutdownCleanly(running: OtlpService): Promise<string[]> {
  const { errors } = await running.send({ cmd: 'shutdown' });
  expect(await running.exited).toBe(0);
  expect(running.stderr).toBe('');
  return errors ?? [];
}

function hasCounterValue(value: number) {
  return (received: OtlpRequest) => pointsOf(received, 'http_requests_total').some((point) => point.asDouble === value);
}

test('pushes names, attributes and values as OTLP/HTTP JSON at each interval', async () => {
  receiver = await OtlpReceiver.start();
  service = startService(`${receiver.url}/v1/metrics`, {
    intervalMillis: INTERVAL_MILLIS,
    headers: { 'x-api-key': 'k-123' },
  });
  await service.send({ cmd: 'inc', value: 3 });
  await service.send({ cmd: 'observe', values: [0.004, 0.3, 0.3, 45] });
  await service.send({ cmd: 'set', value: 7 });

  const pushed = await receiver.waitFor(hasCounterValue(3));
  expect(pushed.url).toBe('/v1/metrics');
  expect(pushed.headers['content-type']).toBe('application/json');
  expect(pushed.headers['x-api-key']).toBe('k-123');
  const [resourceMetrics] = pushed.body.resourceMetrics;
  expect(attributesOf({ attributes: resourceMetrics!.resource.attributes })).toMatchObject({
    'service.name': 'marketplace',
    'service.version': '2.0.0',
  });
  expect(resourceMetrics!.scopeMetrics.map((scope) => scope.scope.name)).toContain('@agent-telemetry/core');

  const counter = receiver.metrics().find((metric) => metric.name === 'http_requests_total')!;
  expect(counter).toMatchObject({ unit: '{request}', description: CATALOGUE.http_requests_total.help });
  expect(counter.sum).toMatchObject({ isMonotonic: true, aggregationTemporality: 2 });
  const [counterPoint] = pointsOf(pushed, 'http_requests_total');
  expect(counterPoint!.attributes).toEqual([
    { key: 'method', value: { stringValue: 'GET' } },
    { key: 'endpoint', value: { stringValue: '/api/v1/packages' } },
    { key: 'status_code', value: { stringValue: '200' } },
  ]);
  expect(counterPoint!.asDouble).toBe(3);

  const histogram = receiver.metrics().find((metric) => metric.name === 'http_request_duration_seconds')!;
  expect(histogram).toMatchObject({ unit: 's', histogram: { aggregationTemporality: 2 } });
  const [histogramPoint] = pointsOf(pushed, 'http_request_duration_seconds');
  expect(attributesOf(histogramPoint!)).toEqual({ method: 'GET', endpoint: '/api/v1/packages', status_code: '200' });
  expect(histogramPoint!.explicitBounds).toEqual([...CATALOGUE.http_request_duration_seconds.buckets]);
  expect(histogramPoint!.bucketCounts!.map(Number)).toEqual([1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
  expect(Number(histogramPoint!.count)).toBe(4);
  expect(histogramPoint!.sum).toBeCloseTo(45.604, 10);
  expect(histogramPoint).toMatchObject({ min: 0.004, max: 45 });

  const [gaugePoint] = pointsOf(pushed, 'customers_active');
  expect(attributesOf(gaugePoint!)).toEqual({ tier: 'pro' });
  expect(gaugePoint!.asDouble).toBe(7);

  // OTLP only: no Prometheus exposition is pushed as a side effect, and nothing failed.
  expect(await shutdownCleanly(service)).toEqual([]);
});

test('values recorded after a push arrive cumulatively in the next one', async () => {
  receiver = await OtlpReceiver.start();
  service = startService(`${receiver.url}/v1/metrics`, { intervalMillis: INTERVAL_MILLIS });
  await service.send({ cmd: 'inc', value: 2 });
  await receiver.waitFor(hasCounterValue(2));
  await service.send({ cmd: 'inc', value: 5 });
  await receiver.waitFor(hasCounterValue(7));
  await shutdownCleanly(service);
});

test('shutdown() flushes what was recorded since the last push', async () => {
  receiver = await OtlpReceiver.start();
  service = startService(`${receiver.url}/v1/metrics`, { intervalMillis: 3_600_000 });
  await service.send({ cmd: 'inc', value: 4 });
  expect(receiver.requests).toHaveLength(0);

  await shutdownCleanly(service);
  expect(receiver.requests).toHaveLength(1);
  expect(pointsOf(receiver.requests[0]!, 'http_requests_total')[0]!.asDouble).toBe(4);
});

test('the endpoint can come from OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/metrics), with Prometheus on too', async () => {
  receiver = await OtlpReceiver.start();
  service = OtlpService.start(
    { runtimeMetrics: false, prometheus: { server: false } },
    {
      OTEL_METRICS_EXPORTER: 'prometheus,otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
      OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL_MILLIS),
    },
  );
  await service.send({ cmd: 'inc', value: 9 });
  const pushed = await receiver.waitFor(hasCounterValue(9));
  expect(pushed.url).toBe('/v1/metrics');
  expect((await service.send({ cmd: 'scrape' })).text).toContain(
    'http_requests_total{method="GET",endpoint="/api/v1/packages",status_code="200"} 9\n',
  );
  await shutdownCleanly(service);
});

test('a collector that is down: failures are counted and logged once; the service records, scrapes and shuts down', async () => {
  const port = await closedPort();
  service = startService(`http://127.0.0.1:${port}/v1/metrics`, { intervalMillis: 50, timeoutMillis: 1000 });
  await service.send({ cmd: 'inc', value: 1 });

  expect(await service.waitForExportFailures(3)).toBeGreaterThanOrEqual(3);
  await service.send({ cmd: 'inc', value: 1 });
  expect((await service.send({ cmd: 'scrape' })).text).toContain(
    'http_requests_total{method="GET",endpoint="/api/v1/packages",status_code="200"} 2\n',
  );
  // The cause is ECONNREFUSED, or the deadline when the exporter's retries outlast the interval.
  expect(await shutdownCleanly(service)).toEqual([
    expect.stringMatching(/otlp export failed .*(ECONNREFUSED|no answer within 50 ms)/),
  ]);
});

test('a collector that never answers: each push gives up after the timeout, is counted and logged once, and shutdown() resolves', async () => {
  receiver = await OtlpReceiver.start({ answer: false });
  service = startService(`${receiver.url}/v1/metrics`, { intervalMillis: 100, timeoutMillis: 200 });
  await service.send({ cmd: 'inc', value: 1 });

  expect(await service.waitForExportFailures(2)).toBeGreaterThanOrEqual(2);
  // The pushes reached the collector; it just never answered.
  expect(pointsOf(receiver.requests[0]!, 'http_requests_total')[0]!.asDouble).toBe(1);
  // One line from agent-telemetry, none from the SDK's reader timing out at every interval.
  expect(await shutdownCleanly(service)).toEqual([expect.stringContaining('otlp export failed')]);
});
