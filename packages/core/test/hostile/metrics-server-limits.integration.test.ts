// Issue 9, point 5: the standalone metrics server used Node's default timeouts (idle sockets
// lived ~95 s) and had no connection cap: under `ulimit -n 1024`, 1,000 idle connections (no
// credentials needed) used up the process's file descriptors, and the service's own port refused
// connections. Short header, request and keep-alive timeouts and a connection cap.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { METRICS_SERVER_LIMITS } from '../../src';
import { parseSamples } from '../../../../test-support/exposition';
import { request } from '../../../../test-support/http';

jest.setTimeout(30_000);

const FD_LIMIT = 200;
const IDLE_CONNECTIONS = 300;
let service: ChildProcess | undefined;
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  service?.kill();
});

function startLimitedService(): Promise<{ appPort: number; metricsPort: number }> {
  const fixture = join(__dirname, '..', 'fixtures', 'limited-service.js');
  service = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT} && exec "${process.execPath}" "${fixture}"`]);
  return new Promise((resolve) =>
    createInterface({ input: service!.stdout! }).once('line', (line) => resolve(JSON.parse(line))),
  );
}

/** An idle connection (nothing sent); resolves once connected (or refused), with a promise of its close. */
function idleConnection(port: number): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    // Wrapped: a promise resolved with a promise would wait for that one.
    const connection = { closed: new Promise<void>((done) => socket.on('close', () => done())) };
    socket.on('error', () => {});
    socket.once('connect', () => resolve(connection));
    socket.once('close', () => resolve(connection));
  });
}

async function rejected(appPort: number, reason: string): Promise<number> {
  const samples = parseSamples((await request(`http://127.0.0.1:${appPort}/self`)).body);
  return (
    samples.find(
      (sample) =>
        sample.name === 'agent_telemetry_metrics_requests_rejected_total' && sample.labels['reason'] === reason,
    )?.value ?? 0
  );
}

test(`${IDLE_CONNECTIONS} idle connections under ulimit -n ${FD_LIMIT}: the service's own port still answers, the extra ones are refused and counted, the idle ones closed`, async () => {
  const { appPort, metricsPort } = await startLimitedService();
  const connections = await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, () => idleConnection(metricsPort)));

  // The process has file descriptors left: its own port accepts and answers.
  expect((await request(`http://127.0.0.1:${appPort}/`)).body).toBe('ok');
  // Connections past the cap were closed as soon as they were accepted, and counted.
  for (;;) {
    const refused = await rejected(appPort, 'connection_limit');
    if (refused >= IDLE_CONNECTIONS - METRICS_SERVER_LIMITS.maxConnections) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The ones held idle are closed by the server once they have not sent headers in time.
  await Promise.all(connections.map((connection) => connection.closed));
  const scrape = await request(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(scrape.status).toBe(200);
  expect(scrape.body).toContain('# TYPE agent_telemetry_metrics_requests_rejected_total counter');
});

test('the limits are the documented ones', () => {
  expect(METRICS_SERVER_LIMITS).toEqual({
    maxConnections: 64,
    headersTimeoutMillis: 5000,
    requestTimeoutMillis: 10000,
    keepAliveTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    timeoutCheckIntervalMillis: 1000,
  });
});
