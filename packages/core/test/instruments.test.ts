import { catalogueEntries, createTelemetry, type Telemetry } from '../src';
import { captureDiag } from '../../../test-support/diag';
import { familyText, parseSamples, promtoolCheck } from '../../../test-support/exposition';

let telemetry: Telemetry;

beforeEach(() => {
  telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
});

afterEach(() => telemetry.shutdown());

describe('counter', () => {
  test('is exposed as a counter ending in _total once, with HELP and labels in catalogue order', async () => {
    const requests = telemetry.metrics.http_requests_total;
    requests.inc({ method: 'GET', endpoint: '/api/v1/packages', status_code: 200 });
    requests.inc({ status_code: 200, endpoint: '/api/v1/packages', method: 'GET' }, 2);
    requests.labels({ method: 'POST', endpoint: '/api/v1/executions', status_code: '201' }).inc(0.5);

    const text = await telemetry.scrape();
    expect(familyText(text, 'http_requests_total')).toBe(
      '# HELP http_requests_total HTTP requests served, by method, route template and status code.\n' +
        '# TYPE http_requests_total counter\n' +
        'http_requests_total{method="GET",endpoint="/api/v1/packages",status_code="200"} 3\n' +
        'http_requests_total{method="POST",endpoint="/api/v1/executions",status_code="201"} 0.5\n',
    );
    expect(text).not.toMatch(/_total_total/);
  });

  test('bound and unbound recording give the same series', async () => {
    const labels = { package: 'summarizer', tier: 'pro', type: 'input' } as const;
    const other = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
    try {
      const bound = other.metrics.agent_tokens_used_total.labels(labels);
      for (const value of [1, 250, 0, 17.5]) {
        telemetry.metrics.agent_tokens_used_total.inc(labels, value);
        bound.inc(value);
      }
      telemetry.metrics.agent_tokens_used_total.inc(labels);
      bound.inc();
      const unboundText = familyText(await telemetry.scrape(), 'agent_tokens_used_total');
      expect(unboundText).toContain('agent_tokens_used_total{package="summarizer",tier="pro",type="input"} 269.5\n');
      expect(familyText(await other.scrape(), 'agent_tokens_used_total')).toBe(unboundText);
    } finally {
      await other.shutdown();
    }
  });
});

describe('histogram', () => {
  const labels = { method: 'GET', endpoint: '/api/v1/packages', status_code: 200 } as const;
  const series = 'method="GET",endpoint="/api/v1/packages",status_code="200"';

  test('has exactly the catalogue buckets, cumulative, +Inf last, then _sum and _count', async () => {
    const duration = telemetry.metrics.http_request_duration_seconds;
    // On a boundary, a value counts in that bucket (le is "less than or equal").
    for (const seconds of [0.0078125, 0.25, 0.5, 2, 31]) duration.observe(labels, seconds);

    expect(familyText(await telemetry.scrape(), 'http_request_duration_seconds')).toBe(
      [
        '# HELP http_request_duration_seconds Time from the start of an HTTP request to the end of its response.',
        '# TYPE http_request_duration_seconds histogram',
        `http_request_duration_seconds_bucket{${series},le="0.005"} 0`,
        `http_request_duration_seconds_bucket{${series},le="0.01"} 1`,
        `http_request_duration_seconds_bucket{${series},le="0.025"} 1`,
        `http_request_duration_seconds_bucket{${series},le="0.05"} 1`,
        `http_request_duration_seconds_bucket{${series},le="0.1"} 1`,
        `http_request_duration_seconds_bucket{${series},le="0.25"} 2`,
        `http_request_duration_seconds_bucket{${series},le="0.5"} 3`,
        `http_request_duration_seconds_bucket{${series},le="1"} 3`,
        `http_request_duration_seconds_bucket{${series},le="2"} 4`,
        `http_request_duration_seconds_bucket{${series},le="5"} 4`,
        `http_request_duration_seconds_bucket{${series},le="10"} 4`,
        `http_request_duration_seconds_bucket{${series},le="30"} 4`,
        `http_request_duration_seconds_bucket{${series},le="+Inf"} 5`,
        `http_request_duration_seconds_sum{${series}} 33.7578125`,
        `http_request_duration_seconds_count{${series}} 5`,
        '',
      ].join('\n'),
    );
  });

  test('every histogram of the catalogue exposes its own bucket boundaries', async () => {
    const histograms = catalogueEntries().filter(([, definition]) => definition.kind === 'histogram');
    for (const [name, definition] of histograms) {
      const labelSet = Object.fromEntries(definition.labels.map((label) => [label, 'x']));
      telemetry.metrics[name as 'db_query_duration_seconds'].observe(labelSet as never, 1);
    }
    const samples = parseSamples(await telemetry.scrape());
    for (const [name, definition] of histograms) {
      const le = samples.filter((sample) => sample.name === `${name}_bucket`).map((sample) => sample.labels['le']);
      expect(le).toEqual([...definition.buckets!.map(String), '+Inf']);
    }
  });

  test('bound, unbound and timer recording give the same series', async () => {
    const other = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
    try {
      const bound = other.metrics.http_request_duration_seconds.labels(labels);
      for (const seconds of [0.001, 0.3, 4, 120]) {
        telemetry.metrics.http_request_duration_seconds.observe(labels, seconds);
        bound.observe(seconds);
      }
      expect(familyText(await other.scrape(), 'http_request_duration_seconds')).toBe(
        familyText(await telemetry.scrape(), 'http_request_duration_seconds'),
      );
    } finally {
      await other.shutdown();
    }
  });

  test('startTimer observes the elapsed seconds it returns', async () => {
    const stop = telemetry.metrics.db_query_duration_seconds.startTimer({ operation: 'SELECT', table: 'packages' });
    const seconds = stop();
    const samples = parseSamples(await telemetry.scrape());
    const sum = samples.find((sample) => sample.name === 'db_query_duration_seconds_sum');
    const count = samples.find((sample) => sample.name === 'db_query_duration_seconds_count');
    expect(seconds).toBeGreaterThan(0);
    expect(sum).toEqual({
      name: 'db_query_duration_seconds_sum',
      labels: { operation: 'SELECT', table: 'packages' },
      value: seconds,
    });
    expect(count?.value).toBe(1);
  });
});

describe('gauge', () => {
  test('keeps the last value set, negative values included', async () => {
    telemetry.metrics.customers_active.set({ tier: 'pro' }, 5);
    telemetry.metrics.customers_active.set({ tier: 'pro' }, 3);
    telemetry.metrics.customers_active.labels({ tier: 'free' }).set(-2);

    expect(familyText(await telemetry.scrape(), 'customers_active')).toBe(
      '# HELP customers_active Active customers, by tier.\n' +
        '# TYPE customers_active gauge\n' +
        'customers_active{tier="pro"} 3\n' +
        'customers_active{tier="free"} -2\n',
    );
  });
});

describe('updowncounter', () => {
  test('is exposed as a gauge, without _total', async () => {
    const active = telemetry.metrics.agent_executions_active;
    active.inc({ package: 'summarizer', tier: 'pro' });
    active.inc({ package: 'summarizer', tier: 'pro' }, 2);
    active.dec({ package: 'summarizer', tier: 'pro' });
    const bound = active.labels({ package: 'translator', tier: 'free' });
    bound.inc();
    bound.dec(3);

    expect(familyText(await telemetry.scrape(), 'agent_executions_active')).toBe(
      '# HELP agent_executions_active Agent executions running now.\n' +
        '# TYPE agent_executions_active gauge\n' +
        'agent_executions_active{package="summarizer",tier="pro"} 2\n' +
        'agent_executions_active{package="translator",tier="free"} -2\n',
    );
  });

  test('a metric without labels is exposed as 0 before anything is recorded', async () => {
    expect(familyText(await telemetry.scrape(), 'http_requests_in_flight')).toBe(
      '# HELP http_requests_in_flight HTTP requests being served now.\n' +
        '# TYPE http_requests_in_flight gauge\n' +
        'http_requests_in_flight 0\n',
    );
  });
});

describe('observable gauge', () => {
  test('sums the values of all callbacks at each scrape and stops reading removed ones', async () => {
    let idle = 2;
    telemetry.metrics.db_connections_idle.addCallback((observe) => observe({}, idle));
    const remove = telemetry.metrics.db_connections_idle.addCallback((observe) => observe({}, 3));

    expect(familyText(await telemetry.scrape(), 'db_connections_idle')).toBe(
      '# HELP db_connections_idle Database connections idle in the pool.\n' +
        '# TYPE db_connections_idle gauge\n' +
        'db_connections_idle 5\n',
    );
    idle = 7;
    remove();
    expect(familyText(await telemetry.scrape(), 'db_connections_idle')).toContain('db_connections_idle 7\n');
  });

  test('is absent without callbacks', async () => {
    expect(familyText(await telemetry.scrape(), 'db_connections_waiting')).toBe('');
  });

  test('a throwing callback is logged once and does not break the scrape', async () => {
    const logs = captureDiag();
    try {
      telemetry.metrics.db_connections_active.addCallback(() => {
        throw new Error('pool gone');
      });
      telemetry.metrics.db_connections_active.addCallback((observe) => observe({}, 4));
      telemetry.metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 200 });

      await telemetry.scrape();
      const text = await telemetry.scrape();
      expect(familyText(text, 'db_connections_active')).toContain('db_connections_active 4\n');
      expect(text).toContain('http_requests_total{method="GET",endpoint="/",status_code="200"} 1\n');
      expect(logs.errors.filter((line) => line.includes('db_connections_active'))).toEqual([
        expect.stringContaining('pool gone'),
      ]);
    } finally {
      logs.stop();
    }
  });
});

describe('app metrics', () => {
  test('app_info is a gauge of 1 and app_uptime_seconds a gauge, not a counter', async () => {
    const app = createTelemetry(
      {
        serviceName: 'marketplace',
        serviceVersion: '1.2.3',
        environment: 'test',
        prometheus: { server: false },
        runtimeMetrics: false,
      },
      { env: {} },
    );
    try {
      const text = await app.scrape();
      expect(familyText(text, 'app_info')).toBe(
        '# HELP app_info Application information; the value is always 1.\n' +
          '# TYPE app_info gauge\n' +
          `app_info{version="1.2.3",environment="test",service="marketplace",node_version="${process.version}"} 1\n`,
      );
      expect(familyText(text, 'app_uptime_seconds')).toMatch(
        /^# HELP app_uptime_seconds Seconds since the application started\.\n# TYPE app_uptime_seconds gauge\napp_uptime_seconds \d+(\.\d+)?(e-?\d+)?\n$/,
      );
      expect(text).not.toContain('app_uptime_seconds_total');
    } finally {
      await app.shutdown();
    }
  });
});

describe('exposition', () => {
  test('has no otel_scope_* labels and no target_info by default', async () => {
    telemetry.metrics.http_requests_total.inc({ method: 'GET', endpoint: '/', status_code: 200 });
    const text = await telemetry.scrape();
    expect(text).not.toContain('otel_scope_');
    expect(text).not.toContain('target_info');
    expect(text).not.toContain('service_name');
  });

  test('prometheus.resourceLabels: true adds the service identity to every sample, not the per-process instance id', async () => {
    const labelled = createTelemetry(
      {
        serviceName: 'marketplace',
        serviceVersion: '1.2.3',
        environment: 'staging',
        prometheus: { server: false, resourceLabels: true },
        runtimeMetrics: false,
      },
      { env: {} },
    );
    try {
      labelled.metrics.customer_signups_total.inc({ tier: 'pro' });
      const text = await labelled.scrape();
      expect(text).toMatch(
        /^customer_signups_total\{tier="pro",service_name="marketplace",service_version="1\.2\.3",deployment_environment_name="staging"\} 1$/m,
      );
      for (const sample of parseSamples(text)) {
        expect(sample.labels).toMatchObject({ service_name: 'marketplace', deployment_environment_name: 'staging' });
      }
      expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    } finally {
      await labelled.shutdown();
    }
  });

  test('label values with quotes, backslashes, newlines and non-ASCII text are escaped; promtool accepts them', async () => {
    const awkward = 'say "hi"\\ to\nthe Zürich team 日本語 🚀';
    telemetry.metrics.llm_api_calls_total.inc({ provider: 'openai', model: awkward, status: 'success' });
    telemetry.metrics.auth_failures_total.inc({ reason: '\\' });
    telemetry.metrics.auth_failures_total.inc({ reason: '"' });
    telemetry.metrics.auth_failures_total.inc({ reason: '' });

    const text = await telemetry.scrape();
    expect(text).toContain(
      'llm_api_calls_total{provider="openai",model="say \\"hi\\"\\\\ to\\nthe Zürich team 日本語 🚀",status="success"} 1\n',
    );
    expect(familyText(text, 'auth_failures_total')).toBe(
      '# HELP auth_failures_total Failed authentication attempts, by reason.\n' +
        '# TYPE auth_failures_total counter\n' +
        'auth_failures_total{reason="\\\\"} 1\n' +
        'auth_failures_total{reason="\\""} 1\n' +
        'auth_failures_total{reason=""} 1\n',
    );
    expect(parseSamples(text).find((sample) => sample.name === 'llm_api_calls_total')?.labels['model']).toBe(awkward);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });
});
