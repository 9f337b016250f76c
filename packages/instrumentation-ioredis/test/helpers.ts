import { createTelemetry, type Telemetry, type TelemetryPlugin } from '@agent-telemetry/core';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createTelemetryPlugin, type IORedisTelemetryOptions } from '../src';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A key no other test (or earlier run) uses. */
export function uniqueKey(prefix: string): string {
  return `agent-telemetry-test:${prefix}:${randomBytes(4).toString('hex')}`;
}

export interface Instrumented {
  readonly telemetry: Telemetry;
  readonly plugin: TelemetryPlugin;
  stop(): Promise<void>;
}

/** A fresh telemetry with the ioredis plugin enabled, as the brief of every test prescribes. */
export function instrument(options?: IORedisTelemetryOptions): Instrumented {
  const plugin = createTelemetryPlugin(options);
  const telemetry = createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { dropMeters: plugin.upstreamMeters });
  plugin.enable(telemetry);
  return {
    telemetry,
    plugin,
    stop: async () => {
      plugin.disable();
      await telemetry.shutdown();
    },
  };
}

/** The lines of one metric family (HELP, TYPE, samples) in the exposition. */
export function family(exposition: string, name: string): string {
  const lines = exposition.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`# HELP ${name} `));
  if (start === -1) return '';
  let end = start + 1;
  while (end < lines.length && !lines[end]!.startsWith('# HELP ') && lines[end] !== '') end++;
  return lines.slice(start, end).join('\n');
}

/** `redis_operations_total` samples, without HELP and TYPE. */
export async function operations(env: Instrumented): Promise<string[]> {
  return family(await env.telemetry.scrape(), 'redis_operations_total').split('\n').slice(2);
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
