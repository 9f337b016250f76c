import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import { TimeoutError, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import {
  catalogueEntries,
  DEFAULT_CARDINALITY_LIMIT,
  type DefinitionOf,
  type MetricName,
  type MetricRef,
  type MetricShape,
} from './catalogue';
import { resolveCardinalityLimits } from './config';
import type { DropReason, InstrumentListeners } from './Instrument';
import { Counter, Gauge, Histogram, ObservableCounter, ObservableGauge, UpDownCounter } from './instruments';
import { logger } from './logger';
import { resolveMetricTable, type MetricTable, type NoMetrics } from './metricTable';
import { ThrottledLog } from './ThrottledLog';
import type { MetricRegistryOptions } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The instrument class that records one metric: a catalogue metric, or one of the service's own. */
export type InstrumentFor<R extends MetricRef> = {
  counter: Counter<R>;
  updowncounter: UpDownCounter<R>;
  gauge: Gauge<R>;
  histogram: Histogram<R>;
  observable_gauge: ObservableGauge<R>;
  observable_counter: ObservableCounter<R>;
}[DefinitionOf<R>['kind']];

/** Every catalogue metric, by its exact Prometheus name. */
export type CatalogueMetrics = { readonly [N in MetricName]: InstrumentFor<N> };

/** The instruments of a table of the service's own metrics, by name. */
export type MetricsOf<T extends MetricTable> = { readonly [N in keyof T]: InstrumentFor<T[N]> };

/** The catalogue's instruments and those of the service's own table. */
export type RegistryMetrics<T extends MetricTable> = CatalogueMetrics & MetricsOf<T>;

type AnyInstrument = ReturnType<typeof createInstrument>;

/**
 * Holds the values of every catalogue metric in plain JS cells and hands them to the OTel readers
 * at collection time, as a `MetricProducer`.
 *
 * Recording therefore costs a few nanoseconds instead of the SDK's per-call attribute hashing
 * (`bench/README.md`); the catalogue applies its own buckets, label allow-list and
 * cardinality limit, which is what the SDK's Views would do (the tests compare both paths).
 */
export class MetricRegistry<T extends MetricTable = NoMetrics> implements MetricProducer {
  /** The typed instruments, keyed by metric name: the catalogue's, then the service's own. */
  readonly metrics: RegistryMetrics<T>;
  private readonly _instruments: Record<string, AnyInstrument> = {};
  /** The service's own metrics defined so far. */
  private readonly _defined = new Map<string, MetricShape>();
  private readonly _listeners: InstrumentListeners = {
    onDrop: (metric, reason) => this._recordDrop(metric, reason),
    onOverflow: (metric) => this._recordOverflow(metric),
  };
  private readonly _collectionErrorLog = new ThrottledLog(
    'metric collection failed (counted in agent_telemetry_collection_errors_total)',
  );

  /**
   * @throws TelemetryConfigError for an invalid `cardinalityLimits` entry or `metrics` row
   */
  constructor(options: MetricRegistryOptions<T> = {}) {
    const limits = resolveCardinalityLimits(options.cardinalityLimits);
    for (const [name, definition] of catalogueEntries()) {
      this._instruments[name] = createInstrument(
        name,
        { ...definition, cardinalityLimit: limits[name] },
        this._listeners,
      );
    }
    this.metrics = this._instruments as unknown as RegistryMetrics<T>;
    if (options.metrics !== undefined) this.define(options.metrics);
  }

  /**
   * Adds metrics of the service's own (a `defineMetrics()` table), recorded, bounded and exported
   * as the catalogue's are; `metrics` then holds them too. Adding the same table again changes
   * nothing; a name taken by the catalogue or by another definition is an error.
   *
   * @returns this registry, typed with the new metrics
   * @throws TelemetryConfigError for an invalid row or a name that clashes
   */
  define<const U extends MetricTable>(table: U): MetricRegistry<T & U> {
    for (const [name, metric] of resolveMetricTable(table, this._defined)) {
      this._instruments[name] = createInstrument(name, metric, this._listeners);
      this._defined.set(name, metric);
    }
    return this as unknown as MetricRegistry<T & U>;
  }

  /** The service's own metrics defined so far, with their defaults applied (for the docs). */
  definedMetrics(): ReadonlyMap<string, MetricShape> {
    return this._defined;
  }

  /** The current values of every catalogue metric with at least one series. */
  async collect(): Promise<CollectionResult> {
    return { resourceMetrics: this.collectSync(), errors: [] };
  }

  /** Synchronous form of {@link collect}, for callers that need no promise (tests, bench). */
  collectSync(): CollectionResult['resourceMetrics'] {
    const now = millisToHrTime(Date.now());
    const metrics: MetricData[] = [];
    // Observable instruments log a callback's first failure themselves; each failure is counted.
    const onCallbackError = () => this._self.agent_telemetry_collection_errors_total.inc({ reason: 'callback_error' });
    for (const instrument of Object.values(this._instruments)) {
      const data = instrument.collect(now, onCallbackError);
      if (data !== undefined) metrics.push(data);
    }
    return {
      resource: emptyResource(),
      scopeMetrics: [{ scope: { name: PACKAGE_NAME, version: PACKAGE_VERSION }, metrics }],
    };
  }

  /**
   * Counts the errors an OTel collection returned (callbacks of the service's own instruments that
   * threw, rejected or passed the collection deadline) and logs them at most once a minute: they
   * recur at every scrape.
   */
  recordCollectionErrors(errors: readonly unknown[]): void {
    if (errors.length === 0) return;
    for (const error of errors) {
      const reason = error instanceof TimeoutError ? 'timeout' : 'callback_error';
      this._self.agent_telemetry_collection_errors_total.inc({ reason });
    }
    this._collectionErrorLog.error(...errors);
  }

  /** The catalogue's instruments, agent-telemetry's own metrics among them. */
  private get _self(): CatalogueMetrics {
    return this.metrics;
  }

  private _recordDrop(metric: string, reason: DropReason): void {
    this._self.agent_telemetry_recordings_dropped_total.inc({ metric, reason });
    this._warnOnce(
      `drop:${metric}:${reason}`,
      `dropped a recording of ${metric} (${reason}); ` +
        'further drops are counted in agent_telemetry_recordings_dropped_total',
    );
  }

  private _recordOverflow(metric: string): void {
    this._self.agent_telemetry_cardinality_overflow_total.inc({ metric });
    const limit = this._instruments[metric]?.definition.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
    this._warnOnce(
      `overflow:${metric}`,
      `${metric} reached its cardinality limit of ${limit} label sets; further label sets are folded ` +
        'into its otel_metric_overflow="true" series and counted in agent_telemetry_cardinality_overflow_total',
    );
  }

  private _warnOnce(key: string, message: string): void {
    if (logger.once(key)) logger.warn(message);
  }
}

function createInstrument(name: string, definition: MetricShape, listeners: InstrumentListeners) {
  switch (definition.kind) {
    case 'counter':
      return new Counter(name, definition, listeners);
    case 'updowncounter':
      return new UpDownCounter(name, definition, listeners);
    case 'gauge':
      return new Gauge(name, definition, listeners);
    case 'histogram':
      return new Histogram(name, definition, listeners);
    case 'observable_gauge':
      return new ObservableGauge(name, definition, listeners);
    case 'observable_counter':
      return new ObservableCounter(name, definition, listeners);
  }
}

const DEFAULT_REGISTRY = Symbol.for('agent-telemetry.defaultRegistry');

/**
 * The process-wide registry, as prom-client's global `register`: `initTelemetry()` exports it, and
 * helpers (decorators, the metrics collector) record into it by default. Recordings made before
 * `initTelemetry()` are kept. It lives on `globalThis` so that two copies of this package in one
 * process still share it.
 */
export function defaultRegistry(): MetricRegistry {
  const holder = globalThis as { [DEFAULT_REGISTRY]?: MetricRegistry };
  return (holder[DEFAULT_REGISTRY] ??= new MetricRegistry());
}
