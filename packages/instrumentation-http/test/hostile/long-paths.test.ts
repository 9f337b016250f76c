// Issue 9, point 1. The endpoint of a path no route template matched is the normalised raw path:
// 100 of them are admitted, but each could be 16 KB and histograms repeat it on every bucket line.
// 800 ordinary requests (8 methods x 100 paths of 16,000 bytes) made every later scrape fail
// (500, `RangeError: Invalid string length`); 4,000-byte paths made a 137 MB scrape and a 650 MB
// process. Through Express with a global body parser, aborted POSTs did the same.
import { CUT_MARKER, MAX_LABEL_VALUE_LENGTH } from '@agent-telemetry/core';
import express from 'express';
import { createServer, request, type Server } from 'node:http';
import { instrument } from '../helpers';
import { parseSamples, promtoolCheck } from '../../../../test-support/exposition';
import { close, listen, send } from '../../../../test-support/http';
import type { Instrumented } from '../../../../test-support/telemetry';

jest.setTimeout(60_000);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD'];

/** A path of `length` bytes, distinct per `i` in its first characters, that stays literal. */
function longPath(i: number, length: number): string {
  const head = `/scan/page-${i}/`;
  return head + 'a'.repeat(length - head.length);
}

/** What the endpoint of `longPath(i, ...)` must read: its first 255 code units and the cut marker. */
function cutEndpoint(i: number): string {
  return longPath(i, MAX_LABEL_VALUE_LENGTH - CUT_MARKER.length) + CUT_MARKER;
}

let env: Instrumented;
let server: Server;
let port: number;

afterEach(async () => {
  await close(server);
  await env.stop();
});

/** Scrapes through the metrics handler on a real server, as Prometheus would. */
async function scrapeOverHttp(): Promise<{ status: number; text: string }> {
  const metrics = createServer(env.telemetry.metricsHandler);
  const metricsPort = await listen(metrics);
  try {
    const reply = await send(metricsPort, '/metrics');
    return { status: reply.status, text: reply.body };
  } finally {
    await close(metrics);
  }
}

describe.each([16_000, 4_000])('800 requests with %i-byte paths to a plain http server', (length) => {
  test('every scrape answers 200, each endpoint is cut to the label length limit, and promtool accepts it', async () => {
    env = instrument();
    server = createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    port = await listen(server);
    for (let i = 0; i < 100; i++) {
      const replies = await Promise.all(METHODS.map((method) => send(port, longPath(i, length), { method })));
      expect(replies.map((reply) => reply.status)).toEqual(METHODS.map(() => 200));
    }

    for (let scrape = 0; scrape < 2; scrape++) {
      const { status, text } = await scrapeOverHttp();
      expect(status).toBe(200);
      // 800 series in each of four metrics, three of them histograms: about 10 MB, against the
      // 137 MB (4,000-byte paths) or the failed scrape (16,000 bytes) this used to be.
      expect(Buffer.byteLength(text)).toBeLessThan(12 * 1024 * 1024);
      const samples = parseSamples(text);
      for (const sample of samples) {
        for (const value of Object.values(sample.labels))
          expect(value.length).toBeLessThanOrEqual(MAX_LABEL_VALUE_LENGTH);
      }
      const endpoints = new Set(
        samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels['endpoint']),
      );
      expect([...endpoints].sort()).toEqual(Array.from({ length: 100 }, (_, i) => cutEndpoint(i)).sort());
      expect(samples.filter((s) => s.name === 'http_requests_total').map((s) => s.value)).toEqual(
        Array.from({ length: 800 }, () => 1),
      );
      expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    }
  });
});

test('through Express with a global body parser, aborted POSTs with long paths are bounded the same way', async () => {
  env = instrument();
  const app = express();
  app.use(express.json());
  app.use((_req, res) => res.json({ ok: true }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;

  // Each POST announces a body it never finishes sending, then the client goes away: a 499.
  for (let i = 0; i < 100; i++) {
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: longPath(i, 16_000), method: 'POST', agent: false });
      req.setHeader('content-type', 'application/json');
      req.setHeader('content-length', '1000');
      req.on('error', () => resolve());
      req.write('{"partial":', () => setTimeout(() => req.destroy(), 5));
    });
  }
  // Disconnects are recorded when the server sees the connection close.
  for (;;) {
    const text = await env.telemetry.scrape();
    if (
      /^http_requests_total\{[^}]*status_code="499"\} /m.test(text) &&
      !/^http_requests_in_flight [1-9]/m.test(text)
    ) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { status, text } = await scrapeOverHttp();
  expect(status).toBe(200);
  const requests = parseSamples(text).filter((sample) => sample.name === 'http_requests_total');
  expect(requests.map((sample) => sample.labels)).toEqual(
    Array.from({ length: 100 }, (_, i) => ({ method: 'POST', endpoint: cutEndpoint(i), status_code: '499' })),
  );
  expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
});
