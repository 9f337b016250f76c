import type { HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type Histogram as HistogramValue,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { Labels, MetricRef } from './catalogue';
import { Instrument, rejection, ValueInstrument } from './Instrument';
import { logger } from './logger';

abstract class SumInstrument<R extends MetricRef> extends ValueInstrument<R> {
  protected abstract readonly _monotonic: boolean;

  collect(now: HrTime): MetricData | undefined {
    if (this._table.size === 0) return undefined;
    return {
      descriptor: this._descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: this._monotonic,
      dataPoints: this._points(now, (cell) => cell.value),
    };
  }
}

/** A counter bound to one label set. */
export interface BoundCounter {
  /** Adds `value` (default 1). Negative or non-finite values are dropped and counted. */
  inc(value?: number): void;
}

/** A monotonic counter (`_total`). */
export class Counter<R extends MetricRef> extends SumInstrument<R> {
  protected readonly _monotonic = true;

  /** Adds `value` (default 1) to the series of `labels`. Negative or non-finite values are dropped and counted. */
  readonly inc = (labels: Labels<R>, value: number = 1): void => {
    // Checked before the lookup: a dropped value creates no series (nor does the OTel SDK).
    const reason = rejection(value, false);
    if (reason !== undefined) return this._drop(reason);
    const cell = this._cellFor(labels);
    if (cell !== undefined) this._add(cell, value);
  };

  /** Binds a label set once, for hot paths that record many times. */
  readonly labels = (labels: Labels<R>): BoundCounter => {
    const cell = this._cellFor(labels, true);
    return {
      inc: (value = 1) => {
        const reason = cell === undefined ? 'invalid_label' : rejection(value, false);
        if (reason !== undefined) this._drop(reason);
        else this._add(cell!, value);
      },
    };
  };
}

/** An up-down counter bound to one label set. */
export interface BoundUpDownCounter {
  /** Adds `value` (default 1). A non-finite value is dropped and counted. */
  inc(value?: number): void;
  /** Subtracts `value` (default 1). A non-finite value is dropped and counted. */
  dec(value?: number): void;
}

/** A sum that goes up and down (things in progress), exposed as a gauge. */
export class UpDownCounter<R extends MetricRef> extends SumInstrument<R> {
  protected readonly _monotonic = false;

  /** Adds `value` (default 1) to the series of `labels`. A non-finite value is dropped and counted. */
  readonly inc = (labels: Labels<R>, value: number = 1): void => this._record(labels, value, 1);

  /** Subtracts `value` (default 1) from the series of `labels`. A non-finite value is dropped and counted. */
  readonly dec = (labels: Labels<R>, value: number = 1): void => this._record(labels, value, -1);

  /** Binds a label set once, for hot paths such as a request's in-flight count. */
  readonly labels = (labels: Labels<R>): BoundUpDownCounter => {
    const cell = this._cellFor(labels, true);
    const add = (value: number, sign: 1 | -1): void => {
      const reason = cell === undefined ? 'invalid_label' : rejection(value, true);
      if (reason !== undefined) this._drop(reason);
      else this._add(cell!, sign * value);
    };
    return { inc: (value = 1) => add(value, 1), dec: (value = 1) => add(value, -1) };
  };

  /** The value is checked before it is negated: `-'5'` would be a number. */
  private _record(labels: Labels<R>, value: number, sign: 1 | -1): void {
    const reason = rejection(value, true);
    if (reason !== undefined) return this._drop(reason);
    const cell = this._cellFor(labels);
    if (cell !== undefined) this._add(cell, sign * value);
  }
}

/** A gauge bound to one label set. */
export interface BoundGauge {
  /** Sets the value. A non-finite value is dropped and counted. */
  set(value: number): void;
}

/** What both gauges share: one value per series, reported as gauge data. */
abstract class GaugeInstrument<R extends MetricRef> extends ValueInstrument<R> {
  collect(now: HrTime): MetricData | undefined {
    if (this._table.size === 0) return undefined;
    return {
      descriptor: this._descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: this._points(now, (cell) => cell.value),
    };
  }
}

/** A gauge that keeps the last value set. */
export class Gauge<R extends MetricRef> extends GaugeInstrument<R> {
  /** Sets the series of `labels` to `value`. A non-finite value is dropped and counted. */
  readonly set = (labels: Labels<R>, value: number): void => {
    const reason = rejection(value, true);
    if (reason !== undefined) return this._drop(reason);
    const cell = this._cellFor(labels);
    if (cell !== undefined) cell.value = value;
  };

  /** Binds a label set once, for hot paths that set it many times. */
  readonly labels = (labels: Labels<R>): BoundGauge => {
    const cell = this._cellFor(labels, true);
    return {
      set: (value) => {
        const reason = cell === undefined ? 'invalid_label' : rejection(value, true);
        if (reason !== undefined) this._drop(reason);
        else cell!.value = value;
      },
    };
  };
}

interface HistogramCell {
  /** Per-bucket (not cumulative) counts, `+Inf` last; a packed double array, as fast as a Float64Array. */
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** A histogram bound to one label set. */
export interface BoundHistogram {
  /** Records one observation. Negative or non-finite values are dropped and counted. */
  observe(value: number): void;
}

/** An explicit-bucket histogram with the catalogue's bucket boundaries. */
export class Histogram<R extends MetricRef> extends Instrument<R, HistogramCell> {
  // One copy for every collection: the serializer caches the rendered `le` texts per array.
  private readonly _bounds: number[] = [...(this.definition.buckets ?? [])];

  /** Records `value` in the series of `labels`. Negative or non-finite values are dropped and counted. */
  readonly observe = (labels: Labels<R>, value: number): void => {
    // OTel's Histogram rejects negative values too: sums of durations and sizes must not shrink.
    const reason = rejection(value, false);
    if (reason !== undefined) return this._drop(reason);
    const cell = this._cellFor(labels);
    if (cell !== undefined) this._record(cell, value);
  };

  /** Binds a label set once, for hot paths that record many times. */
  readonly labels = (labels: Labels<R>): BoundHistogram => {
    const cell = this._cellFor(labels, true);
    return {
      observe: (value) => {
        const reason = cell === undefined ? 'invalid_label' : rejection(value, false);
        if (reason !== undefined) this._drop(reason);
        else this._record(cell!, value);
      },
    };
  };

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  readonly startTimer = (labels: Labels<R>): (() => number) => {
    const start = process.hrtime.bigint();
    const cell = this._cellFor(labels, true);
    return () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (cell !== undefined) this._record(cell, seconds);
      else this._drop('invalid_label');
      return seconds;
    };
  };

  collect(now: HrTime): MetricData | undefined {
    if (this._table.size === 0) return undefined;
    const boundaries = this._bounds;
    return {
      descriptor: this._descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: this._points<HistogramValue>(now, (cell) => ({
        // A copy: the exporters read the point after collection, while recording goes on.
        buckets: { boundaries, counts: cell.counts.slice() },
        sum: cell.sum,
        count: cell.count,
        min: cell.count > 0 ? cell.min : undefined,
        max: cell.count > 0 ? cell.max : undefined,
      })),
    };
  }

  protected _newCell(): HistogramCell {
    return {
      // From the definition: the base constructor makes a label-less metric's cell before `_bounds` is set.
      counts: new Array<number>((this.definition.buckets?.length ?? 0) + 1).fill(0),
      sum: 0,
      count: 0,
      min: Infinity,
      max: -Infinity,
    };
  }

  /** Records a value already checked to be finite and not negative, unless the sum would overflow. */
  private _record(cell: HistogramCell, value: number): void {
    const sum = cell.sum + value;
    if (sum === Infinity) return this._drop('sum_overflow');
    const bounds = this._bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    cell.counts[i]!++;
    cell.sum = sum;
    cell.count++;
    if (value < cell.min) cell.min = value;
    if (value > cell.max) cell.max = value;
  }
}

/** Reports the current values of an observable instrument; called at every collection. */
export type ObservableCallback<R extends MetricRef> = (observe: (labels: Labels<R>, value: number) => void) => void;

/**
 * The callbacks of an observable instrument. Values are read synchronously at each collection;
 * a failing callback is reported once (and told to `onError` every time, to be counted) and never
 * takes the other metrics of the scrape down.
 */
class Callbacks<R extends MetricRef> {
  private readonly _callbacks = new Set<ObservableCallback<R>>();
  private readonly _failed = new WeakSet<ObservableCallback<R>>();

  constructor(private readonly _metric: string) {}

  get size(): number {
    return this._callbacks.size;
  }

  add(callback: ObservableCallback<R>): () => void {
    this._callbacks.add(callback);
    return () => this._callbacks.delete(callback);
  }

  /** Runs every callback; `observe` takes what they report. */
  run(observe: (labels: Labels<R>, value: number) => void, onError: (err: unknown) => void): void {
    const failed = (callback: ObservableCallback<R>, err: unknown): void => {
      onError(err);
      this._failedOnce(callback, err);
    };
    for (const callback of this._callbacks) {
      try {
        const result: unknown = callback(observe);
        // An async callback's values come too late, but its rejection must still not go unhandled.
        if (result instanceof Promise) result.catch((err: unknown) => failed(callback, err));
      } catch (err) {
        failed(callback, err);
      }
    }
  }

  /** Logs a callback's first failure only: it runs at every scrape. */
  private _failedOnce(callback: ObservableCallback<R>, err: unknown): void {
    if (this._failed.has(callback)) return;
    this._failed.add(callback);
    logger.error(`callback of ${this._metric} failed; later failures of it are not logged`, err);
  }
}

/** A gauge whose values are read by callbacks when metrics are collected. */
export class ObservableGauge<R extends MetricRef> extends GaugeInstrument<R> {
  private readonly _callbacks = new Callbacks<R>(this.name);

  /**
   * Adds a callback; returns a function that removes it. Values of all callbacks are summed.
   * Callbacks are read synchronously: a promise one returns is not awaited.
   */
  readonly addCallback = (callback: ObservableCallback<R>): (() => void) => this._callbacks.add(callback);

  /** @param onError told of each callback failure (every time: the caller counts them) */
  override collect(now: HrTime, onError: (err: unknown) => void = () => {}): MetricData | undefined {
    if (this._callbacks.size === 0) return undefined;
    this._table.clear();
    this._callbacks.run((labels, value) => this._observe(labels, value, true), onError);
    return super.collect(now);
  }
}

/**
 * A counter whose totals are read by callbacks when metrics are collected (CPU seconds, bytes a
 * library counted itself). Each callback reports the current total, never an increment.
 */
export class ObservableCounter<R extends MetricRef> extends SumInstrument<R> {
  protected readonly _monotonic = true;
  private readonly _callbacks = new Callbacks<R>(this.name);
  private readonly _startTime = millisToHrTime(Date.now());

  /** Adds a callback; returns a function that removes it. Totals of all callbacks are summed. */
  readonly addCallback = (callback: ObservableCallback<R>): (() => void) => this._callbacks.add(callback);

  /** @param onError told of each callback failure (every time: the caller counts them) */
  override collect(now: HrTime, onError: (err: unknown) => void = () => {}): MetricData | undefined {
    if (this._callbacks.size === 0) return undefined;
    this._table.clear();
    this._callbacks.run((labels, value) => this._observe(labels, value, false), onError);
    return super.collect(now);
  }

  // The table starts afresh at each collection, the totals do not.
  protected override _startTimeOf(): HrTime {
    return this._startTime;
  }
}
