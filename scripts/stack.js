#!/usr/bin/env node
'use strict';
// `npm run stack`: the demo service with Prometheus (15 days of retention), Alertmanager and the
// node, postgres and redis exporters on loopback, without Docker. Prints the URLs; Ctrl-C stops
// everything. See monitoring/README.md.
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { DEFAULT_PORTS, startStack } = require('./lib/stack');

const USAGE = `usage: npm run stack [-- options]
  --dir DIR        configs, data and logs (default: ${path.join(os.tmpdir(), 'agent-telemetry-stack')})
  --secrets DIR    send notifications for real with the secrets in DIR (see monitoring/README.md);
                   without it they are printed here
  --speed-up N     divide scrape and evaluation intervals, alert "for"s and Alertmanager timers by N
                   (e.g. 15, with DEMO_ERROR_RATE=1, to see HighErrorRate fire within a minute)
  --retention D    how long Prometheus keeps data (default 15d)
  --free-ports     use free ports instead of the usual ones (8000, 9090, 9093, 9100, 9187, 9121)
Environment: PORT (demo, default 8000), DATABASE_URL, REDIS_URL, DEMO_ERROR_RATE, DEMO_TRAFFIC.`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: path.join(os.tmpdir(), 'agent-telemetry-stack') },
      secrets: { type: 'string' },
      'speed-up': { type: 'string', default: '1' },
      retention: { type: 'string', default: '15d' },
      'free-ports': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const speedUp = Number(values['speed-up']);
  if (!(speedUp >= 1)) throw new Error(`--speed-up must be a number >= 1, got "${values['speed-up']}"`);
  return { ...values, speedUp };
}

async function main() {
  let options;
  try {
    options = parseOptions();
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  let stopping;
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  let stack;
  const shutDown = (why, code) => {
    stopping ??= (async () => {
      console.log(`\n${why}: stopping the stack...`);
      await stack?.stop();
      console.log('stopped.');
      resolveDone(code);
    })();
  };

  console.log('starting the stack (demo, exporters, Alertmanager, Prometheus)...');
  try {
    stack = await startStack({
      workDir: path.resolve(options.dir),
      ports: options['free-ports'] ? {} : { ...DEFAULT_PORTS, demo: Number(process.env.PORT ?? DEFAULT_PORTS.demo) },
      secretsDir: options.secrets === undefined ? undefined : path.resolve(options.secrets),
      speedUp: options.speedUp,
      retention: options.retention,
      onUnexpectedExit: (name, info) =>
        shutDown(`${name} exited (${info.code ?? info.signal ?? info.error?.message})`, 1),
    });
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    return 1;
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutDown(signal, 0));

  const { urls } = stack;
  console.log(`
agent-telemetry stack is up:
  demo service        ${urls.metrics}
  Prometheus          ${urls.prometheus}  (alerts: ${urls.prometheus}/alerts; retention ${options.retention})
  Alertmanager        ${urls.alertmanager}
  node exporter       ${urls.nodeExporter}
  postgres exporter   ${urls.postgresExporter}
  redis exporter      ${urls.redisExporter}
Data and logs: ${stack.workDir}  (logs/<service>.log)
Grafana: import monitoring/grafana_dashboard.json with a Prometheus data source at ${urls.prometheus}.`);
  if (stack.sink !== undefined) {
    console.log('Notifications are printed below (give --secrets DIR to send them to PagerDuty, Slack, e-mail).');
    stack.sink.on('notification', (n) => console.log(`[notification] ${n.receiver}/${n.integration}: ${n.title}`));
  } else {
    console.log(`Notifications go out with the secrets in ${path.resolve(/** @type {string} */ (options.secrets))}.`);
  }
  console.log('Ctrl-C stops everything.');
  return done;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
