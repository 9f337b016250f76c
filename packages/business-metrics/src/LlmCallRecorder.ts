import type { CatalogueMetrics } from '@agent-telemetry/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { currentAgentExecution } from './AgentExecutionContext';
import type { LlmCallRecord } from './types';
import type { UsageRecorder } from './UsageRecorder';

/**
 * Records finished LLM provider calls, whoever observed them (`trackLlmCall`, `recordLlmCall`,
 * the SDK instrumentations): calls by status, duration, errors by type, time to first token,
 * tokens by type and cost per provider and model, calls without a usage report, and the call's
 * usage for the agent execution it ran in (through async context).
 */
export class LlmCallRecorder {
  constructor(
    private readonly _metrics: CatalogueMetrics,
    private readonly _usage: UsageRecorder,
  ) {}

  /**
   * Exposes the call counts of `provider` and `model` at 0 for each status, so that error-rate
   * queries have a series to divide by before the first failure (`trackLlmCall` does, at creation).
   */
  exposeStatuses(provider: string, model: string): void {
    for (const status of ['success', 'error'] as const)
      this._metrics.llm_api_calls_total.labels({ provider, model, status });
  }

  record(call: LlmCallRecord): void {
    const { provider, model, status, usage } = call;
    const labels = { provider, model };
    this._metrics.llm_api_calls_total.inc({ provider, model, status });
    this._metrics.llm_api_duration_seconds.observe(labels, call.durationSeconds);
    if (status !== 'success') {
      this._metrics.llm_api_errors_total.inc({ provider, error_type: call.errorType ?? 'other' });
    }
    if (call.timeToFirstTokenSeconds !== undefined) {
      this._metrics.llm_time_to_first_token_seconds.observe(labels, call.timeToFirstTokenSeconds);
    }
    if (usage === 'unreported') this._metrics.llm_usage_unreported_total.inc(labels);
    // A dated snapshot the response names prices as itself; the label stays the requested model.
    const pricedModel = call.responseModel ?? model;
    if (typeof usage === 'object') this._usage.recordLlm(provider, model, pricedModel, usage);
    // Tokens of a failed or cancelled call (a stream cut mid-way) were spent all the same.
    currentAgentExecution.getStore()?.addCall(pricedModel, typeof usage === 'object' ? usage : undefined);
  }
}

/**
 * Set while a `trackLlmCall` wrapper runs: the SDK instrumentations then record nothing of
 * their own, so that a call is never counted twice.
 */
export const explicitLlmCall = new AsyncLocalStorage<true>();

/** Whether the current async flow is inside a `trackLlmCall` wrapper. */
export function isInsideTrackedLlmCall(): boolean {
  return explicitLlmCall.getStore() === true;
}
