import { readFileSync } from 'node:fs';
import * as YAML from 'yaml';
import {
  parseDuration,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
  renderRules,
  scaleDuration,
} from '../../scripts/lib/stack-config';
import { monitoringPath } from './helpers/monitoringFiles';

const read = (file: string): string => readFileSync(monitoringPath(file), 'utf8');
const TARGETS = {
  'agent-marketplace': '127.0.0.1:18000',
  'postgres-exporter': '127.0.0.1:19187',
  'redis-exporter': '127.0.0.1:19121',
  'node-exporter': '127.0.0.1:19100',
};

describe('durations', () => {
  it.each([
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['500ms', 500],
    ['0s', 0],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '15', '1x', '5m junk'])('rejects "%s"', (text) =>
    expect(() => parseDuration(text)).toThrow(/invalid duration/),
  );

  it.each([
    ['15s', 15, '1s'],
    ['10s', 15, '1s'], // never below a second
    ['5m', 15, '20s'],
    ['1h', 15, '4m'],
    ['4h', 15, '16m'],
    ['24h', 15, '1h36m'],
    ['0s', 15, '0s'],
    ['5m', 1, '5m'], // as committed
  ])('scales %s by 1/%d to %s', (text, speedUp, scaled) => expect(scaleDuration(text, speedUp)).toBe(scaled));
});

describe('renderPrometheusConfig', () => {
  it('points every job and the Alertmanager at loopback and keeps the rest', () => {
    const committed = YAML.parse(read('prometheus.yml'));
    const rendered = YAML.parse(
      renderPrometheusConfig(read('prometheus.yml'), { targets: TARGETS, alertmanager: '127.0.0.1:19093' }),
    );
    expect(rendered.scrape_configs.map((job: any) => [job.job_name, job.static_configs])).toEqual(
      Object.entries(TARGETS).map(([job, target]) => [job, [{ targets: [target] }]]),
    );
    expect(rendered.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ['127.0.0.1:19093'] }] }]);
    const withoutTargets = (config: any) => ({
      ...config,
      alerting: undefined,
      scrape_configs: config.scrape_configs.map((job: any) => ({ ...job, static_configs: undefined })),
    });
    expect(withoutTargets(rendered)).toEqual(withoutTargets(committed));
  });

  it('divides intervals and timeouts by speedUp', () => {
    const rendered = YAML.parse(
      renderPrometheusConfig(read('prometheus.yml'), { targets: TARGETS, alertmanager: '127.0.0.1:1', speedUp: 15 }),
    );
    expect(rendered.global).toMatchObject({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    expect(rendered.scrape_configs.map((job: any) => [job.scrape_interval, job.scrape_timeout])).toEqual([
      ['1s', '1s'],
      ['2s', undefined],
      ['2s', undefined],
      ['2s', undefined],
    ]);
  });

  it('refuses a config job the stack has no target for', () => {
    const { 'node-exporter': _omitted, ...partial } = TARGETS;
    expect(() =>
      renderPrometheusConfig(read('prometheus.yml'), { targets: partial, alertmanager: '127.0.0.1:1' }),
    ).toThrow('prometheus.yml job "node-exporter" has no stack target');
  });
});

describe('renderRules', () => {
  it('divides every `for` and group interval by speedUp and changes nothing else', () => {
    const committed = YAML.parse(read('alert_rules.yml'));
    const rendered = YAML.parse(renderRules(read('alert_rules.yml'), { speedUp: 15 }));
    const rules = (config: any) => config.groups.flatMap((group: any) => group.rules);
    expect(rules(rendered).map((rule: any) => rule.for)).toEqual(
      rules(committed).map((rule: any) => rule.for && scaleDuration(rule.for, 15)),
    );
    expect(rendered.groups.map((group: any) => group.interval)).toEqual(
      committed.groups.map((group: any) => group.interval && scaleDuration(group.interval, 15)),
    );
    const untimed = (config: any) =>
      config.groups.map((group: any) => ({
        ...group,
        interval: undefined,
        rules: group.rules.map((rule: any) => ({ ...rule, for: undefined })),
      }));
    expect(untimed(rendered)).toEqual(untimed(committed));
  });
});

describe('renderAlertmanagerConfig', () => {
  const sink = { url: 'http://127.0.0.1:5000', smtp: '127.0.0.1:2525' };

  it('with a sink: every destination on loopback, secrets written to secretsDir', () => {
    const { text, secrets } = renderAlertmanagerConfig(read('alertmanager.yml'), { secretsDir: '/tmp/s', sink });
    const config = YAML.parse(text);
    const receiver = (name: string) => config.receivers.find((r: any) => r.name === name);
    expect(receiver('critical').pagerduty_configs[0]).toMatchObject({
      url: `${sink.url}/critical/pagerduty`,
      routing_key_file: '/tmp/s/pagerduty_routing_key',
    });
    expect(receiver('critical').slack_configs[0].api_url_file).toBe('/tmp/s/critical-slack-api-url');
    expect(receiver('warning').slack_configs[0].api_url_file).toBe('/tmp/s/warning-slack-api-url');
    expect(receiver('info').email_configs[0]).toMatchObject({
      smarthost: sink.smtp,
      hello: 'info',
      require_tls: false,
    });
    expect(receiver('webhook').webhook_configs[0]).toMatchObject({
      url: `${sink.url}/webhook/webhook`,
      http_config: { authorization: { credentials_file: '/tmp/s/webhook_token' } },
    });
    expect(receiver('watchdog').webhook_configs[0].url).toBe(`${sink.url}/watchdog/webhook`);
    expect(config.global).toMatchObject({
      smtp_smarthost: sink.smtp,
      smtp_require_tls: false,
      smtp_auth_password_file: '/tmp/s/smtp_auth_password',
    });
    expect(secrets).toEqual({
      '/tmp/s/critical-slack-api-url': `${sink.url}/critical/slack`,
      '/tmp/s/warning-slack-api-url': `${sink.url}/warning/slack`,
      '/tmp/s/pagerduty_routing_key': 'pagerduty_routing_key',
      '/tmp/s/smtp_auth_password': 'smtp_auth_password',
      '/tmp/s/webhook_token': 'webhook_token',
      '/tmp/s/watchdog_token': 'watchdog_token',
    });
    expect(config.route).toEqual(YAML.parse(read('alertmanager.yml')).route);
  });

  it('without a sink: only the secret paths move, nothing is written', () => {
    const committed = YAML.parse(read('alertmanager.yml'));
    const { text, secrets } = renderAlertmanagerConfig(read('alertmanager.yml'), { secretsDir: '/etc/am-secrets' });
    expect(secrets).toEqual({});
    expect(text).not.toContain('/run/secrets/');
    expect(YAML.parse(text.replaceAll('/etc/am-secrets/', '/run/secrets/'))).toEqual(committed);
  });

  it('divides the route timers by speedUp', () => {
    const { text } = renderAlertmanagerConfig(read('alertmanager.yml'), { secretsDir: '/tmp/s', speedUp: 15 });
    const route = YAML.parse(text).route;
    expect([route.group_wait, route.group_interval, route.repeat_interval]).toEqual(['2s', '20s', '16m']);
    expect(route.routes.map((r: any) => [r.receiver, r.group_wait, r.group_interval, r.repeat_interval])).toEqual([
      ['watchdog', '0s', '4s', '20s'],
      ['webhook', undefined, undefined, undefined],
      ['critical', '1s', undefined, '4m'],
      ['warning', undefined, undefined, '16m'],
      ['info', undefined, '2m', '1h36m'],
    ]);
  });
});
