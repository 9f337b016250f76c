import type { CatalogueMetrics } from '@agent-telemetry/core';
import {
  cachedModule,
  NOOP_METER_PROVIDER,
  patchLoadedModules,
  resolveFrom,
} from '@agent-telemetry/core/instrumentation-support';
import type {
  InstrumentationModuleDefinition,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { PgInstrumentation as UpstreamPgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { dirname } from 'node:path';
import { recordDbError, type DbQueryMetrics } from './QueryTimer';
import type { PgMethod, PgMetricsHost, PoolLike } from './internal-types';
import { logger } from './logger';
import { clientConnectWithMetrics, poolConnectWithMetrics, queryWithMetrics } from './pgPatches';
import { PoolTracker } from './PoolTracker';
import { QuerySeries } from './QuerySeries';
import { summarizeSql } from './summarizeSql';
import type { PgTelemetryOptions } from './types';

export const DEFAULT_CONFIG: PgTelemetryOptions = { enabled: true, poolMetrics: true };

// Summaries of recent SQL texts, with their bound series: services send the same few statements
// over and over. Long texts (bulk inserts with inlined values) are summarized every time rather
// than kept.
const SUMMARY_CACHE_SIZE = 1000;
const CACHED_TEXT_LENGTH = 2048;

type Wrapper = (original: PgMethod) => PgMethod;

// The upstream class types `getConfig()` with its own options; the constructor and `setConfig()`
// store this package's. A declaration merged into the class narrows the type, with no runtime code.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- it only narrows getConfig()
export interface PgInstrumentation {
  getConfig(): PgTelemetryOptions;
}

/**
 * `@opentelemetry/instrumentation-pg`, extended with the catalogue's metrics.
 *
 * The upstream class makes the spans (they reach whatever tracer provider the service
 * registered). Where it wraps `Client#query`, `Client#connect` and `Pool#connect`, this class
 * puts the metric layer around its wrapper, so each method is patched once, unpatched by the
 * upstream `disable()`, and counted whether or not a span is recorded.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class PgInstrumentation extends UpstreamPgInstrumentation implements PgMetricsHost {
  readonly pools = new PoolTracker();
  private _metrics: DbQueryMetrics | undefined;
  private _removeGauges: (() => void) | undefined;
  /** Whether pools are tracked: only while their gauges are reported. */
  private _trackingPools = false;
  private readonly _seriesByText = new Map<string, QuerySeries>();
  private readonly _countedConnectErrors = new WeakSet<object>();
  /** True while the pg-pool module is being patched: its `connect` is the pool's, not a client's. */
  private _patchingPool = false;
  /** Set by `init()`, which the base constructor calls before field initializers run. */
  declare private _definitions: InstrumentationModuleDefinition[] | undefined;

  constructor(config: PgTelemetryOptions = {}) {
    // Created disabled: `enableMetrics()` patches once there is somewhere to record.
    super({ ...DEFAULT_CONFIG, ...config, enabled: false });
    // The upstream `db.client.*` metrics duplicate the catalogue's: they go nowhere.
    this.setMeterProvider(NOOP_METER_PROVIDER);
    // Every patch of the upstream class goes through `_wrap`: add the metric layer there.
    const upstreamWrap = this._wrap;
    this._wrap = (nodule, name, wrapper) =>
      upstreamWrap(
        nodule,
        name,
        this._withMetrics(String(name), wrapper as unknown as Wrapper) as unknown as typeof wrapper,
      );
  }

  override setConfig(config: PgTelemetryOptions = {}): void {
    super.setConfig({ ...DEFAULT_CONFIG, ...config });
  }

  get metrics(): DbQueryMetrics | undefined {
    return this._metrics;
  }

  /** Patches pg (if not yet) and records into `metrics` from now on. */
  enableMetrics(metrics: CatalogueMetrics): void {
    this._removeGauges?.();
    this._metrics = metrics;
    this._trackingPools = this.getConfig().poolMetrics !== false;
    this._removeGauges = this._trackingPools ? this.pools.observeInto(metrics) : undefined;
    this.enable();
  }

  override enable(): void {
    super.enable();
    this._patchLoadedModules();
  }

  /** Removes every patch and stops recording. */
  override disable(): void {
    super.disable();
    this._removeGauges?.();
    this._removeGauges = undefined;
    this._trackingPools = false;
    this._metrics = undefined;
  }

  trackPool(pool: PoolLike): void {
    if (this._trackingPools) this.pools.track(pool);
  }

  seriesFor(text: string): QuerySeries {
    let series = this._seriesByText.get(text);
    if (series === undefined) {
      const { operation, table } = summarizeSql(text);
      series = new QuerySeries(operation, table);
      if (text.length <= CACHED_TEXT_LENGTH) {
        if (this._seriesByText.size >= SUMMARY_CACHE_SIZE) this._seriesByText.clear();
        this._seriesByText.set(text, series);
      }
    }
    return series;
  }

  recordConnectError(error: unknown, reportedBy: 'client' | 'pool'): void {
    // A pool reports a client's failed attempt with the client's error object, or, when its own
    // connection timeout cut the attempt, with a new error (`cause`: the client's) that names the
    // real reason. The client's report is counted one turn of the event loop later, once the
    // pool (callback or promise) had its say, and only if the pool did not count it.
    if (reportedBy === 'client') setImmediate(() => this._countConnectError(error));
    else this._countConnectError(error);
  }

  private _countConnectError(error: unknown): void {
    const metrics = this._metrics;
    if (metrics === undefined) return;
    if (typeof error === 'object' && error !== null) {
      if (this._countedConnectErrors.has(error)) return;
      this._countedConnectErrors.add(error);
      const { cause } = error as { cause?: unknown };
      if (typeof cause === 'object' && cause !== null) this._countedConnectErrors.add(cause);
    }
    recordDbError(metrics, 'connect', error);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    const definitions = super.init();
    for (const definition of definitions) {
      const patch = definition.patch;
      if (definition.name !== 'pg-pool' || patch === undefined) continue;
      definition.patch = (exports, version) => {
        this._patchingPool = true;
        try {
          return patch(exports, version);
        } finally {
          this._patchingPool = false;
        }
      };
    }
    this._definitions ??= definitions;
    return definitions;
  }

  /** Composes the metric layer around the upstream wrapper of the methods that need one. */
  private _withMetrics(name: string, wrapper: Wrapper): Wrapper {
    if (name === 'query' && !this._patchingPool)
      return (original) => queryWithMetrics({ original, traced: wrapper(original) }, this);
    if (name === 'connect') {
      const withMetrics = this._patchingPool ? poolConnectWithMetrics : clientConnectWithMetrics;
      return (original) => withMetrics({ original, traced: wrapper(original) }, this);
    }
    return wrapper;
  }

  /** Patches pg and pg-pool if the service (or this package) loaded them, or began to, before `enable()`. */
  private _patchLoadedModules(): void {
    const pgEntry = resolveFrom('pg', process.cwd(), __dirname);
    patchLoadedModules(
      this,
      this._definitions ?? [],
      // pg-pool is pg's dependency: look for it from pg, not from here.
      (name) => {
        if (name === 'pg') return cachedModule('pg', process.cwd(), __dirname);
        return pgEntry === undefined ? undefined : cachedModule(name, dirname(pgEntry));
      },
      logger,
    );
  }
}
