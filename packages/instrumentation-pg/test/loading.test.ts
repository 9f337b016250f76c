import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Real Node processes: the require and import hooks only exist outside jest's module registry.
// The fixtures start agent-telemetry through @agent-telemetry/node (built), run a few queries
// and print the query counts of the exposition.
const FIXTURES = join(__dirname, 'fixtures');
const ENV = {
  ...process.env,
  // Only this package's instrumentation.
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,ioredis',
  OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  OTEL_EXPORTER_PROMETHEUS_PORT: '0',
  AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
};
const EXPECTED = [
  'db_query_duration_seconds_count{operation="create",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="insert",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="select",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="drop",table="<table>"} 1',
];

async function run(...args: string[]): Promise<{ lines: string[]; stderr: string }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: FIXTURES, env: ENV, timeout: 20_000 });
  return { lines: stdout.trim().split('\n'), stderr };
}

test('CommonJS: node --require @agent-telemetry/node/register', async () => {
  expect(await run('--require', '@agent-telemetry/node/register', 'cjs-register.js')).toEqual({ lines: EXPECTED, stderr: '' });
});

test('ES modules: node --import @agent-telemetry/node/register', async () => {
  expect(await run('--import', '@agent-telemetry/node/register', 'esm-register.mjs')).toEqual({ lines: EXPECTED, stderr: '' });
});

test('pg loaded before initTelemetry() is patched all the same', async () => {
  expect(await run('late-load.js')).toEqual({ lines: EXPECTED, stderr: '' });
});
