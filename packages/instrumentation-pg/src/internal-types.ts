import type { DbQueryMetrics } from './QueryTimer';
import type { QuerySeries } from './QuerySeries';

/** Any function of pg we wrap (`query`, `connect`). */
export type PgMethod = (this: unknown, ...args: unknown[]) => unknown;

/** What the patched pg methods need from the instrumentation. */
export interface PgMetricsHost {
  /** Where to record; undefined while the plugin is disabled (the patches then only pass through). */
  readonly metrics: DbQueryMetrics | undefined;
  /** Registers a pool for the pool gauges; does nothing while they are off (`poolMetrics: false`). */
  trackPool(pool: PoolLike): void;
  /** The labels of a SQL text and their series (cached). */
  seriesFor(text: string): QuerySeries;
  /** Counts a failed connection attempt once, however many layers (client, pool) report it. */
  recordConnectError(error: unknown, reportedBy: 'client' | 'pool'): void;
}

/** The parts of a `pg.Pool` (pg-pool) the gauges read. */
export interface PoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  /** Set once `end()` has closed every client. */
  readonly ended?: boolean;
  readonly options: { readonly max?: number };
}

/**
 * A custom query object pg accepts (`pg.Query`, pg-cursor, pg-query-stream): pg calls one of
 * these two methods when the server has answered.
 */
export interface Submittable {
  submit(connection: unknown): void;
  handleError(error: unknown, connection: unknown): unknown;
  handleReadyForQuery(connection: unknown): unknown;
}
