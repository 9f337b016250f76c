import type { CatalogueMetrics } from '@agent-telemetry/core';
import { logger } from './logger';
import { CIRCUIT_BREAKER_STATE_VALUES } from './labelValues';
import type { CircuitBreakerLike, CircuitBreakerState } from './types';

/**
 * Keeps `circuit_breaker_*{name}` in step with an opossum breaker's events and returns a function
 * that removes the listeners.
 *
 * opossum emits `failure` for every failed call, timeouts (`timeout` comes first) and semaphore
 * rejections included, and `success` for errors its `errorFilter` accepts: so only `failure` and
 * `success` are counted, never `timeout`, and each call counts once. `reject` is a call refused by
 * an open (or half-open, trial in flight) breaker. A `fallback` does not change what the call
 * counted as. `shutdown` removes every listener, ours included: the gauge keeps its last state.
 */
export function instrumentOpossumBreaker(
  metrics: CatalogueMetrics,
  breaker: CircuitBreakerLike,
  name: string,
): () => void {
  const state = metrics.circuit_breaker_state.labels({ name });
  const failures = metrics.circuit_breaker_failures_total.labels({ name });
  const successes = metrics.circuit_breaker_successes_total.labels({ name });
  const rejections = metrics.circuit_breaker_rejections_total.labels({ name });
  const setState = (value: CircuitBreakerState) => () => state.set(CIRCUIT_BREAKER_STATE_VALUES[value]);

  setState(breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed')();
  const recorders: Readonly<Record<string, () => void>> = {
    open: setState('open'),
    halfOpen: setState('half_open'),
    close: setState('closed'),
    success: () => successes.inc(),
    failure: () => failures.inc(),
    reject: () => rejections.inc(),
  };
  const listeners = Object.entries(recorders).map(([event, record]) => [event, guarded(event, record)] as const);

  for (const [event, listener] of listeners) breaker.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) breaker.removeListener(event, listener);
  };
}

// Listeners run inside opossum's `emit`, i.e. inside the host's `fire()`: they must not throw.
function guarded(event: string, record: () => void): () => void {
  return () => {
    try {
      record();
    } catch (err) {
      logger.reportOnce(`breaker:${event}`, `instrumentCircuitBreaker: recording a ${event} event failed`, err);
    }
  };
}
