import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import type { CollectionResult, MetricData, MetricProducer } from '@opentelemetry/sdk-metrics';
import { catalogueEntries, type Catalogue, type MetricDefinition, type MetricName } from './catalogue';
import { resolveCardinalityLimits } from './config';
import {
  Counter,
  Gauge,
  Histogram,
  ObservableCounter,
  ObservableGauge,
  UpDownCounter,
  type DropListener,
  type DropReason,
} from './instruments';
import { logger } from './logger';
import type { MetricRegistryOptions } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** The instrument class that records one catalogue metric. */
export type InstrumentFor<N extends MetricName> = {
  counter: Counter<N>;
  updowncounter: UpDownCounter<N>;
  gauge: Gauge<N>;
  histogram: Histogram<N>;
  observable_gauge: ObservableGauge<N>;
  observable_counter: ObservableCounter<N>;
}[Catalogue[N]['kind']];

/** Every catalogue metric, by its exact Prometheus name. */
export type CatalogueMetrics = { readonly [N in MetricName]: InstrumentFor<N> };

/**
 * Holds the values of every catalogue metric in plain JS cells and hands them to the OTel readers
 * at collection time, as a `MetricProducer`.
 *
 * Recording therefore costs a few nanoseconds instead of the SDK's per-call attribute hashing
 * (`bench/README.md`); the catalogue applies its own buckets, label allow-list and
 * cardinality limit, which is what the SDK's Views would do (the tests compare both paths).
 */
export class MetricRegistry implements MetricProducer {
  /** The typed instruments, keyed by metric name. */
  readonly metrics: CatalogueMetrics;
  private readonly _warnedDrops = new Set<string>();

  /** @throws TelemetryConfigError for an invalid `cardinalityLimits` entry */
  constructor(options: MetricRegistryOptions = {}) {
    const onDrop: DropListener = (metric, reason) => this._recordDrop(metric, reason);
    const limits = resolveCardinalityLimits(options.cardinalityLimits);
    const metrics: Record<string, unknown> = {};
    for (const [name, definition] of catalogueEntries()) {
      metrics[name] = createInstrument(name, { ...definition, cardinalityLimit: limits[name] }, onDrop);
    }
    this.metrics = metrics as unknown as CatalogueMetrics;
  }

  /** The current values of every catalogue metric with at least one series. */
  async collect(): Promise<CollectionResult> {
    return { resourceMetrics: this.collectSync(), errors: [] };
  }

  /** Synchronous form of {@link collect}, for callers that need no promise (tests, bench). */
  collectSync(): CollectionResult['resourceMetrics'] {
    const now = millisToHrTime(Date.now());
    const metrics: MetricData[] = [];
    for (const instrument of Object.values(this.metrics)) {
      const data = instrument.collect(now);
      if (data !== undefined) metrics.push(data);
    }
    return {
      resource: emptyResource(),
      scopeMetrics: [{ scope: { name: PACKAGE_NAME, version: PACKAGE_VERSION }, metrics }],
    };
  }

  private _recordDrop(metric: string, reason: DropReason): void {
    this.metrics.agent_telemetry_recordings_dropped_total.inc({ metric, reason });
    const key = `${metric}:${reason}`;
    if (!this._warnedDrops.has(key)) {
      this._warnedDrops.add(key);
      logger.warn(
        `dropped a recording of ${metric} (${reason}); ` +
          'further drops are counted in agent_telemetry_recordings_dropped_total',
      );
    }
  }
}

function createInstrument(name: MetricName, definition: MetricDefinition, onDrop: DropListener) {
  switch (definition.kind) {
    case 'counter':
      return new Counter(name, definition, onDrop);
    case 'updowncounter':
      return new UpDownCounter(name, definition, onDrop);
    case 'gauge':
      return new Gauge(name, definition, onDrop);
    case 'histogram':
      return new Histogram(name, definition, onDrop);
    case 'observable_gauge':
      return new ObservableGauge(name, definition, onDrop);
    case 'observable_counter':
      return new ObservableCounter(name, definition, onDrop);
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
