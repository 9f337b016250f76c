import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { instrument, pipelinedGets, samples } from './helpers';
import { close, listen } from '../../../test-support/http';
import type { Instrumented } from '../../../test-support/telemetry';

// A client scanning random paths must not grow the series without bound.
describe('endpoint cardinality under a random-path scan', () => {
  let env: Instrumented;
  let server: Server;

  afterEach(async () => {
    await close(server);
    await env.stop();
  });

  test('100,000 random paths answered 200 by a catch-all handler: at most maxEndpoints endpoints, then "overflow"', async () => {
    env = instrument();
    server = createServer((_req, res) => res.end('ok'));
    const port = await listen(server);
    const paths = Array.from({ length: 100_000 }, randomPath);
    expect(await pipelinedGets(port, paths)).toBe(100_000);

    const counters = await samples(env.telemetry, 'http_requests_total');
    // 100 endpoints admitted (whichever arrived first), one overflow series for the rest.
    expect(counters).toHaveLength(101);
    const endpoints = counters.map((line) => /endpoint="([^"]*)"/.exec(line)![1]);
    expect(new Set(endpoints).size).toBe(101);
    expect(endpoints.filter((endpoint) => endpoint === 'overflow')).toHaveLength(1);
    for (const endpoint of endpoints.filter((e) => e !== 'overflow')) {
      expect(endpoint).toMatch(/^\/(scan\/[a-z]+\/(:id|:uuid|:token)|api\/v1\/agents\/:id\/execute)$/);
    }
    expect(counters.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0)).toBe(100_000);
    const exposition = await env.telemetry.scrape();
    for (const name of [
      'http_request_duration_seconds_count',
      'http_response_size_bytes_count',
      'http_request_size_bytes_count',
    ]) {
      expect([name, exposition.split('\n').filter((line) => line.startsWith(`${name}{`)).length]).toEqual([name, 101]);
    }
  }, 60_000);

  test('random paths answered 404 all share the "unmatched" endpoint', async () => {
    env = instrument();
    server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const port = await listen(server);
    expect(await pipelinedGets(port, Array.from({ length: 20_000 }, randomPath))).toBe(20_000);
    expect(await samples(env.telemetry, 'http_requests_total')).toEqual([
      'http_requests_total{method="GET",endpoint="unmatched",status_code="404"} 20000',
    ]);
  }, 60_000);
});

/** What a scanner sends: random words and ids, and once in a while a real path with a new id. */
function randomPath(): string {
  const word = randomBytes(6)
    .toString('hex')
    .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!);
  switch (randomInt(4)) {
    case 0:
      return `/scan/${word}/${randomInt(1e9)}`;
    case 1:
      return `/scan/${word}/${randomUUID()}`;
    case 2:
      return `/scan/${word}/${randomBytes(18).toString('base64url').replace(/^/, 'A1b')}?q=${word}`;
    default:
      return `/api/v1/agents/${randomInt(1e6)}/execute`;
  }
}
