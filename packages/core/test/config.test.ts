import { createTelemetry, TelemetryConfigError, type CoreOptions } from '../src';
import { parseResourceAttributes, resolveConfig } from '../src/config';

describe('defaults', () => {
  test('with no options and an empty environment', () => {
    expect(resolveConfig({}, {})).toEqual({
      serviceName: 'unknown_service:node',
      serviceVersion: '0.0.0',
      environment: 'development',
      resourceAttributes: {},
      prometheusEnabled: true,
      otlpEnabled: false,
      prometheus: {
        server: true,
        host: 'localhost',
        port: 9464,
        path: '/metrics',
        auth: undefined,
        resourceLabels: [],
        registries: [],
        maxExpositionBytes: 33554432,
      },
      otlp: { endpoint: 'http://localhost:4318/v1/metrics', headers: {}, intervalMillis: 60000, timeoutMillis: 10000 },
      runtimeMetrics: true,
      views: [],
      collectionTimeoutMillis: 3000,
      constantLabels: {},
    });
  });
});

describe('environment variables', () => {
  test('the OTel variables set service identity, exporters, endpoints and interval', () => {
    const config = resolveConfig(
      {},
      {
        OTEL_SERVICE_NAME: 'marketplace',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=agents,note=a%2Cb%3Dc',
        OTEL_METRICS_EXPORTER: 'both',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://collector.example:4318/custom/metrics',
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '9100',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
        OTEL_METRIC_EXPORT_TIMEOUT: '5000',
      },
    );
    expect(config).toMatchObject({
      serviceName: 'marketplace',
      environment: 'staging',
      resourceAttributes: { 'deployment.environment.name': 'staging', team: 'agents', note: 'a,b=c' },
      prometheusEnabled: true,
      otlpEnabled: true,
      prometheus: { host: '0.0.0.0', port: 9100 },
      otlp: { endpoint: 'https://collector.example:4318/custom/metrics', intervalMillis: 15000, timeoutMillis: 5000 },
    });
  });

  test.each([
    ['prometheus', true, false],
    ['otlp', false, true],
    ['both', true, true],
    ['none', false, false],
    ['otlp,prometheus', true, true],
    [' OTLP , none ', false, true],
  ])('OTEL_METRICS_EXPORTER=%j turns Prometheus %s and OTLP %s', (value, prometheus, otlp) => {
    expect(resolveConfig({}, { OTEL_METRICS_EXPORTER: value })).toMatchObject({
      prometheusEnabled: prometheus,
      otlpEnabled: otlp,
    });
  });

  test('OTEL_EXPORTER_OTLP_ENDPOINT is a base URL that gets /v1/metrics; the metrics-specific one wins', () => {
    expect(resolveConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlp.endpoint).toBe(
      'http://collector:4318/v1/metrics',
    );
    expect(
      resolveConfig(
        {},
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://other:4318/v1/metrics',
        },
      ).otlp.endpoint,
    ).toBe('http://other:4318/v1/metrics');
  });

  test('OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES, which is used without it', () => {
    const attributes = 'service.name=from-attributes,service.version=3.1.4';
    expect(resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: attributes })).toMatchObject({
      serviceName: 'from-attributes',
      serviceVersion: '3.1.4',
    });
    expect(
      resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: attributes, OTEL_SERVICE_NAME: 'from-name' }).serviceName,
    ).toBe('from-name');
  });

  test('empty variables count as unset', () => {
    expect(
      resolveConfig(
        {},
        {
          OTEL_SERVICE_NAME: '',
          OTEL_METRICS_EXPORTER: '',
          OTEL_EXPORTER_PROMETHEUS_HOST: ' ',
          OTEL_EXPORTER_PROMETHEUS_PORT: '',
          OTEL_RESOURCE_ATTRIBUTES: '',
        },
      ),
    ).toMatchObject({
      serviceName: 'unknown_service:node',
      prometheusEnabled: true,
      prometheus: { host: 'localhost', port: 9464 },
    });
  });

  test('agent-telemetry variables: server, auth, resource labels, runtime metrics', () => {
    expect(
      resolveConfig(
        {},
        {
          AGENT_TELEMETRY_PROMETHEUS_SERVER: 'false',
          AGENT_TELEMETRY_METRICS_BASIC_AUTH: 'prom:pa:ss',
          AGENT_TELEMETRY_PROMETHEUS_RESOURCE_LABELS: 'TRUE',
          AGENT_TELEMETRY_RUNTIME_METRICS: '0',
        },
      ),
    ).toMatchObject({
      prometheus: {
        server: false,
        auth: { username: 'prom', password: 'pa:ss' },
        resourceLabels: ['service.name', 'service.namespace', 'service.version', 'deployment.environment.name'],
      },
      runtimeMetrics: false,
    });
    expect(resolveConfig({}, { AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 't0ken' }).prometheus.auth).toEqual({
      bearerToken: 't0ken',
    });
  });
});

describe('options win over environment variables', () => {
  const env = {
    OTEL_SERVICE_NAME: 'env-name',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=env-environment,team=env-team',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env-collector:4318',
    OTEL_EXPORTER_PROMETHEUS_HOST: 'env-host',
    OTEL_EXPORTER_PROMETHEUS_PORT: '1111',
    OTEL_METRIC_EXPORT_INTERVAL: '2222',
    AGENT_TELEMETRY_METRICS_BEARER_TOKEN: 'env-token',
    AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
  };
  const options: CoreOptions = {
    serviceName: 'option-name',
    environment: 'option-environment',
    resourceAttributes: { team: 'option-team' },
    exporter: 'both',
    otlp: { endpoint: 'http://option-collector:4318/v1/metrics', intervalMillis: 3333 },
    prometheus: { host: 'option-host', port: 4444, auth: { username: 'u', password: 'p' } },
    runtimeMetrics: true,
  };

  test('each option over its variable', () => {
    expect(resolveConfig(options, env)).toMatchObject({
      serviceName: 'option-name',
      environment: 'option-environment',
      resourceAttributes: { 'deployment.environment.name': 'env-environment', team: 'option-team' },
      prometheusEnabled: true,
      otlpEnabled: true,
      prometheus: { host: 'option-host', port: 4444, auth: { username: 'u', password: 'p' } },
      otlp: { endpoint: 'http://option-collector:4318/v1/metrics', intervalMillis: 3333 },
      runtimeMetrics: true,
    });
  });

  test('the resource and app_info agree on the identity the options give', async () => {
    const telemetry = createTelemetry(
      {
        serviceName: 'option-name',
        prometheus: { server: false, resourceLabels: ['service.name', 'service.version', 'service.instance.id'] },
        runtimeMetrics: false,
      },
      { env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=env-name,service.instance.id=pod-7' } },
    );
    try {
      const text = await telemetry.scrape();
      expect(text).toMatch(
        /^app_info\{version="0\.0\.0",environment="development",service="option-name",node_version="[^"]+",service_name="option-name",service_version="0\.0\.0",service_instance_id="pod-7"\} 1$/m,
      );
    } finally {
      await telemetry.shutdown();
    }
  });
});

describe('invalid configuration throws one TelemetryConfigError naming the field and the accepted values', () => {
  test.each<[string, CoreOptions, Record<string, string>, string]>([
    [
      'exporter option',
      { exporter: 'zipkin' as never },
      {},
      'invalid exporter: "zipkin"; accepted: prometheus, otlp, both, none, or a comma-separated list of them',
    ],
    [
      'OTEL_METRICS_EXPORTER',
      {},
      { OTEL_METRICS_EXPORTER: 'prometheus,jaeger' },
      'invalid exporter (OTEL_METRICS_EXPORTER): "prometheus,jaeger"; accepted: prometheus, otlp, both, none, or a comma-separated list of them',
    ],
    [
      'OTEL_EXPORTER_PROMETHEUS_PORT',
      {},
      { OTEL_EXPORTER_PROMETHEUS_PORT: '94x' },
      'invalid prometheus.port (OTEL_EXPORTER_PROMETHEUS_PORT): "94x"; accepted: an integer from 0 to 65535',
    ],
    [
      'prometheus.port',
      { prometheus: { port: 70000 } },
      {},
      'invalid prometheus.port (OTEL_EXPORTER_PROMETHEUS_PORT): 70000; accepted: an integer from 0 to 65535',
    ],
    [
      'prometheus.path',
      { prometheus: { path: 'metrics' } },
      {},
      'invalid prometheus.path: "metrics"; accepted: a path starting with /',
    ],
    [
      'OTEL_METRIC_EXPORT_INTERVAL',
      {},
      { OTEL_METRIC_EXPORT_INTERVAL: '1.5' },
      'invalid otlp.intervalMillis (OTEL_METRIC_EXPORT_INTERVAL): "1.5"; accepted: a positive integer',
    ],
    [
      'otlp.intervalMillis',
      { otlp: { intervalMillis: 0 } },
      {},
      'invalid otlp.intervalMillis (OTEL_METRIC_EXPORT_INTERVAL): 0; accepted: a positive integer',
    ],
    [
      'OTEL_METRIC_EXPORT_TIMEOUT',
      {},
      { OTEL_METRIC_EXPORT_TIMEOUT: '-1' },
      'invalid otlp.timeoutMillis (OTEL_METRIC_EXPORT_TIMEOUT): "-1"; accepted: a positive integer',
    ],
    [
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
      {},
      { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4318' },
      'invalid otlp.endpoint (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT): "collector:4318"; accepted: an http:// or https:// URL',
    ],
    [
      'otlp.endpoint',
      { otlp: { endpoint: 'ftp://collector/v1/metrics' } },
      {},
      'invalid otlp.endpoint (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT): "ftp://collector/v1/metrics"; accepted: an http:// or https:// URL',
    ],
    [
      'OTEL_RESOURCE_ATTRIBUTES',
      {},
      { OTEL_RESOURCE_ATTRIBUTES: 'team' },
      'invalid OTEL_RESOURCE_ATTRIBUTES: "team"; accepted: key=value pairs separated by commas, values percent-encoded',
    ],
    [
      'OTEL_RESOURCE_ATTRIBUTES encoding',
      {},
      { OTEL_RESOURCE_ATTRIBUTES: 'team=%E0%A4%A' },
      'invalid OTEL_RESOURCE_ATTRIBUTES: "team=%E0%A4%A"; accepted: key=value pairs separated by commas, values percent-encoded',
    ],
    [
      'AGENT_TELEMETRY_PROMETHEUS_SERVER',
      {},
      { AGENT_TELEMETRY_PROMETHEUS_SERVER: 'maybe' },
      'invalid prometheus.server (AGENT_TELEMETRY_PROMETHEUS_SERVER): "maybe"; accepted: true or false',
    ],
    [
      'AGENT_TELEMETRY_RUNTIME_METRICS',
      {},
      { AGENT_TELEMETRY_RUNTIME_METRICS: 'enabled' },
      'invalid runtimeMetrics (AGENT_TELEMETRY_RUNTIME_METRICS): "enabled"; accepted: true or false',
    ],
    [
      'AGENT_TELEMETRY_METRICS_BASIC_AUTH',
      {},
      { AGENT_TELEMETRY_METRICS_BASIC_AUTH: 'no-colon' },
      'invalid AGENT_TELEMETRY_METRICS_BASIC_AUTH: "<hidden>"; accepted: user:password',
    ],
    [
      'prometheus.auth',
      { prometheus: { auth: { bearerToken: '' } } },
      {},
      'invalid prometheus.auth: "<hidden>"; accepted: printable ASCII without spaces (surrounding whitespace and a trailing newline are removed)',
    ],
  ])('%s', (_, options, env, message) => {
    let thrown: unknown;
    try {
      resolveConfig(options, env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TelemetryConfigError);
    expect((thrown as Error).message).toBe(`agent-telemetry: ${message}`);
    expect((thrown as TelemetryConfigError).field).toBe(message.slice('invalid '.length, message.indexOf(':')));
  });

  test('createTelemetry throws it before starting anything', () => {
    expect(() => createTelemetry({ prometheus: { port: -1 } }, { env: {} })).toThrow(TelemetryConfigError);
  });
});

describe('parseResourceAttributes', () => {
  test.each([
    [undefined, {}],
    ['', {}],
    ['a=1', { a: '1' }],
    [' a = 1 , b=two words ', { a: '1', b: 'two words' }],
    ['a=1,,b=2,', { a: '1', b: '2' }],
    ['url=http%3A%2F%2Fx%2Fy%3Fq%3D1', { url: 'http://x/y?q=1' }],
    ['empty=', { empty: '' }],
    ['eq=a=b', { eq: 'a=b' }],
  ])('%j', (raw, expected) => {
    expect(parseResourceAttributes(raw)).toEqual(expected);
  });
});
