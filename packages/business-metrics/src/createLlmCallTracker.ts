import type { CatalogueMetrics } from '@agent-telemetry/core';
import { currentAgentExecution } from './AgentExecutionContext';
import { classifyLlmError } from './classifyLlmError';
import { createTracker } from './createTracker';
import type { Tracker } from './types';
import type { UsageRecorder } from './UsageRecorder';
import { modelFromResult, usageFromResult } from './usage';

/**
 * The tracker behind `trackLlmCall`: calls by status, duration, errors by type, and the
 * response's tokens, which it also reports to the agent execution it runs in (if any).
 */
export function createLlmCallTracker(
  metrics: CatalogueMetrics,
  recorder: UsageRecorder,
  provider: string,
  model: string,
): Tracker {
  const succeeded = metrics.llm_api_calls_total.labels({ provider, model, status: 'success' });
  const failed = metrics.llm_api_calls_total.labels({ provider, model, status: 'error' });
  const duration = metrics.llm_api_duration_seconds.labels({ provider, model });

  return createTracker('trackLlmCall', {
    start: () => currentAgentExecution.getStore(),
    end(execution, seconds, outcome) {
      duration.observe(seconds);
      if (!outcome.ok) {
        failed.inc();
        metrics.llm_api_errors_total.inc({ provider, error_type: classifyLlmError(outcome.error) });
        return;
      }
      succeeded.inc();
      const usage = usageFromResult(outcome.value);
      if (usage !== undefined) recorder.recordLlm(provider, model, usage);
      // Priced by the model the response names (a dated snapshot) where it names one.
      execution?.addCall(modelFromResult(outcome.value) ?? model, usage);
    },
  });
}
