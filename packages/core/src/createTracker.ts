import { types } from 'node:util';
import { TelemetryConfigError } from './config';
import type { Logger } from './logger';

/**
 * What the trackers return (`trackAgentExecution`, `trackLlmCall`, `trackDbQuery`,
 * `trackRequestMetrics`): a function wrapper, a TypeScript 5 (TC39) method decorator and a legacy
 * (`experimentalDecorators`) method decorator in one. The wrapped function keeps its name,
 * `length`, `this`, arguments, return value (the same object, also for promises) and thrown
 * errors (the same object); a sync function stays sync.
 */
export interface Tracker {
  /**
   * Wraps a function. (`context` is never passed: it only keeps this signature from matching a
   * decorator on a getter, setter or field, which TypeScript would otherwise accept.)
   */
  <F extends (this: any, ...args: any[]) => any>(fn: F, context?: undefined): F;
  /** `@tracker` on a method, with TypeScript 5 decorators. */
  <This, Args extends any[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  /** `@tracker` on a method, with `experimentalDecorators`. */
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

/** How a tracked call ended. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * What one kind of tracker records. Every hook runs inside try/catch: a failing hook is reported
 * once and the call goes on as if it were not tracked.
 */
export interface CallHooks<S> {
  /** Before the call, with its arguments; the result is handed to `run` and `end`. */
  start(args: readonly unknown[]): S;
  /** Runs the call, e.g. inside an async context: calls `call` once and throws only what it throws. */
  run?<R>(state: S, call: () => R): R;
  /** Once, when the call has returned, thrown, resolved or rejected; `seconds` it took. */
  end(state: S, seconds: number, outcome: Outcome): void;
}

/**
 * The one wrap-and-time helper of every tracker: builds a {@link Tracker} around `hooks`.
 * `method` names the tracker in errors and logs (`trackDbQuery`).
 *
 * A call's outcome is read without changing it: a sync function is called and its value or error
 * passed on as they are; a promise (native, or a subclass such as the LLM SDKs' `APIPromise`) is
 * returned itself, not a copy, and observed with `then`. Other thenables are returned as values,
 * because calling their `then` may run them (query builders). Observing a promise attaches a
 * handler, so a rejection the caller never handles is not reported as unhandled by Node.
 *
 * Decorating anything but a method, or wrapping a non-function, is a `TelemetryConfigError`
 * (when the class is defined, or the wrapper made).
 */
export function createTracker<S>(method: string, hooks: CallHooks<S>, logger: Logger): Tracker {
  const wrap = (fn: unknown): ((...args: unknown[]) => unknown) => {
    if (typeof fn !== 'function') throw new TelemetryConfigError(`${method}() target`, String(fn), 'a function');
    const original = fn as (...args: unknown[]) => unknown;
    function tracked(this: unknown, ...args: unknown[]): unknown {
      const call = startCall(method, hooks, logger, args);
      let result: unknown;
      try {
        result = call.run(() => original.apply(this, args));
      } catch (error) {
        call.end({ ok: false, error });
        throw error;
      }
      if (types.isPromise(result)) call.endWhenSettled(result);
      else call.end({ ok: true, value: result });
      return result;
    }
    Object.defineProperty(tracked, 'name', { value: original.name, configurable: true });
    Object.defineProperty(tracked, 'length', { value: original.length, configurable: true });
    return tracked;
  };

  function tracker(value: unknown, context?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (typeof context === 'string' || typeof context === 'symbol') {
      // Legacy decorator: (prototype, name, descriptor).
      if (typeof descriptor?.value !== 'function') {
        throw new TelemetryConfigError(
          `${method}() target`,
          String(context),
          'a method (not a getter, setter or field)',
        );
      }
      descriptor.value = wrap(descriptor.value);
      return descriptor;
    }
    const kind = typeof context === 'object' && context !== null ? (context as { kind?: unknown }).kind : undefined;
    if (context !== undefined && kind !== 'method') {
      throw new TelemetryConfigError(`${method}() target`, String(kind), 'a method (not a getter, setter or field)');
    }
    return wrap(value);
  }
  return tracker as Tracker;
}

interface Call {
  run<R>(invoke: () => R): R;
  end(outcome: Outcome): void;
  endWhenSettled(promise: Promise<unknown>): void;
}

function startCall<S>(method: string, hooks: CallHooks<S>, logger: Logger, args: readonly unknown[]): Call {
  const startTime = performance.now();
  let state: S;
  let started = false;
  try {
    state = hooks.start(args);
    started = true;
  } catch (err) {
    logger.reportOnce(`${method}:start`, `${method}: tracking failed; the call runs untracked`, err);
  }
  let ended = !started;
  const end = (outcome: Outcome): void => {
    if (ended) return;
    ended = true;
    try {
      hooks.end(state, (performance.now() - startTime) / 1000, outcome);
    } catch (err) {
      logger.reportOnce(`${method}:end`, `${method}: recording a call failed`, err);
    }
  };
  return {
    run: (invoke) => (started && hooks.run !== undefined ? hooks.run(state, invoke) : invoke()),
    end,
    endWhenSettled(promise) {
      try {
        promise.then(
          (value) => end({ ok: true, value }),
          (error: unknown) => end({ ok: false, error }),
        );
      } catch (err) {
        // A promise subclass whose `then` throws: its outcome cannot be read, but the call must
        // still end (an agent execution must leave the active gauge).
        logger.reportOnce(`${method}:then`, `${method}: cannot observe the returned promise`, err);
        end({ ok: false, error: err });
      }
    },
  };
}
