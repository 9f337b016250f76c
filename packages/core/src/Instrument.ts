import { ValueType, type HrTime } from '@opentelemetry/api';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { DEFAULT_CARDINALITY_LIMIT, type Labels, type MetricName, type MetricRef, type MetricShape } from './catalogue';
import { SeriesTable, type Series } from './SeriesTable';

/**
 * Why a recording was dropped; the `reason` label of `agent_telemetry_recordings_dropped_total`.
 *
 * - `negative_value`: a finite value below 0 where only counts are accepted (counters, histograms)
 * - `non_finite_value`: NaN, an infinity, or not a number at all (`'5'`, `null`, `true`)
 * - `sum_overflow`: a finite value whose sum with the recorded ones would be infinite
 * - `invalid_label`: a label set that could not be read (a value whose `String()` throws)
 */
export type DropReason = 'negative_value' | 'non_finite_value' | 'sum_overflow' | 'invalid_label';

/** What an instrument reports besides its data: dropped recordings and cardinality overflow. */
export interface InstrumentListeners {
  /** Called for every dropped recording, so drops are counted and reported, never silent. */
  readonly onDrop: (metric: string, reason: DropReason) => void;
  /** Called for every lookup of a label set folded into the metric's overflow series. */
  readonly onOverflow: (metric: string) => void;
}

/** A metric's name: the literal one for a catalogue metric. */
export type NameOf<R extends MetricRef> = R extends MetricName ? R : string;

interface Cell {
  value: number;
}

/*
 * The recording rule shared by every instrument: a value must be a finite number (typeof
 * 'number', so a JavaScript caller's '5' or null never coerces), of the right sign, and its sum
 * with what is recorded must stay finite. Anything else is dropped and counted, and nothing a
 * caller passes throws out of a recording method. Recording methods are arrow-function fields,
 * so `const { inc } = counter` works as prom-client users expect.
 */

/** What every instrument shares: its series and how they become OTel metric data. */
export abstract class Instrument<R extends MetricRef, C> {
  protected readonly _table: SeriesTable<C>;

  constructor(
    readonly name: NameOf<R>,
    readonly definition: MetricShape,
    protected readonly _listeners: InstrumentListeners,
  ) {
    this._table = new SeriesTable(
      definition.labels,
      definition.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT,
      () => this._newCell(),
      () => _listeners.onOverflow(name),
    );
    // A metric without labels has exactly one series: expose it (as 0) from the start.
    if (definition.labels.length === 0) this._table.cellFor({});
  }

  /**
   * Forgets the series of `labels`, as prom-client's `remove`: it is no longer exported. A handle
   * bound to it with `labels()` records into a series nobody reads.
   */
  readonly remove = (labels: Labels<R>): void => {
    try {
      this._table.delete(labels);
    } catch {
      this._drop('invalid_label');
    }
  };

  /**
   * The metric's data as the OTel SDK would report it, or undefined when it has no series.
   * `onCallbackError` is told of each failing callback of an observable instrument.
   */
  abstract collect(now: HrTime, onCallbackError?: (err: unknown) => void): MetricData | undefined;

  protected abstract _newCell(): C;

  /**
   * The cell of `labels`, or undefined when they cannot be read: a recording is then dropped and
   * counted, here or, for a binding (`labels()`, `startTimer()`), at each recording through it.
   */
  protected _cellFor(labels: Labels<R> | undefined, binding = false): C | undefined {
    try {
      return this._table.cellFor(labels);
    } catch {
      if (!binding) this._drop('invalid_label');
      return undefined;
    }
  }

  protected _drop(reason: DropReason): void {
    this._listeners.onDrop(this.name, reason);
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

/** Why `value` cannot be recorded, or undefined when it can; `signed` accepts negative values. */
export function rejection(value: unknown, signed: boolean): DropReason | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'non_finite_value';
  return value < 0 && !signed ? 'negative_value' : undefined;
}

/** What counters, up-down counters and gauges share: one number per series. */
export abstract class ValueInstrument<R extends MetricRef> extends Instrument<R, Cell> {
  protected _newCell(): Cell {
    return { value: 0 };
  }

  /** Adds `delta` (already checked) to the cell, unless the sum would not be finite. */
  protected _add(cell: Cell, delta: number): void {
    const sum = cell.value + delta;
    if (Number.isFinite(sum)) cell.value = sum;
    else this._drop('sum_overflow');
  }

  /** Records what the callbacks of an observable instrument report: summed, by the common rule. */
  protected _observe(labels: Labels<R>, value: number, signed: boolean): void {
    const reason = rejection(value, signed);
    if (reason !== undefined) return this._drop(reason);
    const cell = this._cellFor(labels);
    if (cell !== undefined) this._add(cell, value);
  }
}
