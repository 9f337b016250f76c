import { AsyncLocalStorage } from 'node:async_hooks';

// Marks the async scope of a `trackDbQuery` call: the queries run inside it are already counted by
// the tracked function, with its explicit labels, so the pg instrumentation must not count them a
// second time.
const tracked = new AsyncLocalStorage<true>();

/** Runs `fn` with the automatic query metrics off for everything it starts, sync or async. */
export function runWithoutQueryMetrics<T>(fn: () => T): T {
  return tracked.run(true, fn);
}

/** Whether the current async scope belongs to a `trackDbQuery` call. */
export function queryMetricsSuppressed(): boolean {
  return tracked.getStore() === true;
}
