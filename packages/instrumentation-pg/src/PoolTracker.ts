import type { CatalogueMetrics } from '@agent-telemetry/core';
import type { PoolLike } from './internal-types';

/** The four pool gauges. */
export type PoolGaugeMetrics = Pick<
  CatalogueMetrics,
  'db_connections_active' | 'db_connections_idle' | 'db_connections_waiting' | 'db_connections_max'
>;

interface PoolTotals {
  active: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * The live `pg.Pool`s, seen at their first `connect()` (which `pool.query()` also goes through),
 * read by the pool gauges at collection time. Pools are held weakly: one the service drops
 * without `end()` leaves with the garbage collector.
 */
export class PoolTracker {
  private readonly _pools = new Set<WeakRef<PoolLike>>();
  private readonly _seen = new WeakSet<PoolLike>();

  /** The pools held: the live ones, and those ended or collected since the last pruning. */
  get size(): number {
    return this._pools.size;
  }

  track(pool: PoolLike): void {
    if (this._seen.has(pool)) return;
    this._seen.add(pool);
    // Pruned here as well as at collection: without scrapes, a service that creates and ends
    // pool after pool would otherwise keep a reference for each of them.
    this._prune();
    this._pools.add(new WeakRef(pool));
  }

  /**
   * Adds the gauge callbacks; returns a function that removes them. The gauges are absent while
   * no pool is live.
   */
  observeInto(metrics: PoolGaugeMetrics): () => void {
    const removers = [
      metrics.db_connections_active.addCallback((observe) => this._observe(observe, (t) => t.active)),
      metrics.db_connections_idle.addCallback((observe) => this._observe(observe, (t) => t.idle)),
      metrics.db_connections_waiting.addCallback((observe) => this._observe(observe, (t) => t.waiting)),
      metrics.db_connections_max.addCallback((observe) => this._observe(observe, (t) => t.max)),
    ];
    return () => removers.forEach((remove) => remove());
  }

  private _observe(
    observe: (labels: Record<string, never>, value: number) => void,
    read: (totals: PoolTotals) => number,
  ): void {
    const totals = this._totals();
    if (totals !== undefined) observe({}, read(totals));
  }

  private _totals(): PoolTotals | undefined {
    let totals: PoolTotals | undefined;
    for (const pool of this._prune()) {
      totals ??= { active: 0, idle: 0, waiting: 0, max: 0 };
      // Checked out = opened (or opening) minus idle: what the pool exhaustion alert reads.
      totals.active += pool.totalCount - pool.idleCount;
      totals.idle += pool.idleCount;
      totals.waiting += pool.waitingCount;
      totals.max += pool.options.max ?? 0;
    }
    return totals;
  }

  /** Forgets the pools that ended or were collected; returns the others. */
  private _prune(): PoolLike[] {
    const live: PoolLike[] = [];
    for (const ref of this._pools) {
      const pool = ref.deref();
      if (pool === undefined || pool.ended === true) this._pools.delete(ref);
      else live.push(pool);
    }
    return live;
  }
}
