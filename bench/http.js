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
  const servers = {};
  for (const variant of VARIANTS) servers[variant] = await startServer(variant);
  try {
    for (const variant of VARIANTS) await runLoad(servers[variant].port, 1); // warm-up (JIT, caches)
    const results = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    for (let round = 0; round < args.rounds; round++) {
      // Rotate the order each round so no variant always runs first or last.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) results[variant].push(await measure(servers[variant], args.seconds));
      process.stderr.write(`round ${round + 1}/${args.rounds} done\n`);
    }
    report(results);
  } finally {
    for (const variant of VARIANTS) servers[variant].child.send('exit');
  }
}

function startServer(variant) {
  const child = fork(SERVER, [variant], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', ({ port }) => resolve({ variant, child, port }));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
}

async function runLoad(port, seconds) {
  const { stdout } = await promisify(execFile)(process.execPath, [LOAD, port, args.connections, seconds, ...PATHS]);
  return JSON.parse(stdout);
}

async function measure(server, seconds) {
  const stopped = () => new Promise((resolve) => server.child.once('message', resolve));
  server.child.send('start');
  const load = await runLoad(server.port, seconds);
  const wait = stopped();
  server.child.send('stop');
  const { cpuMicros, requests } = await wait;
  if (load.errors > 0) throw new Error(`${server.variant}: ${load.errors} failed requests`);
  return { rps: load.requests / load.seconds, cpuPerRequest: cpuMicros / requests };
}

function report(results) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const base = { rps: median(results.none.map((r) => r.rps)), cpu: median(results.none.map((r) => r.cpuPerRequest)) };
  const rows = VARIANTS.map((variant) => {
    const rps = median(results[variant].map((r) => r.rps));
    const cpu = median(results[variant].map((r) => r.cpuPerRequest));
    return [variant, rps.toFixed(0), (rps / base.rps).toFixed(3), cpu.toFixed(1), (cpu / base.cpu).toFixed(3), (cpu - base.cpu).toFixed(1)];
  });
  const header = ['variant', 'req/s', 'x none', 'CPU µs/req', 'x none', '+µs/req'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\nhttp.createServer, loopback, ${args.connections} keep-alive connections, ${args.rounds} alternating rounds of ${args.seconds} s (medians)`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const ratio = (v) => median(results[v].map((r) => r.rps)) / base.rps;
  console.log(`\nagent-telemetry / prom-client throughput: ${(ratio('agent-telemetry') / ratio('prom-client')).toFixed(3)}`);
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
