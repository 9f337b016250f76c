import { createTelemetry, TelemetryConfigError, type CoreOptions, type Telemetry } from '../src';
import { resolveConfig } from '../src/config';
import { parseSamples, promtoolCheck } from '../../../test-support/exposition';

let telemetry: Telemetry | undefined;
afterEach(() => telemetry?.shutdown());

async function scrape(options: CoreOptions, env: Record<string, string> = {}): Promise<string> {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false, ...options }, { env });
  telemetry.metrics.customer_signups_total.inc({ tier: 'pro' });
  telemetry.meterProvider.getMeter('shop').createCounter('orders.placed', { description: 'Orders placed.' }).add(1);
  telemetry.metrics.http_request_duration_seconds.observe({ method: 'GET', endpoint: '/', status_code: 200 }, 0.1);
  return telemetry.scrape();
}

describe('constant labels', () => {
  test('are on every sample: catalogue metrics, histogram series and API instruments', async () => {
    const text = await scrape({ constantLabels: { region: 'eu-west-1', team: 'agents' } });
    expect(text).toContain('customer_signups_total{tier="pro",region="eu-west-1",team="agents"} 1\n');
    expect(text).toContain('orders_placed_total{region="eu-west-1",team="agents"} 1\n');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{method="GET",endpoint="/",status_code="200",region="eu-west-1",team="agents",le="0.1"} 1\n',
    );
    expect(text).toContain('http_requests_in_flight{region="eu-west-1",team="agents"} 0\n');
    for (const sample of parseSamples(text))
      expect(sample.labels).toMatchObject({ region: 'eu-west-1', team: 'agents' });
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  test('come from AGENT_TELEMETRY_CONSTANT_LABELS, percent-encoded, unless the option is given', async () => {
    const text = await scrape({}, { AGENT_TELEMETRY_CONSTANT_LABELS: 'region=eu%2Cwest,cluster=c1' });
    expect(text).toContain('customer_signups_total{tier="pro",region="eu,west",cluster="c1"} 1\n');
    expect(
      resolveConfig({ constantLabels: { zone: 'a' } }, { AGENT_TELEMETRY_CONSTANT_LABELS: 'region=eu' }).constantLabels,
    ).toEqual({ zone: 'a' });
  });

  test('go to the OTLP resource too, where OTel keeps what holds for the whole process', () => {
    telemetry = createTelemetry(
      { constantLabels: { region: 'eu-west-1' }, prometheus: { server: false }, runtimeMetrics: false },
      { env: {} },
    );
    const resource = (telemetry.meterProvider as unknown as { _sharedState: { resource: { attributes: object } } })
      ._sharedState.resource;
    expect(resource.attributes).toMatchObject({ region: 'eu-west-1', 'service.name': 'unknown_service:node' });
  });

  test.each<[string, CoreOptions, Record<string, string>, string]>([
    [
      'a label a catalogue metric has',
      { constantLabels: { tier: 'x' } },
      {},
      'invalid constantLabels: "tier"; accepted: a label name that is not a label of agent_executions_total already',
    ],
    [
      "a label of the service's table",
      {
        constantLabels: { channel: 'x' },
        metrics: { orders_total: { kind: 'counter', help: 'O.', labels: ['channel'] } },
      },
      {},
      'invalid constantLabels: "channel"; accepted: a label name that is not a label of orders_total already',
    ],
    [
      'a chosen resource label',
      { constantLabels: { service_name: 'x' }, prometheus: { resourceLabels: true } },
      {},
      'invalid constantLabels: "service_name"; accepted: a label name that is not the resource label of service.name already',
    ],
    [
      "Prometheus's target label",
      { constantLabels: { instance: 'x' } },
      {},
      'invalid constantLabels: "instance"; accepted: label names ([a-zA-Z_][a-zA-Z0-9_]*), not starting with __, not le, quantile, otel_metric_overflow, job or instance',
    ],
    ['an invalid name', { constantLabels: { 'my-label': 'x' } }, {}, 'invalid constantLabels: "my-label"'],
    [
      'a value that is no string',
      { constantLabels: { region: 1 as never } },
      {},
      'invalid constantLabels.region: 1; accepted: a string',
    ],
    [
      'a malformed variable',
      {},
      { AGENT_TELEMETRY_CONSTANT_LABELS: 'region' },
      'invalid constantLabels (AGENT_TELEMETRY_CONSTANT_LABELS): "region"; accepted: key=value pairs separated by commas, values percent-encoded',
    ],
  ])('%s is a TelemetryConfigError', (_case, options, env, message) => {
    expect(() => resolveConfig(options, env)).toThrow(TelemetryConfigError);
    expect(() => resolveConfig(options, env)).toThrow(message);
  });
});

describe('resource labels', () => {
  const identity = { serviceName: 'shop', serviceVersion: '2.0.0', environment: 'prod' };

  test('true: the service identity, never the per-process instance id', async () => {
    const text = await scrape({ ...identity, prometheus: { server: false, resourceLabels: true } });
    expect(text).toContain(
      'customer_signups_total{tier="pro",service_name="shop",service_version="2.0.0",deployment_environment_name="prod"} 1\n',
    );
    expect(text).not.toContain('service_instance_id');
  });

  test('a list: exactly the resource attributes the service chose, the instance id if asked for', async () => {
    const text = await scrape(
      {
        ...identity,
        resourceAttributes: { 'k8s.pod.name': 'shop-7f9' },
        prometheus: { server: false, resourceLabels: ['service.name', 'k8s.pod.name', 'service.instance.id'] },
      },
      {},
    );
    expect(text).toMatch(
      /^customer_signups_total\{tier="pro",service_name="shop",k8s_pod_name="shop-7f9",service_instance_id="[0-9a-f-]{36}"\} 1$/m,
    );
  });

  test('AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS takes true, false or keys', () => {
    const keys = (value: string) =>
      resolveConfig({}, { AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS: value }).prometheus.resourceLabels;
    expect(keys('true')).toEqual([
      'service.name',
      'service.namespace',
      'service.version',
      'deployment.environment.name',
    ]);
    expect(keys('off')).toEqual([]);
    expect(keys('service.name, host.name')).toEqual(['service.name', 'host.name']);
    expect(() => resolveConfig({ prometheus: { resourceLabels: ['a.b', 'a_b'] } }, {})).toThrow(
      'invalid prometheus.resourceLabels: ["a.b","a_b"]; accepted: true (the service identity), false, or resource attribute keys with distinct label names',
    );
  });
});
