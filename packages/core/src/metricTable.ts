import {
  catalogueEntries,
  DEFAULT_BUCKETS,
  PROMETHEUS_TYPE,
  seriesNames,
  type MetricKind,
  type MetricShape,
} from './catalogue';
import { TelemetryConfigError } from './config';
import { isLabelName } from './labelNames';

/** One metric of the service's own, declared as a catalogue row is. */
export interface ServiceMetricDefinition {
  /** How it is recorded and exposed. */
  readonly kind: MetricKind;
  /** The `# HELP` text. */
  readonly help: string;
  /** Label names, in exposition order; no other attribute ever becomes a label. */
  readonly labels: readonly string[];
  /**
   * UCUM unit, as OTLP carries it (`s`, `By`, `1`, `{order}`).
   * @default '' (none)
   */
  readonly unit?: string;
  /**
   * Upper bounds of the histogram buckets (`+Inf` is implicit). Histograms only.
   * @default the catalogue's buckets for unit `s` or `By`; required for any other unit
   */
  readonly buckets?: readonly number[];
  /** Most distinct label sets kept; further ones fold into one overflow series. @default 2000 */
  readonly cardinalityLimit?: number;
  /** Heading of the metric in the generated reference. @default 'service' */
  readonly group?: string;
}

/** The service's own metrics, by exact Prometheus name. */
export type MetricTable = { readonly [name: string]: ServiceMetricDefinition };

/** A table without metrics: the default when a service declares none. */
export type NoMetrics = Record<never, never>;

/** A row of a table as the registry and the docs use it: defaults applied. */
export interface ResolvedMetric extends MetricShape {
  readonly group: string;
}

const METRIC_TABLE = Symbol.for('agent-telemetry.metricTable');

/**
 * Declares the service's own metrics once, in a module of their own, for `initTelemetry({ metrics
 * })`, `new MetricRegistry({ metrics })` in tests, and `npx agent-telemetry-docs` for the metric
 * reference. Label names are kept as literal types, so a wrong label does not compile. The table
 * is checked now (names, labels, buckets, limits; see {@link resolveMetricTable}).
 *
 * @throws TelemetryConfigError for an invalid row, naming it and what it accepts
 */
export function defineMetrics<const T extends MetricTable>(table: T): T {
  resolveMetricTable(table, new Map());
  Object.defineProperty(table, METRIC_TABLE, { value: true });
  return table;
}

/** Whether `value` came from {@link defineMetrics} (what the docs command looks for in a module). */
export function isMetricTable(value: unknown): value is MetricTable {
  return typeof value === 'object' && value !== null && (value as { [METRIC_TABLE]?: true })[METRIC_TABLE] === true;
}

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const KINDS = Object.keys(PROMETHEUS_TYPE) as MetricKind[];

/**
 * Checks a table of the service's own metrics against the catalogue and the service's metrics
 * defined already (`defined`), and applies defaults. A row equal to one defined already is left
 * out, so the same table can be added twice; one equal to a catalogue row is a clash all the same.
 *
 * Rejected: a name that is not a Prometheus metric name, starts with `__` or `agent_telemetry_`,
 * or whose series (a histogram's `_bucket`, `_sum`, `_count`) clash with one taken; a counter
 * not ending in `_total`, or another kind ending in it; an unknown kind; an empty help; invalid,
 * duplicate or reserved label names (`le`, `quantile`); buckets that are not increasing finite
 * numbers, or buckets on another kind; a histogram without buckets and with a unit other than
 * `s` or `By`; a cardinality limit that is not a positive integer.
 *
 * @throws TelemetryConfigError naming the row and field
 */
export function resolveMetricTable(
  table: unknown,
  defined: ReadonlyMap<string, MetricShape>,
): Array<[string, ResolvedMetric]> {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new TelemetryConfigError('metrics', table, 'an object of metric definitions by metric name');
  }
  const series = new Map<string, string>();
  for (const [name, shape] of [...catalogueEntries(), ...defined]) {
    for (const each of seriesNames(name, PROMETHEUS_TYPE[shape.kind])) series.set(each, name);
  }
  const resolved: Array<[string, ResolvedMetric]> = [];
  for (const [name, row] of Object.entries(table as Record<string, unknown>)) {
    const metric = resolveRow(name, row);
    const existing = defined.get(name);
    if (existing !== undefined && sameMetric(existing, metric)) continue;
    for (const each of seriesNames(name, PROMETHEUS_TYPE[metric.kind])) {
      const owner = series.get(each);
      if (owner !== undefined) {
        throw new TelemetryConfigError(
          `metrics.${name}`,
          name,
          `a name whose series do not clash with those of ${owner} (${each}), defined already`,
        );
      }
      series.set(each, name);
    }
    resolved.push([name, metric]);
  }
  return resolved;
}

function resolveRow(name: string, row: unknown): ResolvedMetric {
  const field = `metrics.${name}`;
  if (!METRIC_NAME.test(name) || name.startsWith('__') || name.startsWith('agent_telemetry_')) {
    throw new TelemetryConfigError(
      field,
      name,
      'a Prometheus metric name ([a-zA-Z_][a-zA-Z0-9_]*), not starting with __ or agent_telemetry_',
    );
  }
  if (typeof row !== 'object' || row === null) throw new TelemetryConfigError(field, row, 'a metric definition');
  const {
    kind,
    help,
    labels,
    unit = '',
    buckets,
    cardinalityLimit,
    group = 'service',
  } = row as Record<string, unknown>;
  if (!KINDS.includes(kind as MetricKind)) throw new TelemetryConfigError(`${field}.kind`, kind, KINDS.join(', '));
  const counter = PROMETHEUS_TYPE[kind as MetricKind] === 'counter';
  if (counter !== /^(?!.*_total.*_total).*_total$/.test(name)) {
    throw new TelemetryConfigError(
      field,
      name,
      counter ? 'a counter name ending in _total (once)' : 'a name not ending in _total (counters only)',
    );
  }
  if (typeof help !== 'string' || help.trim() === '')
    throw new TelemetryConfigError(`${field}.help`, help, 'a non-empty string');
  if (typeof unit !== 'string') throw new TelemetryConfigError(`${field}.unit`, unit, 'a UCUM unit string');
  if (typeof group !== 'string') throw new TelemetryConfigError(`${field}.group`, group, 'a string');
  return {
    kind: kind as MetricKind,
    unit,
    help,
    labels: checkLabels(`${field}.labels`, labels),
    ...histogramBuckets(field, kind as MetricKind, unit, buckets),
    ...(cardinalityLimit === undefined
      ? {}
      : { cardinalityLimit: checkLimit(`${field}.cardinalityLimit`, cardinalityLimit) }),
    group,
  };
}

function checkLabels(field: string, labels: unknown): readonly string[] {
  const valid = Array.isArray(labels) && labels.every(isLabelName) && new Set(labels).size === labels.length;
  if (!valid) {
    throw new TelemetryConfigError(
      field,
      labels,
      'an array of distinct label names ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __, not le, quantile or otel_metric_overflow)',
    );
  }
  return [...labels];
}

function histogramBuckets(
  field: string,
  kind: MetricKind,
  unit: string,
  buckets: unknown,
): { buckets?: readonly number[] } {
  if (kind !== 'histogram') {
    if (buckets !== undefined)
      throw new TelemetryConfigError(`${field}.buckets`, buckets, 'nothing: only histograms have buckets');
    return {};
  }
  if (buckets === undefined) {
    const byUnit = DEFAULT_BUCKETS[unit];
    if (byUnit === undefined) {
      throw new TelemetryConfigError(
        `${field}.buckets`,
        buckets,
        "increasing finite numbers (required unless unit is 's' or 'By')",
      );
    }
    return { buckets: byUnit };
  }
  const valid =
    Array.isArray(buckets) &&
    buckets.length > 0 &&
    buckets.every(
      (bound, i) => typeof bound === 'number' && Number.isFinite(bound) && (i === 0 || bound > buckets[i - 1]),
    );
  if (!valid)
    throw new TelemetryConfigError(`${field}.buckets`, buckets, 'a non-empty array of increasing finite numbers');
  return { buckets: [...(buckets as number[])] };
}

function checkLimit(field: string, limit: unknown): number {
  if (!Number.isInteger(limit) || (limit as number) < 1)
    throw new TelemetryConfigError(field, limit, 'a positive integer');
  return limit as number;
}

function sameMetric(a: MetricShape, b: MetricShape): boolean {
  const key = (shape: MetricShape) =>
    JSON.stringify([shape.kind, shape.unit, shape.help, shape.labels, shape.buckets, shape.cardinalityLimit]);
  return key(a) === key(b);
}
