'use strict';
// HTTP server overhead: req/s and server CPU µs per request of a plain http.createServer with
// no instrumentation, with prom-client recorded by hand, and with agent-telemetry's
// instrumentation-http. Each variant runs in its own server process; load comes from another
// process (bench/lib/http-load.js). Rounds alternate between the variants so that drift of a
// shared machine spreads over all of them; medians are reported.
//
//   node bench/http.js [--rounds 7] [--seconds 3] [--connections 32]
const { fork, execFile } = require('node:child_process');
const path = require('node:path');
const { promisify } = require('node:util');
const { fixed, printTable, ratio } = require('./lib/common');

const args = parseArgs({ rounds: 7, seconds: 3, connections: 32 });
const VARIANTS = ['none', 'prom-client', 'agent-telemetry'];
// Paths with ids, as real clients send them: the instrumentation must turn them into templates.
const PATHS = [
  '/api/v1/agents/42/execute',
  '/api/v1/packages/7f3c9a2e-1b4d-4c8a-9e6f-2d5b8a1c3e7f',
  '/api/v1/customers/1042?include=usage',
  '/api/v1/agents/1337/execute',
];
const SERVER = path.join(__dirname, 'lib', 'http-server.js');
const LOAD = path.join(__dirname, 'lib', 'http-load.js');

async function main() {
  /** @type {Record<string, { variant: string, child: import('node:child_process').ChildProcess, port: number }>} */
  const servers = {};
  for (const variant of VARIANTS) servers[variant] = await startServer(variant);
  try {
    for (const variant of VARIANTS) await runLoad(servers[variant].port, 1); // warm-up (JIT, caches)
    const results = Object.fromEntries(
      VARIANTS.map((v) => [v, /** @type {{ rps: number, cpuPerRequest: number }[]} */ ([])]),
    );
    for (let round = 0; round < args.rounds; round++) {
      // Rotate the order each round so no variant always runs first or last.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) results[variant].push(await measure(servers[variant], args.seconds));
      process.stderr.write(`round ${round + 1}/${args.rounds} done\n`);
    }
    report(results);
    for (const variant of VARIANTS.slice(1)) {
      const { recorded, served } = await ask(servers[variant], 'recorded');
      process.stdout.write(`${variant}: ${recorded} of ${served} requests served recorded in http_requests_total\n`);
    }
  } finally {
    for (const variant of VARIANTS) servers[variant].child.send('exit');
  }
}

function startServer(variant) {
  const child = fork(SERVER, [variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({ variant, child, port: /** @type {{ port: number }} */ (message).port }),
    );
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
}

async function runLoad(port, seconds) {
  const { stdout } = await promisify(execFile)(process.execPath, [LOAD, port, args.connections, seconds, ...PATHS]);
  return JSON.parse(stdout);
}

/** Sends `message` to a server process and resolves with its answer. */
function ask(server, message) {
  const answer = new Promise((resolve) => server.child.once('message', resolve));
  server.child.send(message);
  return answer;
}

async function measure(server, seconds) {
  server.child.send('start');
  const load = await runLoad(server.port, seconds);
  const { cpuMicros, requests } = await ask(server, 'stop');
  if (load.errors > 0) throw new Error(`${server.variant}: ${load.errors} failed requests`);
  return { rps: load.requests / load.seconds, cpuPerRequest: cpuMicros / requests };
}

function report(results) {
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const rps = Object.fromEntries(VARIANTS.map((v) => [v, median(results[v].map((r) => r.rps))]));
  const cpu = Object.fromEntries(VARIANTS.map((v) => [v, median(results[v].map((r) => r.cpuPerRequest))]));
  process.stdout.write(
    `http.createServer on loopback, ${args.connections} keep-alive connections, ` +
      `${args.rounds} alternating rounds of ${args.seconds} s, medians\n\n`,
  );
  printTable([
    ['variant', 'req/s', 'req/s vs none', 'server CPU µs/req', 'CPU vs none', '+µs/req'],
    ...VARIANTS.map((v) => [
      v,
      fixed(rps[v], 0),
      ratio(rps[v], rps.none),
      fixed(cpu[v]),
      ratio(cpu[v], cpu.none),
      fixed(cpu[v] - cpu.none),
    ]),
  ]);
  const ours = rps['agent-telemetry'] / rps.none;
  const theirs = rps['prom-client'] / rps.none;
  process.stdout.write(
    `\nthroughput kept: agent-telemetry ${ours.toFixed(3)}x, prom-client by hand ${theirs.toFixed(3)}x ` +
      `(target: agent-telemetry >= prom-client) -> ${ours >= theirs ? 'met' : 'NOT met'}\n`,
  );
}

function parseArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults)) throw new Error(`unknown option --${key} (accepted: ${Object.keys(defaults).join(', ')})`);
    out[key] = Number(argv[i + 1]);
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
