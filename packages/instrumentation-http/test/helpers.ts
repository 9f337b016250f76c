import type { Telemetry } from '@agent-telemetry/core';
import { connect } from 'node:net';
import { scrapeFamilies } from '../../../test-support/exposition';
import { instrument as instrumentPlugin, type Instrumented } from '../../../test-support/telemetry';
import { createTelemetryPlugin, type HttpInstrumentationOptions } from '../src';

/** A telemetry of its own (no server, no runtime metrics) with the HTTP plugin enabled on it. */
export function instrument(options?: HttpInstrumentationOptions): Instrumented {
  return instrumentPlugin(createTelemetryPlugin(options));
}

const DURATION_METRIC = /^http_(client_)?request_duration_seconds_(bucket|sum)/;

/**
 * The exposition lines of the metric families `names` (HELP, TYPE, samples), in scrape order.
 * Durations depend on timing: their finite buckets and sums read `<v>`; `+Inf` and counts stay.
 */
export async function scrape(telemetry: Telemetry, ...names: string[]): Promise<string> {
  return (await scrapeFamilies(telemetry, ...names))
    .split('\n')
    .map((line) => (DURATION_METRIC.test(line) && !line.includes('le="+Inf"') ? line.replace(/ \S+$/, ' <v>') : line))
    .join('\n');
}

/** The sample lines of one metric (no HELP/TYPE), as they appear in the exposition. */
export async function samples(telemetry: Telemetry, name: string): Promise<string[]> {
  return (await scrape(telemetry, name))
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

/**
 * Sends GET requests for `paths` over `connections` keep-alive sockets, pipelined, and resolves
 * with the number of responses: fast enough for 100,000 requests in a test.
 */
export function pipelinedGets(port: number, paths: readonly string[], connections = 8): Promise<number> {
  const perSocket = Math.ceil(paths.length / connections);
  const runs = [];
  for (let c = 0; c < connections; c++) {
    const mine = paths.slice(c * perSocket, (c + 1) * perSocket);
    if (mine.length > 0) runs.push(pipeline(port, mine));
  }
  return Promise.all(runs).then((counts) => counts.reduce((a, b) => a + b, 0));
}

function pipeline(port: number, paths: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).join(''));
    });
    socket.on('data', (chunk: string) => {
      pending += chunk;
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) break;
        const length = Number(/content-length: *(\d+)/i.exec(pending.slice(0, headerEnd))?.[1] ?? 0);
        if (pending.length < headerEnd + 4 + length) break;
        pending = pending.slice(headerEnd + 4 + length);
        received++;
      }
      if (received === paths.length) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}
