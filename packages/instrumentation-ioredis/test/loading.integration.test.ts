import { join } from 'node:path';
import { fixtureRunner } from '../../../test-support/fixtures';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// The fixtures start agent-telemetry through @agent-telemetry/node (built), send a few commands
// and print the command counts of the exposition.
const run = fixtureRunner(join(__dirname, 'fixtures'), 'ioredis');

const EXPECTED = [
  'redis_operations_total{operation="set",status="success"} 1',
  'redis_operations_total{operation="get",status="success"} 1',
  'redis_operations_total{operation="del",status="success"} 1',
  'redis_operations_total{operation="quit",status="success"} 1',
];

test('CommonJS: node --require @agent-telemetry/node/register', async () => {
  expect(await run('--require', '@agent-telemetry/node/register', 'cjs-register.js')).toEqual({
    lines: EXPECTED,
    stderr: '',
  });
});

test('ES modules: node --import @agent-telemetry/node/register', async () => {
  expect(await run('--import', '@agent-telemetry/node/register', 'esm-register.mjs')).toEqual({
    lines: EXPECTED,
    stderr: '',
  });
});

test('ioredis loaded before initTelemetry() is patched all the same', async () => {
  expect(await run('late-load.js')).toEqual({ lines: EXPECTED, stderr: '' });
});
