import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// Every way a Node service starts, each in a process of its own (the require and import hooks only
// exist outside jest's module registry), with the same application: an Express route, Redis
// commands, a Postgres query (fixtures/startup/workload.cjs). All instrumentations are on.
const FIXTURES = join(__dirname, 'fixtures', 'startup');
const TSX = require.resolve('tsx/cli');

const PATTERNS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [
    'node --require @agent-telemetry/node/register (CommonJS)',
    ['--require', '@agent-telemetry/node/register', 'app.cjs'],
  ],
  [
    'node --import @agent-telemetry/node/register (ES modules)',
    ['--import', '@agent-telemetry/node/register', 'app.mjs'],
  ],
  ['initTelemetry() first thing in CommonJS', ['init-first.cjs']],
  ['initTelemetry() in the first ES module import', ['first-import.mjs']],
  ["the service's own --import preload", ['--import', './telemetry.mjs', 'app.mjs']],
  ['initTelemetry() then a dynamic import() (ES modules)', ['dynamic-import.mjs']],
  ['initTelemetry() then a dynamic import() (CommonJS)', ['dynamic-import.cjs']],
  ['tsx, TypeScript as CommonJS', [TSX, 'ts/app.ts']],
  ['tsx, TypeScript as an ES module', [TSX, 'ts/app.mts']],
];

interface Run {
  readonly lines: string[];
  readonly stderr: string;
}

async function start(args: readonly string[]): Promise<Run> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
    cwd: FIXTURES,
    env: {
      ...process.env,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      AGENT_TELEMETRY_RUNTIME_METRICS: 'false',
    },
    timeout: 30_000,
  });
  return { lines: stdout.trim().split('\n'), stderr };
}

describe.each(PATTERNS)('%s', (_pattern, args) => {
  let run: Run;
  beforeAll(async () => {
    run = await start(args);
  });

  test('Express: the route template of each request', () => {
    expect(run.lines.filter((line) => line.startsWith('http_'))).toEqual([
      'http_requests_total{method="GET",endpoint="/api/v1/agents/:agentId",status_code="200"} 2',
    ]);
  });

  test('pg: the query', () => {
    expect(run.lines.filter((line) => line.startsWith('db_'))).toEqual([
      'db_query_duration_seconds_count{operation="select",table="pg_catalog.pg_class"} 1',
    ]);
  });

  test('ioredis: every command', () => {
    expect(run.lines.filter((line) => line.startsWith('redis_'))).toEqual([
      'redis_operations_total{operation="set",status="success"} 1',
      'redis_operations_total{operation="del",status="success"} 1',
      'redis_operations_total{operation="quit",status="success"} 1',
    ]);
  });

  test('no warning and no error', () => {
    expect(run.stderr).toBe('');
  });
});
