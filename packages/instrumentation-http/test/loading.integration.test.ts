import { join } from 'node:path';
import { fixtureRunner, type FixtureOutput } from '../../../test-support/fixtures';

// Child processes (Node, npm, the binaries) start slowly on a loaded machine.
jest.setTimeout(30_000);

// The fixtures start agent-telemetry through @agent-telemetry/node (built), serve a few
// requests, and print the http_requests_total and client-count samples.
const runFixture = fixtureRunner(join(__dirname, 'fixtures'), 'http');

async function run(...args: string[]): Promise<FixtureOutput> {
  const { lines, stderr } = await runFixture(...args);
  // Ports are ephemeral: show them as <port>.
  return { lines: lines.map((line) => line.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<port>')), stderr };
}

test('CommonJS: initTelemetry() before requiring Express', async () => {
  const { lines, stderr } = await run('cjs-init.js');
  expect(lines).toEqual([
    'http_requests_total{method="GET",endpoint="/api/v1/agents/:id",status_code="200"} 2',
    'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 1',
    'http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:<port>",status_code="200"} 2',
    'http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:<port>",status_code="404"} 1',
  ]);
  expect(stderr).toBe('');
});

test('CommonJS: node --require @agent-telemetry/node/register, no telemetry code in the app', async () => {
  const { lines, stderr } = await run('--require', '@agent-telemetry/node/register', 'cjs-register.js');
  expect(lines).toEqual([
    'http_requests_total{method="GET",endpoint="/api/v1/agents/:id/execute",status_code="200"} 2',
    'http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:<port>",status_code="200"} 2',
  ]);
  expect(stderr).toBe('');
});

test('ES modules: node --import @agent-telemetry/node/register, Express routes and a named import of request', async () => {
  const { lines, stderr } = await run('--import', '@agent-telemetry/node/register', 'esm-register.mjs');
  expect(lines).toEqual([
    'http_requests_total{method="GET",endpoint="/api/v1/packages/:packageId/versions/:version",status_code="200"} 2',
    'http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:<port>",status_code="200"} 2',
  ]);
  expect(stderr).toBe('');
});

test('enabled after http and Express were loaded: servers are still recorded, the rest is explained in warnings', async () => {
  const { lines, stderr } = await run('late-load.js');
  expect(lines).toEqual([
    // The server was created before: Server#emit is patched on the prototype, so it is recorded.
    'http_requests_total{method="GET",endpoint="/created/before/:id",status_code="200"} 1',
    'http_requests_total{method="GET",endpoint="/taken/before/:id",status_code="200"} 1',
    // Only the request made through the patched http.get; the `get` taken before is missing.
    'http_client_request_duration_seconds_count{method="GET",host="127.0.0.1:<port>",status_code="200"} 1',
  ]);
  expect(stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      /^@agent-telemetry\/instrumentation-http express was loaded before agent-telemetry's HTTP instrumentation was enabled: routes it registered before now are recorded without their template\. Start agent-telemetry before the application loads: /,
    ),
    expect.stringMatching(
      /^@agent-telemetry\/instrumentation-http an outgoing HTTP request did not go through the instrumented http\.request\/http\.get and is not recorded: the function was probably taken before agent-telemetry was enabled/,
    ),
  ]);
});
