import { ValueType, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type Histogram as HistogramValue,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { DEFAULT_CARDINALITY_LIMIT, type Labels, type MetricName, type MetricRef, type MetricShape } from './catalogue';
import { logger } from './logger';
import { SeriesTable, type Series } from './SeriesTable';

/** Why a recording was dropped; the `reason` label of `agent_telemetry_recordings_dropped_total`. */
export type DropReason = 'negative_value' | 'non_finite_value';

/** Called for every dropped recording, so drops are counted and reported, never silent. */
export type DropListener = (metric: string, reason: DropReason) => void;

interface Cell {
  value: number;
}

/** A metric's name: the literal one for a catalogue metric. */
export type NameOf<R extends MetricRef> = R extends MetricName ? R : string;

/** What every catalogue instrument shares: its series and how they become OTel metric data. */
abstract class Instrument<R extends MetricRef, C> {
  protected readonly _table: SeriesTable<C>;

  constructor(
    readonly name: NameOf<R>,
    readonly definition: MetricShape,
    protected readonly _onDrop: DropListener,
  ) {
    this._table = new SeriesTable(definition.labels, definition.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT, () =>
      this._newCell(),
    );
    // A metric without labels has exactly one series: expose it (as 0) from the start.
    if (definition.labels.length === 0) this._table.cellFor({});
  }

  /** The metric's data as the OTel SDK would report it, or undefined when it has no series. */
  abstract collect(now: HrTime): MetricData | undefined;

  protected abstract _newCell(): C;

  /** Counts a dropped recording; finite values are dropped only for being negative. */
  protected _drop(value: number): void {
    this._onDrop(this.name, Number.isFinite(value) ? 'negative_value' : 'non_finite_value');
  }

  protected _descriptor() {
    const { help, unit } = this.definition;
    return { name: this.name, description: help, unit, valueType: ValueType.DOUBLE };
  }

  protected _points<V>(now: HrTime, read: (cell: C) => V): DataPoint<V>[] {
    return this._table.series().map((series) => ({
      attributes: series.attributes,
      startTime: this._startTimeOf(series),
      endTime: now,
      value: read(series.cell),
    }));
  }

  /** When the value of a series began: its first recording, for most instruments. */
  protected _startTimeOf(series: Series<C>): HrTime {
    return series.startTime;
  }
}

abstract class SumInstrument<R extends MetricRef> extends Instrument<R, Cell> {
  protected abstract readonly _monotonic: boolean;

  protected _newCell(): Cell {
    return { value: 0 };
  }

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

  /** Adds `value` (default 1) to the series of `labels`. */
  inc(labels: Labels<R>, value = 1): void {
    // Checked before the lookup: a dropped value creates no series (nor does the OTel SDK).
    if (isCount(value)) this._table.cellFor(labels).value += value;
    else this._drop(value);
  }

  /** Binds a label set once, for hot paths that record many times. */
  labels(labels: Labels<R>): BoundCounter {
    const cell = this._table.cellFor(labels);
    return {
      inc: (value = 1) => {
        if (isCount(value)) cell.value += value;
        else this._drop(value);
      },
    };
  }
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
  inc(labels: Labels<R>, value = 1): void {
    if (Number.isFinite(value)) this._table.cellFor(labels).value += value;
    else this._drop(value);
  }

  /** Subtracts `value` (default 1) from the series of `labels`. */
  dec(labels: Labels<R>, value = 1): void {
    this.inc(labels, -value);
  }

  /** Binds a label set once, for hot paths such as a request's in-flight count. */
  labels(labels: Labels<R>): BoundUpDownCounter {
    const cell = this._table.cellFor(labels);
    const add = (delta: number): void => {
      if (Number.isFinite(delta)) cell.value += delta;
      else this._drop(delta);
    };
    return { inc: (value = 1) => add(value), dec: (value = 1) => add(-value) };
  }
}

/** A gauge bound to one label set. */
export interface BoundGauge {
  /** Sets the value. A non-finite value is dropped and counted. */
  set(value: number): void;
}

/** What both gauges share: one value per series, reported as gauge data. */
abstract class GaugeInstrument<R extends MetricRef> extends Instrument<R, Cell> {
  collect(now: HrTime): MetricData | undefined {
    if (this._table.size === 0) return undefined;
    return {
      descriptor: this._descriptor(),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: this._points(now, (cell) => cell.value),
    };
  }

  protected _newCell(): Cell {
    return { value: 0 };
  }
}

/** A gauge that keeps the last value set. */
export class Gauge<R extends MetricRef> extends GaugeInstrument<R> {
  /** Sets the series of `labels` to `value`. A non-finite value is dropped and counted. */
  set(labels: Labels<R>, value: number): void {
    if (Number.isFinite(value)) this._table.cellFor(labels).value = value;
    else this._drop(value);
  }

  /** Binds a label set once, for hot paths that set it many times. */
  labels(labels: Labels<R>): BoundGauge {
    const cell = this._table.cellFor(labels);
    return {
      set: (value) => {
        if (Number.isFinite(value)) cell.value = value;
        else this._drop(value);
      },
    };
  }
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
  observe(labels: Labels<R>, value: number): void {
    // OTel's Histogram rejects negative values too: sums of durations and sizes must not shrink.
    if (isCount(value)) this._record(this._table.cellFor(labels), value);
    else this._drop(value);
  }

  /** Binds a label set once, for hot paths that record many times. */
  labels(labels: Labels<R>): BoundHistogram {
    const cell = this._table.cellFor(labels);
    return {
      observe: (value) => {
        if (isCount(value)) this._record(cell, value);
        else this._drop(value);
      },
    };
  }

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(labels: Labels<R>): () => number {
    const start = process.hrtime.bigint();
    const cell = this._table.cellFor(labels);
    return () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this._record(cell, seconds);
      return seconds;
    };
  }

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

  /** Records a value already checked to be finite and not negative. */
  private _record(cell: HistogramCell, value: number): void {
    const bounds = this._bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    cell.counts[i]!++;
    cell.sum += value;
    cell.count++;
    if (value < cell.min) cell.min = value;
    if (value > cell.max) cell.max = value;
  }
}

/** Reports the current values of an observable instrument; called at every collection. */
export type ObservableCallback<R extends MetricRef> = (observe: (labels: Labels<R>, value: number) => void) => void;

/**
 * The callbacks of an observable instrument. Values are read synchronously at each collection;
 * a failing callback is reported once and never takes the other metrics of the scrape down.
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
  run(observe: (labels: Labels<R>, value: number) => void): void {
    for (const callback of this._callbacks) {
      try {
        const result: unknown = callback(observe);
        // An async callback's values come too late, but its rejection must still not go unhandled.
        if (result instanceof Promise) result.catch((err: unknown) => this._failedOnce(callback, err));
      } catch (err) {
        this._failedOnce(callback, err);
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

  /** Adds a callback; returns a function that removes it. Values of all callbacks are summed. */
  addCallback(callback: ObservableCallback<R>): () => void {
    return this._callbacks.add(callback);
  }

  override collect(now: HrTime): MetricData | undefined {
    if (this._callbacks.size === 0) return undefined;
    this._table.clear();
    this._callbacks.run((labels, value) => {
      if (Number.isFinite(value)) this._table.cellFor(labels).value += value;
      else this._drop(value);
    });
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
  addCallback(callback: ObservableCallback<R>): () => void {
    return this._callbacks.add(callback);
  }

  override collect(now: HrTime): MetricData | undefined {
    if (this._callbacks.size === 0) return undefined;
    this._table.clear();
    this._callbacks.run((labels, value) => {
      if (isCount(value)) this._table.cellFor(labels).value += value;
      else this._drop(value);
    });
    return super.collect(now);
  }

  // The table starts afresh at each collection, the totals do not.
  protected override _startTimeOf(): HrTime {
    return this._startTime;
  }
}

/** A finite number of at least 0: what counters add and histograms observe. */
function isCount(value: number): boolean {
  // `>= 0` is false for NaN too, so this rejects NaN, negatives and +Infinity; the type check
  // keeps a JavaScript caller's '5' from turning the cell into a string.
  return typeof value === 'number' && value >= 0 && value !== Infinity;
}
