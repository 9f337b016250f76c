import { randomBytes } from 'node:crypto';
import { family } from '../../../test-support/exposition';
import { instrument as instrumentPlugin, type Instrumented } from '../../../test-support/telemetry';
import { createTelemetryPlugin, type IORedisTelemetryOptions } from '../src';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A key no other test (or earlier run) uses. */
export function uniqueKey(prefix: string): string {
  return `agent-telemetry-test:${prefix}:${randomBytes(4).toString('hex')}`;
}

/** A fresh telemetry with the ioredis plugin enabled, as the brief of every test prescribes. */
export function instrument(options?: IORedisTelemetryOptions): Instrumented {
  return instrumentPlugin(createTelemetryPlugin(options));
}

/** `redis_operations_total` samples, without HELP and TYPE. */
export async function operations(env: Instrumented): Promise<string[]> {
  return family(await env.telemetry.scrape(), 'redis_operations_total')
    .split('\n')
    .slice(2);
}
