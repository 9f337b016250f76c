import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { OVERFLOW_ATTRIBUTES } from './catalogue';

/** One label set of a metric and the value cell recorded into it. */
export interface Series<C> {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly cell: C;
}

type LabelInput = Readonly<Record<string, string | number | undefined>>;

/**
 * The label sets of one metric, indexed by label values in catalogue order.
 *
 * Lookups walk one nested `Map` per label (measured ~35 ns for three labels, against ~200 ns for
 * one concatenated key and ~1 µs for the OTel SDK's sorted-JSON hash). Only the catalogue's label
 * names are read, so extra attributes never become labels. As in the OTel SDK, `limit` counts the
 * overflow series too: `limit - 1` label sets are kept, and every further one shares one
 * `otel_metric_overflow="true"` series. A rejected label set allocates nothing.
 */
export class SeriesTable<C> {
  private readonly _root = new Map<string, unknown>();
  private readonly _series: Series<C>[] = [];
  private _overflow: Series<C> | undefined;

  constructor(
    private readonly _labelNames: readonly string[],
    private readonly _limit: number,
    private readonly _newCell: () => C,
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
   */
  cellFor(labels: LabelInput | undefined): C {
    labels ??= NO_LABELS;
    const names = this._labelNames;
    const last = names.length - 1;
    let node: Map<string, unknown> = this._root;
    for (let i = 0; i < last; i++) {
      const next = node.get(labelValue(labels[names[i]!]));
      if (next === undefined) return this._create(labels);
      node = next as Map<string, unknown>;
    }
    const found = node.get(last < 0 ? '' : labelValue(labels[names[last]!]));
    return found === undefined ? this._create(labels) : (found as Series<C>).cell;
  }

  /** Forget every series (observable gauges start each collection afresh). */
  clear(): void {
    this._root.clear();
    this._series.length = 0;
    this._overflow = undefined;
  }

  private _create(labels: LabelInput): C {
    if (this._series.length >= this._limit - 1) {
      this._overflow ??= { attributes: OVERFLOW_ATTRIBUTES, startTime: now(), cell: this._newCell() };
      return this._overflow.cell;
    }
    const names = this._labelNames;
    const attributes: Record<string, string> = {};
    let node = this._root;
    for (let i = 0; i < names.length - 1; i++) {
      const value = labelValue(labels[names[i]!]);
      attributes[names[i]!] = value;
      let next = node.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    const lastName = names[names.length - 1];
    const lastValue = lastName === undefined ? '' : labelValue(labels[lastName]);
    if (lastName !== undefined) attributes[lastName] = lastValue;
    const series: Series<C> = { attributes, startTime: now(), cell: this._newCell() };
    node.set(lastValue, series);
    this._series.push(series);
    return series.cell;
  }
}

const NO_LABELS: LabelInput = Object.freeze({});

/** A label value as Prometheus sees it: numbers as decimal text, a missing label as empty. */
function labelValue(value: string | number | undefined): string {
  return typeof value === 'string' ? value : value === undefined ? '' : String(value);
}

/**
 * Wall-clock time, as the collection's end time is taken: `hrTime()` (monotonic, from the time
 * origin) drifts from it, and a start time after the end time is an invalid OTLP point.
 */
function now(): HrTime {
  return millisToHrTime(Date.now());
}
