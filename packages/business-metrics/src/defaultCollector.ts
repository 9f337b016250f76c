import { createMetricsCollector, type MetricsCollector } from './MetricsCollector';
import type { Tracker } from '@agent-telemetry/core';
import type { AgentExecutionOptions, CircuitBreakerLike } from './types';

/**
 * The collector of the process-wide registry (`defaultRegistry()`), which `initTelemetry()`
 * exports. Recordings made before `initTelemetry()` runs are kept.
 */
export const metricsCollector: MetricsCollector = createMetricsCollector();

/**
 * `metricsCollector.trackAgentExecution`: wraps an agent's function or decorates its method.
 * @example
 * class TicketResolver {
 *   \@trackAgentExecution('ticket-resolver', 'premium')
 *   async execute(ticket: Ticket) { ... }
 * }
 */
export function trackAgentExecution(packageName: string, tier: string, options?: AgentExecutionOptions): Tracker {
  return metricsCollector.trackAgentExecution(packageName, tier, options);
}

/**
 * `metricsCollector.trackLlmCall`: wraps a function (or decorates a method) that calls an LLM.
 * @example
 * ```ts
 * const complete = trackLlmCall('anthropic', 'claude-sonnet-4')((prompt: string) =>
 *   client.messages.create({ model: 'claude-sonnet-4-0', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] }));
 * ```
 */
export function trackLlmCall(provider: string, model: string): Tracker {
  return metricsCollector.trackLlmCall(provider, model);
}

/**
 * `metricsCollector.instrumentCircuitBreaker`: keeps the circuit-breaker metrics in step with an
 * opossum breaker. Returns a function that stops recording.
 */
export function instrumentCircuitBreaker(breaker: CircuitBreakerLike, name?: string): () => void {
  return metricsCollector.instrumentCircuitBreaker(breaker, name);
}
