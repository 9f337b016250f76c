'use strict';
// Overhead of @agent-telemetry/instrumentation-llm per streamed call and per chunk: the same
// streamed chat completions through the real `openai` client, from a local SSE server in a
// separate process, with the instrumentation off and on, in alternating rounds of one process.
// "Off" runs the SDK's own `create` (what `disable()` restores), "on" the patched one, as
// `initTelemetry()` leaves it. CPU time per call is the instrumentation's cost to the service;
// wall time is dominated by the stream.

const { fork } = require('node:child_process');
const { createTelemetry } = require('@agent-telemetry/core');
const { createMetricsCollector } = require('@agent-telemetry/business-metrics');
const { createTelemetryPlugin } = require('@agent-telemetry/instrumentation-llm');
const { printTable, fixed, ratio } = require('./lib/common');
const { methodSwitch } = require('./lib/db-switch');

const ROUNDS = 41;
const CALLS = 20; // per variant and round
const CASES = [10, 100, 1000]; // chunks per stream

/** The provider, in the child process: a stream of `chunks` chunks per request, written at once. */
function serve() {
  const http = require('node:http');
  const server = http.createServer((req, res) => {
    const chunks = Number(req.headers['x-chunks'] ?? 10);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { model } = JSON.parse(body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model };
      let out = '';
      for (let i = 0; i < chunks; i++)
        out += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`;
      out += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
      out += `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 100, completion_tokens: chunks, total_tokens: 100 + chunks } })}\n\n`;
      res.end(`${out}data: [DONE]\n\n`);
    });
  });
  const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);
  server.listen(0, '127.0.0.1', () => send(/** @type {import('node:net').AddressInfo} */ (server.address()).port));
}

/** The measuring process: telemetry enabled before openai is loaded, as initTelemetry() does. */
function setUp() {
  const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {} });
  createTelemetryPlugin({ collector: createMetricsCollector(telemetry.metrics) }).enable(telemetry);
  const { OpenAI } = require('openai');
  const setInstrumentation = methodSwitch([[OpenAI.Chat.Completions.prototype, 'create']]);
  return { telemetry, OpenAI, setInstrumentation };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeCalls(call) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call();
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
  const { user, system } = process.cpuUsage(cpu);
  return { wall, cpu: (user + system) / CALLS };
}

async function main() {
  const { telemetry, OpenAI, setInstrumentation } = setUp();
  const server = fork(__filename, ['server'], { stdio: 'inherit' });
  const port = await new Promise((resolve) => server.once('message', resolve));
  const client = new OpenAI({ apiKey: 'bench', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  const rows = [
    [
      'chunks per stream',
      'off CPU µs/call',
      'on CPU µs/call',
      '+CPU µs/call',
      '+CPU µs/chunk',
      'CPU ratio',
      'wall ratio',
    ],
  ];
  for (const chunks of CASES) {
    const call = async () => {
      const stream = await client.chat.completions.create(
        {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'x' }],
          stream: true,
          stream_options: { include_usage: true },
        },
        { headers: { 'x-chunks': String(chunks) } },
      );
      for await (const _ of stream);
    };
    for (const on of [false, true]) {
      setInstrumentation(on);
      await timeCalls(call);
    }
    const samples = { off: { wall: [], cpu: [] }, on: { wall: [], cpu: [] } };
    const added = [];
    for (let round = 0; round < ROUNDS; round++) {
      const times = {};
      for (const variant of round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
        setInstrumentation(variant === 'on');
        times[variant] = await timeCalls(call);
        samples[variant].wall.push(times[variant].wall);
        samples[variant].cpu.push(times[variant].cpu);
      }
      added.push(times.on.cpu - times.off.cpu);
    }
    const [offCpu, onCpu, offWall, onWall] = [samples.off.cpu, samples.on.cpu, samples.off.wall, samples.on.wall].map(
      median,
    );
    rows.push([
      String(chunks),
      fixed(offCpu),
      fixed(onCpu),
      fixed(median(added)),
      (median(added) / (chunks + 2)).toFixed(3),
      ratio(onCpu, offCpu),
      ratio(onWall, offWall),
    ]);
  }
  setInstrumentation(true);
  server.kill();
  await telemetry.shutdown();
  process.stdout.write(
    `Medians of ${ROUNDS} alternating rounds of ${CALLS} sequential streamed calls per variant (openai ${require('openai/version').VERSION}).\n` +
      '+CPU: median of the per-round differences (on - off); per chunk: divided by the chunks of a stream (content, finish, usage). Ratios: on / off.\n\n',
  );
  printTable(rows);
}

if (process.argv[2] === 'server') {
  serve();
} else {
  main().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  });
}
