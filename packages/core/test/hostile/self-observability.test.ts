// Issue 9, point 12: cardinality overflow was visible only as an `otel_metric_overflow` series,
// and rejected metrics requests were not counted, so a brute-forced token did not show. Both are
// counted (overflow per metric, logged once; rejections by reason). The alerts on them are in
// monitoring/alert_rules.yml, unit-tested by monitoring/test/alert_rules_test.yml.
import { createTelemetry, type Telemetry } from '../../src';
import { captureDiag } from '../../../../test-support/diag';
import { familyText, parseSamples, promtoolCheck } from '../../../../test-support/exposition';
import { request } from '../../../../test-support/http';

let telemetry: Telemetry;

afterEach(() => telemetry.shutdown());

test('recordings past a cardinality limit are counted per metric and logged once', async () => {
  const logs = captureDiag();
  try {
    telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
    const { db_query_duration_seconds: queries, llm_unpriced_tokens_total: unpriced } = telemetry.metrics;
    // db_query_duration_seconds keeps 499 label sets and its overflow series.
    for (let i = 0; i < 510; i++) queries.observe({ operation: 'SELECT', table: `t${i}` }, 0.01);
    queries.labels({ operation: 'SELECT', table: 'one-more' }).observe(0.01);
    for (let i = 0; i < 2003; i++) unpriced.inc({ model: `m${i}` });

    const text = await telemetry.scrape();
    expect(familyText(text, 'agent_telemetry_cardinality_overflow_total')).toBe(
      `# HELP agent_telemetry_cardinality_overflow_total ${telemetry.metrics.agent_telemetry_cardinality_overflow_total.definition.help}\n` +
        '# TYPE agent_telemetry_cardinality_overflow_total counter\n' +
        'agent_telemetry_cardinality_overflow_total{metric="db_query_duration_seconds"} 12\n' +
        'agent_telemetry_cardinality_overflow_total{metric="llm_unpriced_tokens_total"} 4\n',
    );
    expect(text).toContain('llm_unpriced_tokens_total{otel_metric_overflow="true"} 4\n');
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(logs.warnings).toEqual([
      expect.stringContaining('db_query_duration_seconds reached its cardinality limit of 500 label sets'),
      expect.stringContaining('llm_unpriced_tokens_total reached its cardinality limit of 2000 label sets'),
    ]);
  } finally {
    logs.stop();
  }
});

test('metrics requests answered 401, 405 and 404 are counted by reason', async () => {
  telemetry = createTelemetry(
    { runtimeMetrics: false, prometheus: { host: '127.0.0.1', port: 0, auth: { bearerToken: 'right' } } },
    { env: {} },
  );
  const { port } = await telemetry.metricsServer!.listening;
  const url = `http://127.0.0.1:${port}`;
  // A token being guessed, a POST, a scan of other paths; then the right token.
  for (let i = 0; i < 5; i++) {
    expect((await request(`${url}/metrics`, { headers: { authorization: `Bearer guess-${i}` } })).status).toBe(401);
  }
  expect((await request(`${url}/metrics`)).status).toBe(401);
  expect((await request(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  expect((await request(`${url}/.env`)).status).toBe(404);
  const reply = await request(`${url}/metrics`, { headers: { authorization: 'Bearer right' } });
  expect(reply.status).toBe(200);

  expect(
    parseSamples(await telemetry.scrape())
      .filter((sample) => sample.name === 'agent_telemetry_metrics_requests_rejected_total')
      .map((sample) => [sample.labels['reason'], sample.value]),
  ).toEqual([
    ['unauthorized', 6],
    ['method_not_allowed', 1],
    ['not_found', 1],
  ]);
});
