'use strict';
// The local monitoring stack without Docker: the demo service, the node, postgres and redis
// exporters, Alertmanager and Prometheus, all on loopback, configured from the committed files in
// monitoring/. Used by `npm run stack` (scripts/stack.js) and by monitoring/test/stack.e2e.test.ts.
const fs = require('node:fs');
const path = require('node:path');
const { renderAlertmanagerConfig, renderPrometheusConfig, renderRules, scaleDuration } = require('./stack-config');
const { startNotificationSink } = require('./stack-notifications');
const { choosePort, findBinary, isReady, startProcess } = require('./stack-processes');

const ROOT = path.resolve(__dirname, '..', '..');
const MONITORING = path.join(ROOT, 'monitoring');
const DEMO_MAIN = path.join(ROOT, 'examples', 'marketplace-service', 'dist', 'main.js');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** @typedef {import('./stack-notifications').Notification} Notification */
/** @typedef {import('./stack-notifications').NotificationSink} NotificationSink */
/** @typedef {import('./stack-processes').ExitInfo} ExitInfo */
/** @typedef {import('./stack-processes').ServiceHandle} ServiceHandle */
/** @typedef {'demo' | 'prometheus' | 'alertmanager' | 'nodeExporter' | 'postgresExporter' | 'redisExporter'} StackService */

/**
 * Options of {@link startStack}.
 * @typedef {object} StackOptions
 * @property {string} workDir
 * @property {Partial<Record<StackService, number>>} [ports]
 * @property {number} [speedUp]
 * @property {string} [retention]
 * @property {Record<string, string>} [demoEnv]
 * @property {string} [secretsDir]
 * @property {string} [databaseUrl]
 * @property {string} [redisUrl]
 * @property {(name: string, info: ExitInfo) => void} [onUnexpectedExit]
 */

/**
 * A running stack.
 * @typedef {object} Stack
 * @property {string} workDir
 * @property {NotificationSink | undefined} sink the local notification sink; undefined when `secretsDir` was given
 * @property {Readonly<Record<'demo' | 'metrics' | 'prometheus' | 'alertmanager' | 'nodeExporter' | 'postgresExporter' | 'redisExporter', string>>} urls
 * @property {(env?: Record<string, string>) => Promise<void>} restartDemo
 * @property {() => Promise<void>} stop
 */

/**
 * The ports the services use by default, tried first by `npm run stack`.
 * @type {Readonly<Record<StackService, number>>}
 */
const DEFAULT_PORTS = Object.freeze({
  demo: 8000,
  prometheus: 9090,
  alertmanager: 9093,
  nodeExporter: 9100,
  postgresExporter: 9187,
  redisExporter: 9121,
});

const read = (file) => fs.readFileSync(path.join(MONITORING, file), 'utf8');

function writeFile(file, text, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

/** The postgres exporter's DSN: the service's DATABASE_URL, without TLS unless it asks for it. */
function postgresExporterDsn(databaseUrl) {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

function startDemo({ port, env, logDir }) {
  if (!fs.existsSync(DEMO_MAIN)) throw new Error(`${DEMO_MAIN} is missing: run npm run build`);
  return startProcess({
    name: 'demo',
    command: process.execPath,
    args: [DEMO_MAIN],
    env: { ...env, PORT: String(port) },
    logDir,
    readyUrl: `http://127.0.0.1:${port}/api/v1/metrics`,
  });
}

/**
 * @param {string} name
 * @param {readonly string[]} binaries
 * @param {{ port: number, args?: readonly string[], env?: Record<string, string>, logDir: string }} options
 */
function startExporter(name, binaries, { port, args = [], env, logDir }) {
  return startProcess({
    name,
    command: findBinary(binaries),
    args: [`--web.listen-address=127.0.0.1:${port}`, ...args],
    env,
    logDir,
    readyUrl: `http://127.0.0.1:${port}/metrics`,
  });
}

/**
 * Alertmanager with monitoring/alertmanager.yml (see renderAlertmanagerConfig for `sink`,
 * `secretsDir` and `speedUp`), its data in `<workDir>/alertmanager-data`, clustering off.
 * @param {{ workDir: string, port: number, sink?: Pick<NotificationSink, 'url' | 'smtp'>, secretsDir?: string, speedUp?: number, logDir?: string }} options
 * @returns {Promise<ServiceHandle>}
 */
async function startAlertmanager({
  workDir,
  port,
  sink,
  secretsDir,
  speedUp = 1,
  logDir = path.join(workDir, 'logs'),
}) {
  const dir = path.join(workDir, 'alertmanager');
  const rendered = renderAlertmanagerConfig(read('alertmanager.yml'), {
    secretsDir: secretsDir ?? path.join(dir, 'secrets'),
    sink,
    speedUp,
  });
  for (const [file, content] of Object.entries(rendered.secrets)) writeFile(file, content, 0o600);
  const configFile = path.join(dir, 'alertmanager.yml');
  writeFile(configFile, rendered.text);
  return startProcess({
    name: 'alertmanager',
    command: findBinary(['prometheus-alertmanager', 'alertmanager']),
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(workDir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty address turns gossip off (it would bind 9094 on every interface).
      '--cluster.listen-address=',
    ],
    logDir,
    readyUrl: `http://127.0.0.1:${port}/-/ready`,
  });
}

/**
 * Prometheus with monitoring/prometheus.yml and alert_rules.yml (see renderPrometheusConfig and
 * renderRules), its data in `<workDir>/prometheus-data`, kept for `retention`.
 */
async function startPrometheus({
  workDir,
  port,
  targets,
  alertmanager,
  retention = '15d',
  speedUp = 1,
  logDir = path.join(workDir, 'logs'),
}) {
  const dir = path.join(workDir, 'prometheus');
  const configFile = path.join(dir, 'prometheus.yml');
  writeFile(configFile, renderPrometheusConfig(read('prometheus.yml'), { targets, alertmanager, speedUp }));
  // rule_files is relative to the config file: the rendered rules sit beside it under the same name.
  writeFile(path.join(dir, 'alert_rules.yml'), renderRules(read('alert_rules.yml'), { speedUp }));
  return startProcess({
    name: 'prometheus',
    command: findBinary(['prometheus']),
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(workDir, 'prometheus-data')}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Firing alerts are re-sent this often; the first send can come before Alertmanager is
      // discovered, so a faster stack needs a faster resend too.
      `--rules.alert.resend-delay=${scaleDuration('1m', speedUp)}`,
    ],
    logDir,
    readyUrl: `http://127.0.0.1:${port}/-/ready`,
  });
}

/**
 * Starts the whole stack. Options:
 * - `workDir` (required): rendered configs, data and logs (`<workDir>/logs/<service>.log`);
 * - `ports`: preferred ports by service (DEFAULT_PORTS' keys); a busy or missing one is replaced
 *   by a free one;
 * - `speedUp` (default 1): divides intervals, `for`s and Alertmanager timers (tests);
 * - `retention` (default 15d, as the spec says);
 * - `demoEnv`: extra environment of the demo (DEMO_ERROR_RATE, DEMO_TRAFFIC, ...);
 * - `secretsDir`: deliver notifications for real with the secrets in this directory; without it
 *   they go to a local sink (`stack.sink`);
 * - `databaseUrl`, `redisUrl`: default DATABASE_URL, REDIS_URL or the local servers;
 * - `onUnexpectedExit(name, exitInfo)`: a service exited without stop().
 * Resolves with `{ urls, sink, workDir, restartDemo(env), stop() }`.
 * @param {StackOptions} options
 * @returns {Promise<Stack>}
 */
async function startStack(options) {
  const { workDir, speedUp = 1, retention = '15d', demoEnv = {}, secretsDir, onUnexpectedExit } = options;
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const logDir = path.join(workDir, 'logs');
  /** @type {Partial<Record<StackService, number>>} */
  const ports = {};
  const address = (service) => `127.0.0.1:${ports[service]}`;
  // Each service gets its preferred port if free, else a free one. A binary binds its port only
  // after we released it, so another process may take it in between: start again on a new port.
  const onFreePort = async (service, start) => {
    for (let attempt = 1; ; attempt++) {
      let port;
      do port = await choosePort(attempt === 1 ? options.ports?.[service] : 0);
      while (Object.entries(ports).some(([other, taken]) => other !== service && taken === port));
      ports[service] = port;
      try {
        return await start(port);
      } catch (error) {
        if (attempt === 3 || !/address already in use|EADDRINUSE/i.test(/** @type {Error} */ (error).message))
          throw error;
      }
    }
  };

  const sink = secretsDir === undefined ? await startNotificationSink() : undefined;
  const services = new Map();
  const watch = (handle) => {
    services.set(handle.name, handle);
    handle.exited.then((info) => {
      if (!handle.stopping && onUnexpectedExit) onUnexpectedExit(handle.name, info);
    });
    return handle;
  };
  const stop = async () => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await sink?.close();
  };
  const startAll = async (starts) => {
    const results = await Promise.allSettled(starts);
    for (const result of results) if (result.status === 'fulfilled') watch(result.value);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await stop();
      throw failed.reason;
    }
  };
  let demoEnvNow = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...demoEnv };

  // Prometheus last: its config names everyone else's ports.
  await startAll([
    onFreePort('demo', (port) => startDemo({ port, env: demoEnvNow, logDir })),
    onFreePort('nodeExporter', (port) =>
      startExporter('node-exporter', ['prometheus-node-exporter', 'node_exporter'], {
        port,
        // Debian turns the systemd collector on; without systemd it only logs errors.
        args: ['--no-collector.systemd'],
        logDir,
      }),
    ),
    onFreePort('postgresExporter', (port) =>
      startExporter('postgres-exporter', ['prometheus-postgres-exporter', 'postgres_exporter'], {
        port,
        env: { DATA_SOURCE_NAME: postgresExporterDsn(databaseUrl) },
        logDir,
      }),
    ),
    onFreePort('redisExporter', (port) =>
      startExporter('redis-exporter', ['prometheus-redis-exporter', 'redis_exporter'], {
        port,
        args: [`--redis.addr=${redisUrl}`],
        logDir,
      }),
    ),
    onFreePort('alertmanager', (port) => startAlertmanager({ workDir, port, sink, secretsDir, speedUp, logDir })),
  ]);
  await startAll([
    onFreePort('prometheus', (port) =>
      startPrometheus({
        workDir,
        port,
        retention,
        speedUp,
        logDir,
        alertmanager: address('alertmanager'),
        targets: {
          'agent-marketplace': address('demo'),
          'postgres-exporter': address('postgresExporter'),
          'redis-exporter': address('redisExporter'),
          'node-exporter': address('nodeExporter'),
        },
      }),
    ),
  ]);

  const http = (service, pathname = '') => `http://${address(service)}${pathname}`;
  return {
    workDir,
    sink,
    urls: {
      demo: http('demo'),
      metrics: http('demo', '/api/v1/metrics'),
      prometheus: http('prometheus'),
      alertmanager: http('alertmanager'),
      nodeExporter: http('nodeExporter', '/metrics'),
      postgresExporter: http('postgresExporter', '/metrics'),
      redisExporter: http('redisExporter', '/metrics'),
    },
    /** Restarts the demo on the same port, with `env` added to its environment. */
    async restartDemo(env = {}) {
      await services.get('demo').stop();
      demoEnvNow = { ...demoEnvNow, ...env };
      watch(await startDemo({ port: ports.demo, env: demoEnvNow, logDir }));
    },
    stop,
  };
}

module.exports = {
  DEFAULT_PORTS,
  choosePort,
  findBinary,
  isReady,
  startStack,
  startAlertmanager,
  startNotificationSink,
};
