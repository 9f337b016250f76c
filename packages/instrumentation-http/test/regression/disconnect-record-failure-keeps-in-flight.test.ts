import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { instrument, scrape } from '../helpers';
import { captureDiag, type CapturedDiag } from '../../../../test-support/diag';
import { close, listen } from '../../../../test-support/http';
import type { Instrumented } from '../../../../test-support/telemetry';

// When a connection closed with several requests unanswered, one failure to record (a user's
// normalizeEndpoint throwing) stopped the loop: the requests after it were never recorded and
// http_requests_in_flight stayed high for the life of the process.
describe('a failure to record one request cut by a disconnect', () => {
  let env: Instrumented;
  let server: Server;
  let diag: CapturedDiag;

  afterEach(async () => {
    diag.stop();
    await close(server);
    await env.stop();
  });

  test('the other requests of the connection are recorded, in flight returns to 0, the error is logged once', async () => {
    diag = captureDiag();
    env = instrument({
      normalizeEndpoint: (path) => {
        if (path.startsWith('/bad')) throw new Error('normaliser failed');
        return path;
      },
    });
    const reached: string[] = [];
    let notify: () => void = () => {};
    const allReached = new Promise<void>((resolve) => (notify = resolve));
    // Never answers: the requests are open when the client goes away.
    server = createServer((req) => {
      reached.push(req.url!);
      if (reached.length === 3) notify();
    });
    const port = await listen(server);

    // Three pipelined requests on one keep-alive connection, all open on the server at once.
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(
      ['/bad/1', '/good', '/bad/2'].map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).join(''),
    );
    await allReached;
    expect(await scrape(env.telemetry, 'http_requests_in_flight')).toContain('\nhttp_requests_in_flight 3\n');
    socket.destroy();
    await waitFor(async () =>
      (await scrape(env.telemetry, 'http_requests_in_flight')).includes('\nhttp_requests_in_flight 0\n'),
    );

    expect(reached).toEqual(['/bad/1', '/good', '/bad/2']);
    expect(await scrape(env.telemetry, 'http_requests_total', 'http_requests_in_flight')).toBe(
      [
        '# HELP http_requests_total HTTP requests served, by method, route template and status code.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",endpoint="/good",status_code="499"} 1',
        '# HELP http_requests_in_flight HTTP requests being served now.',
        '# TYPE http_requests_in_flight gauge',
        'http_requests_in_flight 0',
        '',
      ].join('\n'),
    );
    expect(diag.errors).toEqual([
      expect.stringContaining('failed to record a request cut by a disconnect Error: normaliser failed'),
    ]);
  });
});

/** Polls `condition` for up to 2 s (the server sees a disconnect a moment after the client). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
