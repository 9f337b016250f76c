'use strict';
// What hostile traffic costs the service (issue 9). Not a test: it prints figures.
//
// 1. Long request paths: 800 requests (8 methods x 100 distinct paths of N bytes) to a plain
//    `http` server with initTelemetry(), then one scrape of its standalone metrics server: the
//    scrape's status and size, and the server's peak RSS (its own `process.resourceUsage()`).
// 2. Concurrent scrapes of ~10k series: the wall time of N scrapes sent at once, against one
//    scrape alone (one alternating run), and the service's p50 request latency meanwhile.
// The server runs in its own process (bench/lib/hostile-server.js); this one is the load generator.
const { fork } = require('node:child_process');
const http = require('node:http');
const { join } = require('node:path');
const { printTable, fixed } = require('./lib/common');

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD'];

function startServer(series = 0) {
  const child = fork(join(__dirname, 'lib', 'hostile-server.js'), [String(series)], { stdio: 'inherit' });
  const ports = new Promise((resolve) => child.once('message', resolve));
  return {
    ports,
    ask: (message) => new Promise((resolve) => (child.once('message', resolve), child.send(message))),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.send('exit'))),
  };
}

/** One request; resolves with status, body size and milliseconds taken. */
function get(port, path, method = 'GET') {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () =>
        resolve({ status: res.statusCode, bytes, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
      );
    });
    req.on('error', (err) => resolve({ status: /** @type {NodeJS.ErrnoException} */ (err).code, bytes: 0, ms: 0 }));
    req.end();
  });
}

/** A path of exactly `length` bytes, distinct per `i`, that the normaliser leaves literal. */
function longPath(i, length) {
  const head = `/scan/page-${i}/`;
  return head + 'a'.repeat(length - head.length);
}

async function longPaths(length) {
  const server = startServer();
  const { appPort, metricsPort } = await server.ports;
  for (let i = 0; i < 100; i++) {
    await Promise.all(METHODS.map((method) => get(appPort, longPath(i, length), method)));
  }
  const scrape = await get(metricsPort, '/metrics');
  const { maxRssBytes } = await server.ask('rss');
  await server.stop();
  return [`${length}-byte paths`, scrape.status, fixed(scrape.bytes / 1e6, 2), fixed(maxRssBytes / 1e6, 0)];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

async function concurrentScrapes(counts) {
  const server = startServer(10_000);
  const { appPort, metricsPort } = await server.ports;
  await get(metricsPort, '/metrics'); // warm-up
  const rows = [];
  const one = [];
  for (const count of counts) {
    const times = [];
    let latency = 0;
    for (let round = 0; round < 3; round++) {
      // Alternating: one scrape alone, then `count` at once while the app is asked every 10 ms.
      one.push((await get(metricsPort, '/metrics')).ms);
      const start = process.hrtime.bigint();
      const pings = [];
      let scraping = true;
      const pinger = (async () => {
        while (scraping) {
          pings.push((await get(appPort, '/ping')).ms);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const scrapes = await Promise.all(Array.from({ length: count }, () => get(metricsPort, '/metrics')));
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      scraping = false;
      await pinger;
      latency = Math.max(latency, median(pings));
      if (scrapes.some((s) => s.status !== 200)) throw new Error('a scrape failed');
    }
    rows.push([
      `${count} concurrent scrapes`,
      fixed(median(times), 0),
      `${fixed(median(times) / median(one), 1)}x`,
      fixed(latency, 1),
    ]);
  }
  await server.stop();
  return [['1 scrape alone', fixed(median(one), 0), '1.0x', '-'], ...rows];
}

async function main() {
  const long = [['case', 'scrape status', 'scrape MB', 'server peak RSS MB']];
  for (const length of [4_000, 16_000]) long.push(await longPaths(length));
  printTable(long);
  process.stdout.write('\n');
  printTable([
    ['~10k series', 'wall ms', 'vs one scrape', 'app p50 ms (worst round)'],
    ...(await concurrentScrapes([20, 50])),
  ]);
}

main().catch((err) => {
  process.exitCode = 1;
  process.stderr.write(`${err.stack}\n`);
});
