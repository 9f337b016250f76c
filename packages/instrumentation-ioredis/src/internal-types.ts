import type { CatalogueMetrics } from '@agent-telemetry/core';
import type { CommandSeries } from './CommandSeries';

/** The catalogue metrics a command records into. */
export type RedisMetrics = Pick<CatalogueMetrics, 'redis_operations_total' | 'redis_operation_duration_seconds'>;

/** `Redis#sendCommand`. */
export type SendCommand = (this: RedisLike, command: unknown, ...rest: unknown[]) => unknown;

/**
 * Set on a command at its first send. ioredis sends a command again after it waited offline or
 * its connection dropped; the mark tells the second send apart (a WeakSet of sent commands cost
 * more than the rest of the metric layer, bench/db.js).
 */
export const SENT: unique symbol = Symbol('agent-telemetry.ioredis.sent');

/** The parts of an ioredis `Command` the metric layer uses. */
export interface CommandLike {
  readonly name: string;
  [SENT]?: true;
  resolve(value: unknown): unknown;
  reject(error: unknown): unknown;
}

/** The parts of an ioredis client the metric layer reads. */
export interface RedisLike {
  /** `wait`, `connecting`, `connect` (handshake), `ready`, `reconnecting`, `end`, ... */
  readonly status: string;
}

/** What the patched `sendCommand` needs from the instrumentation. */
export interface RedisMetricsHost {
  /** Where to record; undefined while the plugin is disabled (the patch then only passes through). */
  readonly series: CommandSeries | undefined;
  readonly includeHandshakeCommands: boolean;
}
