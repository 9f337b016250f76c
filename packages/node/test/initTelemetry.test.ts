import { diag } from '@opentelemetry/api';
import { captureDiag } from '../../../test-support/diag';
import { defaultRegistry, getTelemetry, initTelemetry, TelemetryConfigError } from '../src';

const quiet = { prometheus: { server: false }, runtimeMetrics: false } as const;

afterEach(async () => {
  await getTelemetry()?.shutdown();
  diag.disable();
});

test('a second call returns the first handle and warns that its options are ignored', () => {
  const { warnings } = captureDiag();
  const first = initTelemetry(quiet);
  const second = initTelemetry({ serviceName: 'other' });
  expect(second).toBe(first);
  expect(getTelemetry()).toBe(first);
  expect(warnings).toContainEqual(expect.stringContaining('initTelemetry() was already called'));
});

test('records into the default registry, so values recorded before init are exported', async () => {
  defaultRegistry().metrics.customer_signups_total.inc({ tier: 'before-init' });
  const telemetry = initTelemetry(quiet);
  expect(telemetry.metrics).toBe(defaultRegistry().metrics);
  expect(await telemetry.scrape()).toContain('customer_signups_total{tier="before-init"} 1\n');
});

test('after shutdown, a new call starts a new set-up', async () => {
  const first = initTelemetry(quiet);
  await first.shutdown();
  expect(getTelemetry()).toBeUndefined();
  const second = initTelemetry(quiet);
  expect(second).not.toBe(first);
});

test('invalid configuration throws one error naming the field and accepted values', () => {
  expect(() => initTelemetry({ ...quiet, exporter: 'zipkin' as never })).toThrow(TelemetryConfigError);
  expect(() => initTelemetry({ ...quiet, exporter: 'zipkin' as never })).toThrow(
    'invalid exporter: "zipkin"; accepted: prometheus, otlp, both, none, or a comma-separated list of them',
  );
  expect(getTelemetry()).toBeUndefined();
});

test.each([
  [{ http: { maxEndpoints: 0 } }, 'invalid instrumentations.http.maxEndpoints: 0; accepted: an integer >= 1'],
  [{ pg: { poolMetrics: 'yes' } }, 'invalid instrumentations.pg.poolMetrics: "yes"; accepted: a boolean'],
  [{ ioredis: { requestHook: 42 } }, 'invalid instrumentations.ioredis.requestHook: 42; accepted: a function'],
  [{ ioredis: 'on' }, 'invalid instrumentations.ioredis: "on"; accepted: an options object, or false'],
])(
  'invalid instrumentation options %j are a TelemetryConfigError, and nothing is left running',
  (instrumentations, message) => {
    const init = () => initTelemetry({ ...quiet, instrumentations: instrumentations as never });
    expect(init).toThrow(TelemetryConfigError);
    expect(init).toThrow(message);
    expect(getTelemetry()).toBeUndefined();
  },
);

test('an invalid OTEL_LOG_LEVEL throws a TelemetryConfigError naming it', () => {
  process.env['OTEL_LOG_LEVEL'] = 'loud';
  try {
    expect(() => initTelemetry(quiet)).toThrow(
      'agent-telemetry: invalid OTEL_LOG_LEVEL: "loud"; accepted: none, error, warn, info, debug, verbose, all',
    );
  } finally {
    delete process.env['OTEL_LOG_LEVEL'];
  }
});
