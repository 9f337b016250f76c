import { spansWanted } from '@agent-telemetry/core/instrumentation-support';
import { safeExecuteInTheMiddle } from '@opentelemetry/instrumentation';
import { QueryTimer } from './QueryTimer';
import type { PgMethod, PgMetricsHost, PoolLike, Submittable } from './internal-types';
import { logger } from './logger';
import { queryMetricsSuppressed } from './querySuppression';

/*
 * The metric layer of pg's `Client#query`, `Client#connect` and `Pool#connect`. Each wraps the
 * upstream instrumentation's traced method (spans), so one patch does both jobs; when no span can
 * come of it (see `spansWanted`), it calls pg's own method instead. Either is called once with the
 * caller's `this` and arguments (a callback is replaced by one that records, then calls it with
 * the same `this` and arguments), and its result or its error object is handed back: a promise
 * is returned itself, not a copy, and observed with `then` (see `QueryTimer#endWhenSettled`).
 */

/** pg's method and the upstream wrapper of it. */
export interface PgMethods {
  readonly original: PgMethod;
  readonly traced: PgMethod;
}

function target({ original, traced }: PgMethods): PgMethod {
  return spansWanted() ? traced : original;
}

/** `Client#query`: every query, in each of the forms pg accepts. */
export function queryWithMetrics(methods: PgMethods, host: PgMetricsHost): PgMethod {
  return function query(this: unknown, ...args: unknown[]): unknown {
    const timer = startTimer(host, args[0]);
    const traced = target(methods);
    if (timer === undefined) return traced.apply(this, args);
    const settlesPromise = safeExecuteInTheMiddle(() => observeCompletion(args, timer), onOwnError, true) === true;
    let result: unknown;
    try {
      result = traced.apply(this, args);
    } catch (err) {
      timer.end(true, err);
      throw err;
    }
    if (settlesPromise && isThenable(result))
      safeExecuteInTheMiddle(() => timer.endWhenSettled(result), onOwnError, true);
    return result;
  };
}

/** `Client#connect`: counts failed connection attempts (`db_errors_total{operation="connect"}`). */
export function clientConnectWithMetrics(methods: PgMethods, host: PgMetricsHost): PgMethod {
  return function connect(this: unknown, ...args: unknown[]): unknown {
    const traced = target(methods);
    if (host.metrics === undefined || queryMetricsSuppressed()) return traced.apply(this, args);
    return callObservingError(this, traced, args, (error) => host.recordConnectError(error, 'client'));
  };
}

/**
 * `Pool#connect` (which `pool.query()` goes through too): registers the pool for the gauges and
 * counts its failures: its own (waiting timeout, ended pool) and its clients' failed attempts,
 * which the client layer reports too (the host counts each failure once).
 */
export function poolConnectWithMetrics(methods: PgMethods, host: PgMetricsHost): PgMethod {
  return function connect(this: unknown, ...args: unknown[]): unknown {
    const traced = target(methods);
    if (host.metrics === undefined) return traced.apply(this, args);
    safeExecuteInTheMiddle(() => host.trackPool(this as PoolLike), onOwnError, true);
    if (queryMetricsSuppressed()) return traced.apply(this, args);
    return callObservingError(this, traced, args, (error) => host.recordConnectError(error, 'pool'));
  };
}

function startTimer(host: PgMetricsHost, config: unknown): QueryTimer | undefined {
  const metrics = host.metrics;
  if (metrics === undefined || queryMetricsSuppressed()) return undefined;
  return safeExecuteInTheMiddle(
    () => {
      return new QueryTimer(metrics, host.seriesFor(queryText(config)));
    },
    onOwnError,
    true,
  );
}

/** The SQL of `query(text)`, `query({ text })` and `query(new Query(text))`. */
function queryText(config: unknown): string {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

/**
 * Arranges for `timer` to end when the query does, by the channel pg will use; returns true when
 * that channel is the returned promise.
 */
function observeCompletion(args: unknown[], timer: QueryTimer): boolean {
  const config = args[0] as { submit?: unknown; callback?: unknown } | null | undefined;
  if (typeof config?.submit === 'function') {
    observeSubmittable(config as Submittable, timer);
    return false;
  }
  const last = args.length - 1;
  if (last > 0 && typeof args[last] === 'function') {
    args[last] = endingFirst(args[last] as PgMethod, timer);
    return false;
  }
  if (typeof config?.callback === 'function') {
    // A derived object rather than an assignment: the caller's config object stays untouched.
    args[0] = Object.create(config, {
      callback: {
        value: endingFirst(config.callback as PgMethod, timer),
        writable: true,
        enumerable: true,
        configurable: true,
      },
    });
    return false;
  }
  return true;
}

/** pg answers a submittable through one of two methods; shadow both on the instance. */
function observeSubmittable(query: Submittable, timer: QueryTimer): void {
  const { handleError, handleReadyForQuery } = query;
  query.handleError = function (this: unknown, ...args: [unknown, unknown]) {
    timer.end(true, args[0]);
    return handleError.apply(this, args);
  };
  query.handleReadyForQuery = function (this: unknown, ...args: [unknown]) {
    timer.end(false);
    return handleReadyForQuery.apply(this, args);
  };
}

/** A node-style callback that ends the timer, then calls `callback` exactly as pg would have. */
function endingFirst(callback: PgMethod, timer: QueryTimer): PgMethod {
  return function (this: unknown, ...args: unknown[]): unknown {
    const error = args[0];
    timer.end(error !== undefined && error !== null, error);
    return callback.apply(this, args);
  };
}

/** Calls `method`, reporting an error delivered to its callback or by its promise. */
function callObservingError(
  self: unknown,
  method: PgMethod,
  args: unknown[],
  onError: (error: unknown) => void,
): unknown {
  const report = (error: unknown): void => {
    safeExecuteInTheMiddle(() => onError(error), onOwnError, true);
  };
  const callback = args[0];
  if (typeof callback === 'function') {
    args[0] = function (this: unknown, ...callbackArgs: unknown[]): unknown {
      if (callbackArgs[0] !== undefined && callbackArgs[0] !== null) report(callbackArgs[0]);
      return (callback as PgMethod).apply(this, callbackArgs);
    };
    return method.apply(self, args);
  }
  const result = method.apply(self, args);
  if (isThenable(result)) safeExecuteInTheMiddle(() => result.then(undefined, report), onOwnError, true);
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function onOwnError(error: Error | undefined): void {
  if (error !== undefined)
    logger.reportOnce('patch', 'the metric layer failed; the call itself went on unchanged', error);
}
