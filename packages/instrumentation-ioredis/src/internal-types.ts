import type { CatalogueMetrics } from '@agent-telemetry/core';

/** The catalogue metrics a command records into. */
export type RedisMetrics = Pick<CatalogueMetrics, 'redis_operations_total' | 'redis_operation_duration_seconds'>;

/** `Redis#sendCommand`. */
export type SendCommand = (this: RedisLike, command: unknown, ...rest: unknown[]) => unknown;

/** The parts of an ioredis `Command` the metric layer uses. */
export interface CommandLike {
  readonly name: string;
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
  readonly metrics: RedisMetrics | undefined;
  readonly includeHandshakeCommands: boolean;
  /** True the first time a command object is sent, false when ioredis sends it again. */
  firstSend(command: object): boolean;
}
