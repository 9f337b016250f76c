'use strict';
// Server under test for bench/hostile.js: a plain http.createServer (every path answered 200)
// with initTelemetry(), its standalone metrics server on an ephemeral port. The parent asks it
// over IPC for its peak RSS; it first records ~argv[2] label sets.
const { initTelemetry } = require('@agent-telemetry/node');

// A child of bench/hostile.js, so `process.send` is there.
const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);

const telemetry = initTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, runtimeMetrics: false });
const http = require('node:http');

// ~`series` label sets in all, spread over five metrics (each keeps 1,999 and its overflow series).
const series = Number(process.argv[2] ?? 0);
const { metrics } = telemetry;
for (let i = 0; i < series / 5 - 1; i++) {
  const request = { method: 'GET', endpoint: `/api/v1/packages/${i >> 2}/runs`, status_code: 200 + (i % 4) };
  metrics.http_requests_total.inc(request);
  metrics.http_request_duration_seconds.observe(request, (i % 100) / 100);
  metrics.http_response_size_bytes.observe(request, i);
  metrics.agent_executions_total.inc({ package: `package-${i}`, tier: 'pro', status: 'success' });
  metrics.llm_tokens_used_total.inc({ provider: 'openai', model: `model-${i}`, type: 'input' }, i);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  // The standalone server is on: initTelemetry() above asks for it.
  const metricsServer = /** @type {NonNullable<typeof telemetry.metricsServer>} */ (telemetry.metricsServer);
  void metricsServer.listening.then(({ port: metricsPort }) =>
    send({ appPort: /** @type {import('node:net').AddressInfo} */ (server.address()).port, metricsPort }),
  );
});

process.on('message', (message) => {
  if (message === 'rss') send({ maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  else if (message === 'exit') process.exit(0);
});
