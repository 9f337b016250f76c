import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CATALOGUE } from '../../packages/core/src/catalogue';
import { knownMetric, TARGET_LABELS } from './helpers/knownMetrics';
import { alerts, monitoringPath, readYaml, recordingRules, ROOT, type Rule } from './helpers/monitoringFiles';
import { expressionNames } from './helpers/promql';
import { runTool } from './helpers/tools';

/** The spec's 18 alerts: severity, `for` and the threshold comparison that ends the expression. */
const SPEC_ALERTS: ReadonlyArray<[alert: string, severity: string, forDuration: string, threshold: string]> = [
  ['ServiceDown', 'critical', '1m', '== 0'],
  ['HighErrorRate', 'critical', '5m', '> 0.05'],
  ['DatabaseConnectionPoolExhausted', 'critical', '2m', '> 0.9'],
  ['CircuitBreakerOpen', 'critical', '5m', '== 2'],
  ['LLMProviderDown', 'critical', '3m', '> 0.5'],
  ['HighResponseTime', 'warning', '10m', '> 2'],
  ['HighAgentExecutionTime', 'warning', '15m', '> 60'],
  ['HighRateLimitHitRate', 'warning', '10m', '> 10'],
  ['HighDatabaseQueryTime', 'warning', '10m', '> 0.5'],
  ['HighMemoryUsage', 'warning', '10m', '> 0.85'],
  ['DiskSpaceLow', 'warning', '10m', '< 0.15'],
  ['HighAgentCost', 'info', '1h', '> 10'],
  // The spec gives no `for` for these three; their windows are a day or an hour.
  ['UnusualTrafficPattern', 'info', '30m', '> 0.5'],
  ['HighTokenUsage', 'info', '1h', '> 1e6'],
  ['LowCustomerSignups', 'info', '1h', '< 10'],
  ['RevenueDrop', 'warning', '1h', '< 0.8 *'],
  ['HighAuthenticationFailureRate', 'warning', '5m', '> 10'],
  ['PossibleDDoSAttack', 'critical', '2m', '> 1000'],
];
/** What operating the service needs beyond the spec, agent-telemetry's own health included. */
const OPERATIONAL_ALERTS = [
  'PostgresDown',
  'RedisDown',
  'ExporterDown',
  'Watchdog',
  'MetricCardinalityOverflow',
  'TelemetryRecordingsDropped',
  'TelemetryExportFailing',
  'MetricsEndpointRejectingRequests',
  'TelemetryScrapeIncomplete',
];

const UNIT_TEST_FILES = ['alert_rules_test.yml', 'alert_rules_long_test.yml'];

interface PromtoolTestFile {
  readonly tests: ReadonlyArray<{
    readonly name: string;
    readonly input_series?: ReadonlyArray<{ readonly series: string }>;
    readonly alert_rule_test: ReadonlyArray<{
      readonly eval_time: string;
      readonly alertname: string;
      readonly exp_alerts: ReadonlyArray<{ readonly exp_labels: Record<string, string> }>;
    }>;
    readonly promql_expr_test?: ReadonlyArray<{
      readonly expr: string;
      readonly eval_time: string;
      readonly exp_samples: ReadonlyArray<{ readonly labels: string }>;
    }>;
  }>;
}

function alertNamed(name: string): Rule {
  const rule = alerts().find((alert) => alert.alert === name);
  if (rule === undefined) throw new Error(`alert_rules.yml has no alert ${name}`);
  return rule;
}

describe('monitoring/prometheus.yml', () => {
  it('passes promtool check config (which also checks the rule files it names)', async () => {
    const result = await runTool('promtool', ['check', 'config', monitoringPath('prometheus.yml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('prometheus.yml is valid prometheus config file syntax');
    expect(result.stdout).toContain('SUCCESS: 1 rule files found');
  });

  it('has the spec global block, jobs, intervals, rule file and Alertmanager', () => {
    const config = readYaml<any>(monitoringPath('prometheus.yml'));
    expect(config.global).toEqual({
      scrape_interval: '15s',
      scrape_timeout: '10s',
      evaluation_interval: '15s',
      external_labels: { cluster: 'agent-marketplace', environment: 'production' },
    });
    expect(config.rule_files).toEqual(['alert_rules.yml']);
    expect(config.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ['alertmanager:9093'] }] }]);
    const jobs = Object.fromEntries(config.scrape_configs.map((job: any) => [job.job_name, job]));
    expect(Object.keys(jobs)).toEqual(['agent-marketplace', 'postgres-exporter', 'redis-exporter', 'node-exporter']);
    expect(jobs['agent-marketplace']).toMatchObject({
      metrics_path: '/api/v1/metrics',
      scrape_interval: '10s',
      scrape_timeout: '5s',
    });
    const exporterPorts = { 'postgres-exporter': 9187, 'redis-exporter': 9121, 'node-exporter': 9100 };
    for (const [job, port] of Object.entries(exporterPorts)) {
      expect(jobs[job].scrape_interval).toBe('30s');
      expect(jobs[job].static_configs).toEqual([{ targets: [`${job}:${port}`] }]);
    }
  });
});

describe('monitoring/alert_rules.yml', () => {
  it('passes promtool check rules', async () => {
    const result = await runTool('promtool', ['check', 'rules', monitoringPath('alert_rules.yml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes its promtool unit tests (every alert: pending before its `for`, firing after, silent below)', async () => {
    const result = await runTool(
      'promtool',
      ['test', 'rules', ...UNIT_TEST_FILES],
      path.join(ROOT, 'monitoring', 'test'),
    );
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/SUCCESS/g)).toHaveLength(UNIT_TEST_FILES.length);
  }, 120_000);

  it('holds exactly the spec alerts and the operational ones', () => {
    expect(
      alerts()
        .map((rule) => rule.alert)
        .sort(),
    ).toEqual([...SPEC_ALERTS.map(([alert]) => alert), ...OPERATIONAL_ALERTS].sort());
  });

  it.each(SPEC_ALERTS)('%s has severity %s, for %s and threshold "%s"', (name, severity, forDuration, threshold) => {
    const rule = alertNamed(name);
    expect(rule.labels).toEqual({ severity });
    expect(rule.for).toBe(forDuration);
    expect(rule.expr).toContain(` ${threshold}`);
  });

  it('puts the histogram thresholds on bucket boundaries, so that p95 is exact there', () => {
    expect(CATALOGUE.http_request_duration_seconds.buckets).toContain(2);
    expect(CATALOGUE.agent_execution_duration_seconds.buckets).toContain(60);
    expect(CATALOGUE.db_query_duration_seconds.buckets).toContain(0.5);
  });

  it.each(alerts().map((rule) => [rule.alert!, rule] as const))(
    '%s has a severity, summary, templated description and runbook',
    (name, rule) => {
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations!.summary!.length).toBeGreaterThan(0);
      expect(rule.annotations!.description).toMatch(name === 'Watchdog' ? /./ : /\{\{ \$(value|labels\.\w+)/);
      expect(rule.annotations!.runbook_url).toBe(`docs/runbooks/${name}.md`);
      expect(existsSync(path.join(ROOT, rule.annotations!.runbook_url!))).toBe(true);
    },
  );

  it('keeps the service (`job`) label on every alert but Watchdog, for grouping and inhibition', () => {
    // Aggregations must keep `job`; plain selectors keep every label.
    for (const rule of alerts().filter((alert) => alert.alert !== 'Watchdog')) {
      const { groupingLabels } = expressionNames(rule.expr);
      if (/\b(sum|max|min|avg|count)\b/.test(rule.expr))
        expect([rule.alert, groupingLabels]).toEqual([rule.alert, expect.arrayContaining(['job'])]);
    }
    for (const rule of recordingRules()) {
      const { groupingLabels } = expressionNames(rule.expr);
      if (/\b(sum|max|min|avg|count) by\b/.test(rule.expr))
        expect([rule.record, groupingLabels]).toEqual([rule.record, expect.arrayContaining(['job'])]);
    }
  });

  it('names recording rules level:metric:operations and leaves range functions to them', () => {
    for (const rule of recordingRules())
      expect(rule.record).toMatch(/^[a-z]+(_[a-z]+)*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/);
    for (const rule of alerts())
      expect([rule.alert, rule.expr]).not.toEqual([
        rule.alert,
        expect.stringMatching(/\b(rate|increase|histogram_quantile)\(/),
      ]);
  });

  it('reads only metrics that exist, with labels they have', () => {
    for (const rule of [...alerts(), ...recordingRules()]) {
      for (const selector of expressionNames(rule.expr).selectors) {
        const known = knownMetric(selector.metric);
        expect([rule.alert ?? rule.record, selector.metric, known]).toEqual([
          rule.alert ?? rule.record,
          selector.metric,
          expect.anything(),
        ]);
        if (known?.labels === undefined) continue;
        for (const label of selector.labels)
          expect([selector.metric, [...known.labels, ...TARGET_LABELS]]).toEqual([
            selector.metric,
            expect.arrayContaining([label]),
          ]);
      }
    }
  });
});

describe('monitoring/test/alert_rules*_test.yml', () => {
  const groups = UNIT_TEST_FILES.flatMap((file) => readYaml<PromtoolTestFile>(path.join(__dirname, file)).tests);

  it.each(alerts().map((rule) => [rule.alert!, rule] as const))(
    'unit-test %s: firing past its `for`, pending before it, a series that stays silent',
    (name, rule) => {
      const mine = groups.filter((group) => group.alert_rule_test.some((test) => test.alertname === name));
      expect(mine).toHaveLength(1);
      const group = mine[0]!;
      const firing = group.alert_rule_test.filter((test) => test.alertname === name && test.exp_alerts.length > 0);
      expect(firing.length).toBeGreaterThan(0);
      if (rule.for === undefined) return; // Watchdog: firing from the first evaluation
      const fired = firing[0]!.exp_alerts[0]!;
      // Before: not firing, but pending (the threshold is crossed, the `for` has not elapsed).
      const before = group.alert_rule_test.find((test) => test.alertname === name && test.exp_alerts.length === 0);
      expect(before).toBeDefined();
      const pending = group.promql_expr_test?.find(
        (test) => test.expr === `ALERTS{alertname="${name}"}` && test.eval_time === before!.eval_time,
      );
      expect(pending?.exp_samples).toHaveLength(1);
      expect(pending!.exp_samples[0]!.labels).toContain('alertstate="pending"');
      // Silent: some input series differs from the firing alert's labels, and no alert has its labels.
      const firingLabels = Object.entries(fired.exp_labels).filter(([label]) => label !== 'severity');
      const silent = (group.input_series ?? []).filter(({ series }) =>
        firingLabels.some(([label, value]) => series.includes(`${label}="`) && !series.includes(`${label}="${value}"`)),
      );
      expect(silent.length).toBeGreaterThan(0);
      expect(firing.every((test) => test.exp_alerts.length === 1)).toBe(true);
    },
  );
});
