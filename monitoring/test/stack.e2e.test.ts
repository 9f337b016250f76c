import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CATALOGUE, type MetricDefinition } from '../../packages/core/src/catalogue';
import { startStack, type Notification, type Stack } from '../../scripts/lib/stack';
import { panelQueries } from './helpers/dashboard';
import { knownMetric } from './helpers/knownMetrics';
import { alertRules, ROOT } from './helpers/monitoringFiles';
import { metricNames } from './helpers/promql';

// End to end on loopback: the demo service (examples/marketplace-service, built by `npm test`),
// the node, postgres and redis exporters, Alertmanager and Prometheus, started by
// scripts/lib/stack.js exactly as `npm run stack` starts them, from the committed
// monitoring/prometheus.yml, alert_rules.yml and alertmanager.yml.
//
// The copies in the temporary directory differ from the committed files in these ways only:
// - prometheus.yml: every job's target and the Alertmanager target are the loopback ports of the
//   processes started here;
// - everything runs 15 times faster (speedUp 15): scrape and evaluation intervals 15s -> 1s, the
//   app job's 10s interval and 5s timeout -> 1s, the exporters' 30s -> 2s; every rule's `for` and
//   group interval divided by 15 (HighErrorRate 5m -> 20s, ServiceDown 1m -> 4s, the 1m group ->
//   4s); Prometheus' alert resend delay 1m -> 4s; Alertmanager's group_wait, group_interval and
//   repeat_interval divided by 15 (the critical route's group_wait 10s -> 1s). PromQL range
//   windows ([5m], [1h], ...) and thresholds are unchanged;
// - alertmanager.yml: each receiver's destination is a loopback sink (PagerDuty and webhook URLs
//   -> <sink>/<receiver>/<integration>, Slack URLs in secret files holding such URLs, e-mail to
//   the sink's SMTP port), and every `*_file` secret is a file in the temporary directory.

const RATE_INTERVAL = '1m';
const WAIT_MS = 90_000;

let stack: Stack;
let workDir: string;

async function prometheusApi<T>(pathname: string): Promise<T> {
  const res = await fetch(`${stack.urls.prometheus}${pathname}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${pathname}: ${body.error}`);
  return body.data;
}

async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const data = await prometheusApi<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return data.result;
}

/** Polls `check` (which returns what is still missing) until nothing is missing or time runs out. */
async function eventually(what: string, check: () => Promise<string[]>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = await check();
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${what} after ${timeoutMs} ms:\n${missing.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface RuleState {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly state?: string;
}

async function ruleStates(): Promise<RuleState[]> {
  const data = await prometheusApi<{ groups: Array<{ rules: RuleState[] }> }>('/api/v1/rules');
  return data.groups.flatMap((group) => group.rules);
}

const runbookQueries = (): string[] =>
  readdirSync(path.join(ROOT, 'docs', 'runbooks')).flatMap((file) =>
    [...readFileSync(path.join(ROOT, 'docs', 'runbooks', file), 'utf8').matchAll(/```promql\n([\s\S]*?)```/g)].flatMap(
      (m) => m[1]!.split('\n').filter(Boolean),
    ),
  );

/**
 * agent-telemetry's own counters of failures (dropped recordings, failed exports, rejected
 * requests, ...): a series appears with the first failure, so a healthy demo has none. Their
 * alerts are unit-tested in alert_rules_test.yml instead.
 */
function countsFailures(name: string): boolean {
  const definition = (CATALOGUE as Record<string, MetricDefinition>)[name];
  return definition?.group === 'self' && definition.labels.length > 0;
}

/** The metric names `exprs` read, recording rules excepted (they are checked by rule health). */
function metricsRead(exprs: string[]): string[] {
  return [...new Set(exprs.flatMap(metricNames))]
    .filter((name) => knownMetric(name)?.source !== 'recording rule' && !countsFailures(name))
    .sort();
}

async function absent(names: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    if ((await query(`count({__name__="${name}"})`)).length === 0) missing.push(name);
  }
  return missing;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'stack-e2e-'));
  stack = await startStack({ workDir, speedUp: 15, demoEnv: { DEMO_ERROR_RATE: '0' } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
}, 30_000);

describe('the monitoring stack on loopback', () => {
  it('scrapes every target of prometheus.yml', async () => {
    await eventually('targets not up', async () => {
      const { activeTargets } = await prometheusApi<{
        activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }>;
      }>('/api/v1/targets');
      const jobs = activeTargets
        .map((t) => t.labels.job)
        .sort()
        .join(', ');
      if (jobs !== 'agent-marketplace, node-exporter, postgres-exporter, redis-exporter') return [`targets: ${jobs}`];
      return activeTargets.filter((t) => t.health !== 'up').map((t) => `${t.labels.job}: ${t.health} ${t.lastError}`);
    });
    // The exporters reach the real Postgres and Redis.
    expect((await query('pg_up'))[0]!.value[1]).toBe('1');
    expect((await query('redis_up'))[0]!.value[1]).toBe('1');
  }, 120_000);

  it('answers every dashboard query with data', async () => {
    await eventually('dashboard queries without data', async () => {
      const missing: string[] = [];
      for (const { panel, expr } of panelQueries(RATE_INTERVAL)) {
        if ((await query(expr)).length === 0) missing.push(`${panel}: ${expr}`);
      }
      return missing;
    });
  }, 120_000);

  it('has every metric that the rules and panels read', async () => {
    const exprs = [
      ...alertRules().groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      ...panelQueries(RATE_INTERVAL).map((q) => q.expr),
    ];
    await eventually('metrics absent from Prometheus', () => absent(metricsRead(exprs)));
  }, 120_000);

  it('has every exporter and runtime metric that the runbooks read', async () => {
    // Catalogue metrics are checked against the catalogue (runbooks.test.ts); whether the demo
    // exercises each one is not the runbooks' concern. Exporter names can only be checked here.
    const names = metricsRead(runbookQueries()).filter((name) => knownMetric(name)?.source !== 'catalogue');
    expect(names).toEqual(
      expect.arrayContaining(['pg_stat_activity_count', 'redis_memory_used_bytes', 'node_filesystem_avail_bytes']),
    );
    await eventually('metrics absent from Prometheus', () => absent(names));
  }, 120_000);

  it('evaluates every rule with health ok', async () => {
    await eventually('rules not evaluated ok', async () => {
      const rules = await ruleStates();
      const broken = rules.filter((rule) => rule.health === 'err');
      expect(broken.map((rule) => `${rule.name}: ${rule.lastError}`)).toEqual([]);
      return rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.health}`);
    });
    const committed = alertRules().groups.flatMap((group) => group.rules.map((rule) => rule.alert ?? rule.record));
    expect((await ruleStates()).map((rule) => rule.name).sort()).toEqual(committed.sort());
  }, 120_000);

  it('sends HighErrorRate, provoked through the demo, to the critical receiver', async () => {
    // Before: the demo answers no deliberate 500s and the alert is not firing.
    expect(await query('ALERTS{alertname="HighErrorRate", alertstate="firing"}')).toEqual([]);
    expect(stack.sink!.notifications.filter((n) => n.title.includes('HighErrorRate'))).toEqual([]);

    await stack.restartDemo({ DEMO_ERROR_RATE: '1' });

    const isHighErrorRate = (receiver: string, integration: string) => (n: Notification) =>
      n.receiver === receiver && n.integration === integration && n.title.includes('HighErrorRate');
    const pagerduty = await stack.sink!.waitFor(isHighErrorRate('critical', 'pagerduty'), WAIT_MS);
    expect(pagerduty.body).toMatchObject({
      event_action: 'trigger',
      payload: { severity: 'critical', custom_details: { runbook_url: 'docs/runbooks/HighErrorRate.md' } },
    });
    const slack = await stack.sink!.waitFor(isHighErrorRate('critical', 'slack'), WAIT_MS);
    expect(slack.body.channel).toBe('#alerts-critical');
    expect(slack.body.attachments[0].text).toMatch(
      /of the requests to agent-marketplace answered 5xx over the last 5 minutes \(threshold 5%\)/,
    );

    const copy = await stack.sink!.waitFor(isHighErrorRate('webhook', 'webhook'), WAIT_MS);
    const [alert] = copy.body.alerts;
    expect(alert.status).toBe('firing');
    expect(alert.labels).toEqual({
      alertname: 'HighErrorRate',
      severity: 'critical',
      job: 'agent-marketplace',
      cluster: 'agent-marketplace',
      environment: 'production',
    });
    expect(alert.annotations.runbook_url).toBe('docs/runbooks/HighErrorRate.md');

    // Alertmanager routed it to the generic webhook and the critical receiver, and nowhere else.
    const res = await fetch(
      `${stack.urls.alertmanager}/api/v2/alerts?filter=${encodeURIComponent('alertname="HighErrorRate"')}`,
    );
    const [routed] = (await res.json()) as Array<{ receivers: Array<{ name: string }> }>;
    expect(routed!.receivers.map((r) => r.name).sort()).toEqual(['critical', 'webhook']);
    expect(
      stack.sink!.notifications.filter(
        (n) => n.title.includes('HighErrorRate') && !['critical', 'webhook'].includes(n.receiver),
      ),
    ).toEqual([]);
  }, 180_000);
});
