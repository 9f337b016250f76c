import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { OVERFLOW_ATTRIBUTES } from './catalogue';
import { boundLabelValue } from './labelValue';

/** One label set of a metric and the value cell recorded into it. */
export interface Series<C> {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly cell: C;
}

type LabelInput = Readonly<Record<string, unknown>>;

/**
 * The label sets of one metric, indexed by label values in catalogue order.
 *
 * Lookups walk one nested `Map` per label (measured ~35 ns for three labels, against ~200 ns for
 * one concatenated key and ~1 µs for the OTel SDK's sorted-JSON hash). Only the catalogue's label
 * names are read, so extra attributes never become labels. As in the OTel SDK, `limit` counts the
 * overflow series too: `limit - 1` label sets are kept, and every further one shares one
 * `otel_metric_overflow="true"` series. A rejected label set allocates nothing.
 *
 * Stored label values are bounded ({@link boundLabelValue}: length cut, well-formed UTF-16). The
 * first walk uses the values as given: a stored value is its own bound form, so a hit is exact and
 * costs nothing more. Only a miss bounds the values and walks again, so an over-long value finds
 * the series of its cut form.
 */
export class SeriesTable<C> {
  private readonly _root = new Map<string, unknown>();
  private readonly _series: Series<C>[] = [];
  private _overflow: Series<C> | undefined;

  /** @param _onOverflow called for every lookup folded into the overflow series */
  constructor(
    private readonly _labelNames: readonly string[],
    private readonly _limit: number,
    private readonly _newCell: () => C,
    private readonly _onOverflow: () => void = () => {},
  ) {}

  /** All series, in creation order, the overflow series last. */
  series(): readonly Series<C>[] {
    return this._overflow ? [...this._series, this._overflow] : this._series;
  }

  get size(): number {
    return this._series.length;
  }

  /**
   * The cell of a label set, created on first use. A missing label set (a JavaScript caller's
   * `inc()`) counts as `{}`: every label empty, never a TypeError in the caller.
   *
   * @throws what a label value's `String()` throws (an object without a prototype); the
   * instruments turn that into a counted drop
   */
  cellFor(labels: LabelInput | undefined): C {
    const input = labels ?? NO_LABELS;
    const names = this._labelNames;
    const last = names.length - 1;
    let node: Map<string, unknown> = this._root;
    for (let i = 0; i < last; i++) {
      const next = node.get(labelText(input[names[i]!]));
      if (next === undefined) return this._findOrCreate(input);
      node = next as Map<string, unknown>;
    }
    const found = node.get(last < 0 ? '' : labelText(input[names[last]!]));
    return found === undefined ? this._findOrCreate(input) : (found as Series<C>).cell;
  }

  /** Forgets the series of `labels` (as prom-client's `remove`); true when there was one. */
  delete(labels: LabelInput | undefined): boolean {
    const values = this._boundValues(labels ?? NO_LABELS);
    const path: Map<string, unknown>[] = [];
    let node: Map<string, unknown> | undefined = this._root;
    for (let i = 0; i < values.length - 1 && node !== undefined; i++) {
      path.push(node);
      node = node.get(values[i]!) as Map<string, unknown> | undefined;
    }
    const key = values[values.length - 1] ?? '';
    const series = node?.get(key) as Series<C> | undefined;
    if (node === undefined || series === undefined) return false;
    node.delete(key);
    // Empty intermediate maps go too, so that removed label sets leave nothing behind.
    for (let i = path.length - 1; i >= 0 && node.size === 0; i--) {
      path[i]!.delete(values[i]!);
      node = path[i]!;
    }
    this._series.splice(this._series.indexOf(series), 1);
    return true;
  }

  /** Forget every series (observable gauges start each collection afresh). */
  clear(): void {
    this._root.clear();
    this._series.length = 0;
    this._overflow = undefined;
  }

  /** The slow path of {@link cellFor}: bounds the values, then finds or creates their series. */
  private _findOrCreate(labels: LabelInput): C {
    const values = this._boundValues(labels);
    const last = values.length - 1;
    let node = this._root;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) return this._create(values);
      node = next;
    }
    const found = node.get(last < 0 ? '' : values[last]!) as Series<C> | undefined;
    return found === undefined ? this._create(values) : found.cell;
  }

  private _create(values: readonly string[]): C {
    if (this._series.length >= this._limit - 1) {
      this._overflow ??= { attributes: OVERFLOW_ATTRIBUTES, startTime: now(), cell: this._newCell() };
      this._onOverflow();
      return this._overflow.cell;
    }
    const names = this._labelNames;
    const attributes: Record<string, string> = {};
    let node = this._root;
    for (let i = 0; i < names.length - 1; i++) {
      const value = values[i]!;
      attributes[names[i]!] = value;
      let next = node.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    const lastName = names[names.length - 1];
    const lastValue = lastName === undefined ? '' : values[names.length - 1]!;
    if (lastName !== undefined) attributes[lastName] = lastValue;
    const series: Series<C> = { attributes, startTime: now(), cell: this._newCell() };
    node.set(lastValue, series);
    this._series.push(series);
    return series.cell;
  }

  private _boundValues(labels: LabelInput): string[] {
    return this._labelNames.map((name) => boundLabelValue(labelText(labels[name])));
  }
}

const NO_LABELS: LabelInput = Object.freeze({});

/**
 * A label value as Prometheus sees it: a missing one (or null) as empty, anything else as its
 * `String()` (numbers as decimal text).
 */
function labelText(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}

/**
 * Wall-clock time, as the collection's end time is taken: `hrTime()` (monotonic, from the time
 * origin) drifts from it, and a start time after the end time is an invalid OTLP point.
 */
function now(): HrTime {
  return millisToHrTime(Date.now());
}
