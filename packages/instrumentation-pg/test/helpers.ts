import { createTelemetry, type Telemetry } from '@agent-telemetry/core';
import type { TelemetryPlugin } from '@agent-telemetry/core';
import { randomBytes } from 'node:crypto';
import { createTelemetryPlugin } from '../src';
import type { PgTelemetryOptions } from '../src';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A table name no other test (or earlier run) uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface Instrumented {
  readonly telemetry: Telemetry;
  readonly plugin: TelemetryPlugin;
  stop(): Promise<void>;
}

/** A fresh telemetry with the pg plugin enabled, as the brief of every test prescribes. */
export function instrument(options?: PgTelemetryOptions): Instrumented {
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
  const start = lines.indexOf(lines.find((line) => line.startsWith(`# HELP ${name} `)) ?? '');
  if (start === -1) return '';
  let end = start + 1;
  while (end < lines.length && !lines[end]!.startsWith('# HELP ') && lines[end] !== '') end++;
  return lines.slice(start, end).join('\n');
}

/**
 * The family with only the samples whose labels contain `labelFilter`, and the time-dependent
 * values (finite buckets, sums) replaced by `<v>`: counts, label sets and `le` bounds stay exact.
 */
export function samples(exposition: string, name: string, labelFilter: string): string {
  return family(exposition, name)
    .split('\n')
    .filter((line) => line.startsWith('#') || line.includes(labelFilter))
    .map((line) => (/_sum\{|_bucket\{.*,le="(?!\+Inf)/.test(line) ? line.replace(/ \S+$/, ' <v>') : line))
    .join('\n');
}
