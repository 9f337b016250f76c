'use strict';
// Server under test for bench/http.js: a plain http.createServer answering a small JSON body,
// set up with one way of recording HTTP metrics (argv[2]). The parent tells it over IPC when a
// measured round starts and stops; it answers with its own CPU time and request count.
//
//   none             no instrumentation
//   prom-client      prom-client, recorded by hand in the handler (the same five metrics)
//   agent-telemetry  @agent-telemetry/instrumentation-http, as initTelemetry() enables it
const variant = process.argv[2];

// A child of bench/http.js, so `process.send` is there.
const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);

// Instrumentation must be enabled before `http` is first required (as with initTelemetry()).
const { record, recorded } = setUp(variant);
const http = require('node:http');

const BODY = '{"ok":true}';
let served = 0;
const server = http.createServer((req, res) => {
  served++;
  record(req, res);
  res.setHeader('content-type', 'application/json');
  res.end(BODY);
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () =>
  send({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }),
);

let cpuAtStart;
let servedAtStart = 0;
process.on('message', (message) => {
  if (message === 'start') {
    cpuAtStart = process.cpuUsage();
    servedAtStart = served;
  } else if (message === 'stop') {
    const cpu = process.cpuUsage(cpuAtStart);
    send({ cpuMicros: cpu.user + cpu.system, requests: served - servedAtStart });
  } else if (message === 'recorded') {
    // Proof that the variant records: the requests counted by its http_requests_total.
    recorded().then(
      (count) => send({ recorded: count, served }),
      (err) => {
        process.stderr.write(`${err.stack}\n`);
        process.exit(1);
      },
    );
  } else if (message === 'exit') {
    server.close();
    process.exit(0);
  }
});

function setUp(name) {
  switch (name) {
    case 'none':
      return { record: () => {}, recorded: async () => 0 };
    case 'prom-client':
      return promClientByHand();
    case 'agent-telemetry': {
      // As a service starts it; runtime metrics off, as prom-client's default metrics are here.
      const { initTelemetry } = require('@agent-telemetry/node');
      const telemetry = initTelemetry({ prometheus: { server: false }, runtimeMetrics: false });
      return { record: () => {}, recorded: async () => countedRequests(await telemetry.scrape()) };
    }
    default:
      throw new Error(`unknown variant ${name}`);
  }
}

/**
 * What a service typically writes by hand with prom-client: the same five metrics as
 * agent-telemetry records, the route taken from the path with numeric ids replaced.
 */
function promClientByHand() {
  const client = require('prom-client');
  const labelNames = ['method', 'endpoint', 'status_code'];
  const requests = new client.Counter({ name: 'http_requests_total', help: 'requests', labelNames });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'duration',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  });
  const sizeBuckets = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
  const requestSize = new client.Histogram({
    name: 'http_request_size_bytes',
    help: 'request size',
    labelNames: ['method', 'endpoint'],
    buckets: sizeBuckets,
  });
  const responseSize = new client.Histogram({
    name: 'http_response_size_bytes',
    help: 'response size',
    labelNames,
    buckets: sizeBuckets,
  });
  const inFlight = new client.Gauge({ name: 'http_requests_in_flight', help: 'in flight' });
  const recorded = async () => countedRequests(await client.register.metrics());
  const record = (req, res) => {
    const start = process.hrtime.bigint();
    inFlight.inc();
    res.once('finish', () => {
      inFlight.dec();
      const endpoint = req.url.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/:id');
      const labels = { method: req.method, endpoint, status_code: res.statusCode };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      requestSize.observe({ method: req.method, endpoint }, Number(req.headers['content-length'] ?? 0));
      responseSize.observe(labels, Number(res.getHeader('content-length') ?? 0));
    });
  };
  return { record, recorded };
}

/** The sum of the http_requests_total samples of an exposition. */
function countedRequests(exposition) {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('http_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
