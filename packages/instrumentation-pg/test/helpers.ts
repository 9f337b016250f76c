import { randomBytes } from 'node:crypto';
import { family } from '../../../test-support/exposition';
import { instrument as instrumentPlugin, type Instrumented } from '../../../test-support/telemetry';
import { createTelemetryPlugin, type PgTelemetryOptions } from '../src';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A table name no other test (or earlier run) uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A fresh telemetry with the pg plugin enabled, as the brief of every test prescribes. */
export function instrument(options?: PgTelemetryOptions): Instrumented {
  return instrumentPlugin(createTelemetryPlugin(options));
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
