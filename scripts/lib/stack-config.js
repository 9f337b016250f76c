'use strict';
// Renders the committed monitoring/ configs for a stack on loopback (`npm run stack`, the
// end-to-end test). The committed files stay the single source: these functions only rewrite
// addresses, secret paths and, when asked, time scales.
const path = require('node:path');
const YAML = require('yaml');

const DURATION_UNITS_MS = { y: 31536000000, w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
const DURATION_PART = /(\d+)(ms|y|w|d|h|m|s)/g;

/**
 * Parses a Prometheus duration (`1h30m`, `15s`, `500ms`) into milliseconds.
 * @param {string} text
 * @returns {number}
 */
function parseDuration(text) {
  const value = String(text);
  let ms = 0;
  let matched = '';
  for (const [part, amount, unit] of value.matchAll(DURATION_PART)) {
    ms += Number(amount) * DURATION_UNITS_MS[unit];
    matched += part;
  }
  if (matched === '' || matched !== value) throw new Error(`invalid duration "${value}"`);
  return ms;
}

/** Formats milliseconds as a Prometheus duration (`20s`, `1m4s`, `0s`). */
function formatDuration(ms) {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['h', 'm', 's', 'ms']) {
    const size = DURATION_UNITS_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/**
 * Divides a duration by `speedUp`, never below 1 s (Prometheus and Alertmanager timers finer than
 * that only add load); 0 stays 0.
 * @param {string} text
 * @param {number} speedUp
 * @returns {string}
 */
function scaleDuration(text, speedUp) {
  const ms = parseDuration(text);
  if (ms === 0 || speedUp === 1) return String(text);
  return formatDuration(Math.max(1000, Math.round(ms / speedUp / 1000) * 1000));
}

/**
 * monitoring/prometheus.yml with every job's targets and the Alertmanager target replaced.
 * `targets` maps each job name to its `host:port`: a job of the config missing from it is an error,
 * so that the config and the stack cannot drift apart. With `speedUp` > 1 the global and per-job
 * scrape intervals and timeouts and the evaluation interval are divided by it.
 * @param {string} text
 * @param {{ targets: Record<string, string>, alertmanager: string, speedUp?: number }} options
 * @returns {string}
 */
function renderPrometheusConfig(text, { targets, alertmanager, speedUp = 1 }) {
  const config = YAML.parse(text);
  const scale = (object, key) => {
    if (object[key] !== undefined) object[key] = scaleDuration(object[key], speedUp);
  };
  for (const key of ['scrape_interval', 'scrape_timeout', 'evaluation_interval']) scale(config.global, key);
  for (const job of config.scrape_configs) {
    const target = targets[job.job_name];
    if (target === undefined) throw new Error(`prometheus.yml job "${job.job_name}" has no stack target`);
    job.static_configs = job.static_configs.map((group) => ({ ...group, targets: [target] }));
    scale(job, 'scrape_interval');
    scale(job, 'scrape_timeout');
  }
  config.alerting.alertmanagers = [{ static_configs: [{ targets: [alertmanager] }] }];
  return YAML.stringify(config, { lineWidth: 0 });
}

/**
 * monitoring/alert_rules.yml with every `for` and group `interval` divided by `speedUp`.
 * @param {string} text
 * @param {{ speedUp?: number }} options
 * @returns {string}
 */
function renderRules(text, { speedUp = 1 }) {
  const rules = YAML.parse(text);
  for (const group of rules.groups) {
    if (group.interval !== undefined) group.interval = scaleDuration(group.interval, speedUp);
    for (const rule of group.rules) {
      if (rule.for !== undefined) rule.for = scaleDuration(rule.for, speedUp);
    }
  }
  return YAML.stringify(rules, { lineWidth: 0 });
}

/**
 * monitoring/alertmanager.yml for a loopback stack.
 *
 * Every `*_file` secret path is moved into `secretsDir` (same file name). With `sink` (a local
 * notification sink), every notification is redirected to it instead of the real services:
 * webhook and PagerDuty URLs become `${sink.url}/<receiver>/<integration>`, each Slack
 * `api_url_file` becomes a file in `secretsDir` holding such a URL, e-mail goes to `sink.smtp`
 * (plain SMTP, with the receiver's name as the EHLO host so that the sink can tell receivers
 * apart), and each other secret file is written holding its own file name (so a test can see it
 * was read). Returns the config text and the secret files written.
 * With `speedUp` > 1 the route timers (group_wait, group_interval, repeat_interval) are divided by it.
 * @param {string} text
 * @param {{ secretsDir: string, sink?: { url: string, smtp: string }, speedUp?: number }} options
 * @returns {{ text: string, secrets: Record<string, string> }}
 */
function renderAlertmanagerConfig(text, { secretsDir, sink, speedUp = 1 }) {
  const config = YAML.parse(text);
  /** @type {Record<string, string>} */
  const secrets = {};
  const written = new Set();
  const writeSecret = (file, content) => {
    secrets[file] = content;
    written.add(file);
    return file;
  };

  if (sink !== undefined) {
    for (const receiver of config.receivers) {
      const to = (integration) => `${sink.url}/${receiver.name}/${integration}`;
      for (const webhook of receiver.webhook_configs ?? []) webhook.url = to('webhook');
      for (const pagerduty of receiver.pagerduty_configs ?? []) pagerduty.url = to('pagerduty');
      for (const slack of receiver.slack_configs ?? []) {
        delete slack.api_url;
        slack.api_url_file = writeSecret(path.join(secretsDir, `${receiver.name}-slack-api-url`), to('slack'));
      }
      for (const email of receiver.email_configs ?? []) {
        Object.assign(email, { smarthost: sink.smtp, hello: receiver.name, require_tls: false });
      }
    }
    Object.assign(config.global, { smtp_smarthost: sink.smtp, smtp_require_tls: false });
  }

  const moveSecrets = (object) => {
    for (const [key, value] of Object.entries(object)) {
      if (key.endsWith('_file') && typeof value === 'string' && !written.has(value)) {
        const file = path.join(secretsDir, path.basename(value));
        object[key] = sink === undefined ? file : writeSecret(file, path.basename(value));
      } else if (value !== null && typeof value === 'object') {
        moveSecrets(value);
      }
    }
  };
  moveSecrets(config);

  const scaleRoute = (route) => {
    for (const key of ['group_wait', 'group_interval', 'repeat_interval']) {
      if (route[key] !== undefined) route[key] = scaleDuration(route[key], speedUp);
    }
    for (const child of route.routes ?? []) scaleRoute(child);
  };
  scaleRoute(config.route);
  return { text: YAML.stringify(config, { lineWidth: 0 }), secrets };
}

module.exports = { parseDuration, scaleDuration, renderPrometheusConfig, renderRules, renderAlertmanagerConfig };
