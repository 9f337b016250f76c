import { join } from 'node:path';
import { fixtureRunner } from '../../../../test-support/fixtures';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// The `fastify.initialization` subscriber added the route hook without a try/catch: Node rethrows
// a diagnostics-channel subscriber's exception as an uncaught exception, which ends the host.
const runFixture = fixtureRunner(join(__dirname, '..', 'fixtures'), 'http');

test('an exception while hooking into a Fastify instance is logged once and does not crash the process', async () => {
  const { lines, stderr } = await runFixture('fastify-broken-instance.js');
  expect(lines).toEqual(['still running']);
  // Once for the two instances; the console logger adds the stack of the cause.
  expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('    at '))).toEqual([
    '@agent-telemetry/instrumentation-http could not hook into a Fastify instance: its requests are recorded without their route template Error: addHook failed',
  ]);
});
