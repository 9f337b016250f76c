import { TelemetryConfigError, type CatalogueMetrics, type MetricName } from '@agent-telemetry/core';
import { logger } from './logger';

/**
 * Why a collector call was dropped: the `reason` label of
 * `agent_telemetry_recordings_dropped_total`. The value reasons are the registry's own.
 */
export type ArgumentDropReason = 'invalid_label' | 'negative_value' | 'non_finite_value' | 'invalid_value';

/**
 * The argument checks of one collector call, at record time: the first invalid argument drops
 * the whole call, counts it in `agent_telemetry_recordings_dropped_total{metric,reason}` and
 * reports it once per method, argument and reason (a warning naming the method, the argument and
 * the value). Nothing throws: a wrong argument is a bug of the caller, but it must not take a request
 * handler down with it. After a failed check the values returned are not to be used; the caller
 * tests `failed` before recording.
 */
export class ArgumentChecks {
  failed = false;

  constructor(
    private readonly _metrics: CatalogueMetrics,
    private readonly _method: string,
    /** The metric the call records into (the first, for calls that record several). */
    private readonly _metric: MetricName,
  ) {}

  /** A label value: a non-empty string. */
  label(arg: string, value: unknown): string {
    if (typeof value !== 'string' || value === '') this._invalid(arg, 'a non-empty string', value, 'invalid_label');
    return value as string;
  }

  /** One of a fixed list of label values. */
  oneOf<T extends string>(arg: string, value: unknown, allowed: readonly T[]): T {
    if (!(allowed as readonly unknown[]).includes(value)) {
      this._invalid(arg, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, value, 'invalid_label');
    }
    return value as T;
  }

  /** An amount of money or time: a finite number >= 0. */
  amount(arg: string, value: unknown): number {
    const reason = numberProblem(value);
    if (reason !== undefined) this._invalid(arg, 'a finite number >= 0', value, reason);
    return value as number;
  }

  /** A count of things (tokens, customers): an integer >= 0. */
  count(arg: string, value: unknown): number {
    const reason = numberProblem(value) ?? (Number.isSafeInteger(value) ? undefined : 'invalid_value');
    if (reason !== undefined) this._invalid(arg, 'an integer >= 0', value, reason);
    return value as number;
  }

  /** A share: a number from 0 to 1. */
  ratio(arg: string, value: unknown): number {
    const reason = numberProblem(value) ?? ((value as number) > 1 ? 'invalid_value' : undefined);
    if (reason !== undefined) this._invalid(arg, 'a number from 0 to 1', value, reason);
    return value as number;
  }

  /** An object argument (token usage). */
  object<T extends object>(arg: string, value: unknown, expected: string): T {
    if (value === null || typeof value !== 'object') this._invalid(arg, expected, value, 'invalid_value');
    return value as T;
  }

  private _invalid(arg: string, expected: string, value: unknown, reason: ArgumentDropReason): void {
    if (this.failed) return;
    this.failed = true;
    const metric = this._metric;
    this._metrics.agent_telemetry_recordings_dropped_total.inc({ metric, reason });
    if (logger.once(`${this._method}:${arg}:${reason}`)) {
      logger.warn(
        `${this._method}(): ${arg} must be ${expected}, got ${describe(value)}; the call is dropped. Further ` +
          `invalid ${arg} arguments are counted in agent_telemetry_recordings_dropped_total{metric="${metric}"} only`,
      );
    }
  }
}

/** The drop reason of a value that is not a finite number >= 0, as the registry counts it. */
function numberProblem(value: unknown): ArgumentDropReason | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'non_finite_value';
  return value < 0 ? 'negative_value' : undefined;
}

// --- Configuration time: creating a collector or a tracker, setting prices ---------------------

/** A label value fixed when a tracker or collector is created: a non-empty string. */
export function configLabel(field: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new TelemetryConfigError(field, describeValue(value), 'a non-empty string');
}

/** One of a fixed list, fixed at configuration time. */
export function configOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new TelemetryConfigError(
    field,
    describeValue(value),
    `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
  );
}

/** A value as a message shows it. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** A value as `TelemetryConfigError` shows it (JSON): functions and symbols by their description. */
function describeValue(value: unknown): unknown {
  return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint'
    ? describe(value)
    : value;
}
