import { types } from 'node:util';
import { reportOnce } from './diag';
import type { Tracker } from './types';
import { checkFunction } from './validate';

/** How a tracked call ended. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * What one kind of tracker records. Every hook runs inside try/catch: a failing hook is logged
 * once and the call goes on as if it were not tracked.
 */
export interface CallHooks<S> {
  /** Before the call; its result is handed to `run` and `end`. */
  start(): S;
  /** Runs the call, e.g. inside an async context: calls `call` once and throws only what it throws. */
  run?<R>(state: S, call: () => R): R;
  /** Once, when the call has returned, thrown, resolved or rejected. */
  end(state: S, seconds: number, outcome: Outcome): void;
}

/**
 * Builds a {@link Tracker}: the function wrapper and both decorator forms around `hooks`.
 *
 * A call's outcome is read without changing it: a sync function is called and its value or error
 * passed on as they are; a promise (native, or a subclass such as the LLM SDKs' `APIPromise`) is
 * returned itself, not a copy, and observed with `then`. Other thenables are returned as values,
 * because calling their `then` may run them (query builders). Observing a promise attaches a
 * handler, so a rejection the caller never handles is not reported as unhandled by Node.
 */
export function createTracker<S>(method: string, hooks: CallHooks<S>): Tracker {
  const wrap = (fn: unknown): ((...args: unknown[]) => unknown) => {
    const original = checkFunction(method, 'the decorated or wrapped value', fn);
    function tracked(this: unknown, ...args: unknown[]): unknown {
      const call = startCall(method, hooks);
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
      if (typeof descriptor?.value !== 'function') {
        throw new TypeError(`${method}(): can decorate methods only; ${String(context)} is not a method`);
      }
      descriptor.value = wrap(descriptor.value);
      return descriptor;
    }
    if (context !== undefined && (context as { kind?: unknown } | null)?.kind !== 'method') {
      throw new TypeError(
        `${method}(): can decorate methods only, not a ${String((context as { kind?: unknown } | null)?.kind)}`,
      );
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

function startCall<S>(method: string, hooks: CallHooks<S>): Call {
  const startTime = performance.now();
  let state: S;
  let started = false;
  try {
    state = hooks.start();
    started = true;
  } catch (err) {
    reportOnce(`${method}:start`, `${method}: tracking failed; the call runs untracked`, err);
  }
  let ended = !started;
  const end = (outcome: Outcome): void => {
    if (ended) return;
    ended = true;
    try {
      hooks.end(state, (performance.now() - startTime) / 1000, outcome);
    } catch (err) {
      reportOnce(`${method}:end`, `${method}: recording a call failed`, err);
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
        // A promise subclass whose `then` throws: its outcome cannot be read, but the execution
        // must still leave the active gauge.
        reportOnce(`${method}:then`, `${method}: cannot observe the returned promise`, err);
        end({ ok: false, error: err });
      }
    },
  };
}
