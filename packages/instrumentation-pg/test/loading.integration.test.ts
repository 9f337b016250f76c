import { join } from 'node:path';
import { fixtureRunner } from '../../../test-support/fixtures';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// The fixtures start agent-telemetry through @agent-telemetry/node (built), run a few queries
// and print the query counts of the exposition.
const run = fixtureRunner(join(__dirname, 'fixtures'), 'pg');

const EXPECTED = [
  'db_query_duration_seconds_count{operation="create",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="insert",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="select",table="<table>"} 1',
  'db_query_duration_seconds_count{operation="drop",table="<table>"} 1',
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

test('pg loaded before initTelemetry() is patched all the same', async () => {
  expect(await run('late-load.js')).toEqual({ lines: EXPECTED, stderr: '' });
});
