import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  choosePort,
  startAlertmanager,
  startNotificationSink,
  type Notification,
  type NotificationSink,
  type ServiceHandle,
} from '../../scripts/lib/stack';
import { monitoringPath, readYaml } from './helpers/monitoringFiles';
import { runTool } from './helpers/tools';

const CONFIG = monitoringPath('alertmanager.yml');

/** Fields that would hold a secret in the config itself; each has a `*_file` twin we use instead. */
const INLINE_SECRET_FIELDS = [
  'api_url',
  'routing_key',
  'service_key',
  'auth_password',
  'smtp_auth_password',
  'credentials',
  'password',
  'bearer_token',
  'api_key',
];

function collectKeys(value: unknown, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      out.push([key, child]);
      collectKeys(child, out);
    }
  }
  return out;
}

describe('monitoring/alertmanager.yml', () => {
  it('passes amtool check-config', async () => {
    const result = await runTool('amtool', ['check-config', CONFIG]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).toContain(' - 2 inhibit rules');
    expect(result.stdout).toContain(' - 5 receivers');
  });

  it.each([
    [['severity=critical', 'alertname=HighErrorRate', 'job=agent-marketplace'], 'webhook,critical'],
    [['severity=warning', 'alertname=HighResponseTime', 'job=agent-marketplace'], 'webhook,warning'],
    [['severity=info', 'alertname=HighAgentCost', 'job=agent-marketplace'], 'webhook,info'],
    [['severity=info', 'alertname=Watchdog'], 'watchdog'],
    // An alert without a known severity still reaches someone.
    [['alertname=Unlabelled', 'job=agent-marketplace'], 'webhook'],
  ])('routes %j to %s (amtool config routes test)', async (labels, receivers) => {
    const result = await runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${CONFIG}`,
      `--verify.receivers=${receivers}`,
      ...labels,
    ]);
    expect(result.stdout.trim()).toBe(receivers);
    expect(result.code).toBe(0);
  });

  it('reads every secret from a file under /run/secrets, never from the config', () => {
    const keys = collectKeys(readYaml(CONFIG));
    for (const [key] of keys) expect(INLINE_SECRET_FIELDS).not.toContain(key);
    const files = keys.filter(([key]) => key.endsWith('_file'));
    expect(files.map(([key]) => key).sort()).toEqual(
      [
        'api_url_file',
        'api_url_file',
        'credentials_file',
        'credentials_file',
        'routing_key_file',
        'smtp_auth_password_file',
      ].sort(),
    );
    for (const [, file] of files) expect(file).toMatch(/^\/run\/secrets\/[a-z_]+$/);
  });

  it('groups by alert and service and inhibits as documented', () => {
    const config = readYaml<any>(CONFIG);
    expect(config.route.group_by).toEqual(['alertname', 'job']);
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"warning|info"'],
        equal: ['alertname', 'job'],
      },
      { source_matchers: ['alertname="ServiceDown"'], target_matchers: ['alertname!="ServiceDown"'], equal: ['job'] },
    ]);
  });
});

// A real Alertmanager 0.25 with monitoring/alertmanager.yml, rewritten by the stack's
// renderAlertmanagerConfig: every receiver's URLs point at a loopback sink, each secret file is
// written holding its own name, e-mail goes to the sink's SMTP side, and route timers are divided
// by 15 (group_wait 10s -> 1s, 30s -> 2s). Alerts are posted to its API as Prometheus would.
describe('Alertmanager with monitoring/alertmanager.yml', () => {
  let workDir: string;
  let sink: NotificationSink;
  let alertmanager: ServiceHandle;
  let url: string;

  const post = async (...alerts: Array<Record<string, string>>): Promise<void> => {
    const body = alerts.map((labels) => ({
      labels,
      annotations: {
        summary: `${labels.alertname} summary`,
        description: `${labels.alertname} on ${labels.job}`,
        runbook_url: `docs/runbooks/${labels.alertname}.md`,
      },
    }));
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const about = (alertname: string, job: string) => (n: Notification) =>
    n.title.includes(alertname) && JSON.stringify(n.body).includes(job);

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'alertmanager-test-'));
    sink = await startNotificationSink();
    const port = await choosePort();
    alertmanager = await startAlertmanager({ workDir, port, sink, speedUp: 15 });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await sink?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('delivers each severity to its receivers, with the secrets read from files', async () => {
    await post(
      { alertname: 'HighErrorRate', severity: 'critical', job: 'svc-a' },
      { alertname: 'HighResponseTime', severity: 'warning', job: 'svc-a' },
      { alertname: 'HighAgentCost', severity: 'info', job: 'svc-a' },
      { alertname: 'Watchdog', severity: 'info' },
    );
    const pagerduty = await sink.waitFor((n) => n.receiver === 'critical' && n.integration === 'pagerduty', 20_000);
    expect(pagerduty.body).toMatchObject({
      routing_key: 'pagerduty_routing_key',
      event_action: 'trigger',
      payload: { severity: 'critical', custom_details: { runbook_url: 'docs/runbooks/HighErrorRate.md' } },
    });
    expect(pagerduty.title).toContain('HighErrorRate');

    const critical = await sink.waitFor((n) => n.receiver === 'critical' && n.integration === 'slack', 20_000);
    expect(critical.body.channel).toBe('#alerts-critical');
    expect(critical.title).toContain('HighErrorRate');
    expect(critical.body.attachments[0].text).toContain('Runbook: docs/runbooks/HighErrorRate.md');

    const warning = await sink.waitFor((n) => n.receiver === 'warning' && n.integration === 'slack', 20_000);
    expect(warning.body.channel).toBe('#alerts-warning');
    expect(warning.title).toContain('HighResponseTime');

    const email = await sink.waitFor((n) => n.receiver === 'info' && n.integration === 'email', 20_000);
    expect(email.body.to).toEqual(['monitoring@example.com']);
    expect(email.body.from).toBe('alertmanager@example.com');
    expect(email.title).toContain('HighAgentCost');

    const watchdog = await sink.waitFor((n) => n.receiver === 'watchdog', 20_000);
    expect(watchdog.headers.authorization).toBe('Bearer watchdog_token');
    expect(watchdog.body.alerts.map((a: any) => a.labels.alertname)).toEqual(['Watchdog']);

    // The generic webhook gets a copy of every alert but Watchdog.
    for (const alertname of ['HighErrorRate', 'HighResponseTime', 'HighAgentCost']) {
      const copy = await sink.waitFor((n) => n.receiver === 'webhook' && n.title.includes(alertname), 20_000);
      expect(copy.headers.authorization).toBe('Bearer webhook_token');
      expect(copy.body.receiver).toBe('webhook');
    }
    expect(sink.notifications.filter((n) => n.receiver === 'webhook' && n.title.includes('Watchdog'))).toEqual([]);
    // Each alert reached only its own severity's receiver.
    const byReceiver = (receiver: string) =>
      sink.notifications.filter((n) => n.receiver === receiver).map((n) => n.title);
    expect(byReceiver('critical').every((title) => title.includes('HighErrorRate'))).toBe(true);
    expect(byReceiver('warning').every((title) => title.includes('HighResponseTime'))).toBe(true);
    expect(byReceiver('info').every((title) => title.includes('HighAgentCost'))).toBe(true);
  }, 60_000);

  it('inhibits: critical silences warning and info of the same alert and service; ServiceDown the rest of its service', async () => {
    await post(
      { alertname: 'ServiceDown', severity: 'critical', job: 'svc-b' },
      { alertname: 'HighResponseTime', severity: 'warning', job: 'svc-b' },
      { alertname: 'PostgresDown', severity: 'critical', job: 'postgres-exporter' },
      { alertname: 'DiskSpaceLow', severity: 'critical', job: 'svc-c' },
      { alertname: 'DiskSpaceLow', severity: 'warning', job: 'svc-c' },
      { alertname: 'DiskSpaceLow', severity: 'warning', job: 'svc-d' },
    );
    const res = await fetch(`${url}/api/v2/alerts`);
    const alerts = (await res.json()) as Array<{ labels: Record<string, string>; status: { inhibitedBy: string[] } }>;
    const inhibited = (alertname: string, severity: string, job: string): boolean => {
      const alert = alerts.find(
        (a) => a.labels.alertname === alertname && a.labels.severity === severity && a.labels.job === job,
      );
      if (alert === undefined) throw new Error(`Alertmanager does not list ${alertname}/${severity}/${job}`);
      return alert.status.inhibitedBy.length > 0;
    };
    expect(inhibited('HighResponseTime', 'warning', 'svc-b')).toBe(true);
    expect(inhibited('ServiceDown', 'critical', 'svc-b')).toBe(false);
    expect(inhibited('PostgresDown', 'critical', 'postgres-exporter')).toBe(false);
    expect(inhibited('DiskSpaceLow', 'warning', 'svc-c')).toBe(true);
    expect(inhibited('DiskSpaceLow', 'critical', 'svc-c')).toBe(false);
    expect(inhibited('DiskSpaceLow', 'warning', 'svc-d')).toBe(false);

    // Delivered: the uninhibited ones. Once svc-d's warning is out (same route, same group_wait),
    // the inhibited warnings would have been too.
    await sink.waitFor(about('DiskSpaceLow', 'svc-d'), 20_000);
    await sink.waitFor(about('ServiceDown', 'svc-b'), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(sink.notifications.filter(about('HighResponseTime', 'svc-b'))).toEqual([]);
    expect(sink.notifications.filter((n) => n.receiver === 'warning' && about('DiskSpaceLow', 'svc-c')(n))).toEqual([]);
  }, 60_000);
});
