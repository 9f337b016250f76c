import type { CatalogueMetrics, Tracker } from '@agent-telemetry/core';
import { createTracker } from '@agent-telemetry/core/instrumentation-support';
import { AgentExecutionContext, currentAgentExecution } from './AgentExecutionContext';
import { classifyLlmError } from './classifyLlmError';
import { logger } from './logger';
import type { AgentExecutionStatus, AgentExecutionOptions } from './types';
import type { UsageRecorder } from './UsageRecorder';
import { modelFromResult, usageFromResult } from './usage';

/**
 * The tracker behind `trackAgentExecution`. Labels are bound once here, so a call costs a few
 * cell updates; binding also exposes every status at 0 from the start, so that error-rate
 * queries have a series to divide by before the first failure.
 */
export function createAgentExecutionTracker(
  metrics: CatalogueMetrics,
  recorder: UsageRecorder,
  packageName: string,
  tier: string,
  options: AgentExecutionOptions,
): Tracker {
  const labels = { package: packageName, tier };
  const active = metrics.agent_executions_active.labels(labels);
  const duration = metrics.agent_execution_duration_seconds.labels(labels);
  const executions: Record<AgentExecutionStatus, { inc(): void }> = {
    success: metrics.agent_executions_total.labels({ ...labels, status: 'success' }),
    error: metrics.agent_executions_total.labels({ ...labels, status: 'error' }),
    timeout: metrics.agent_executions_total.labels({ ...labels, status: 'timeout' }),
  };

  return createTracker<AgentExecutionContext>(
    'trackAgentExecution',
    {
      start() {
        active.inc();
        return new AgentExecutionContext();
      },
      run: (context, call) => currentAgentExecution.run(context, call),
      end(context, seconds, outcome) {
        // First, so that nothing below can leave the execution counted as running.
        active.dec();
        context.close();
        duration.observe(seconds);
        executions[outcome.ok ? 'success' : classifyLlmError(outcome.error) === 'timeout' ? 'timeout' : 'error'].inc();

        // The usage of the LLM calls recorded during the execution is exact (each priced by its own
        // model, already counted as unpriced where it has no price); without any, the result's own.
        if (context.usageByModel.size > 0) {
          for (const [model, callUsage] of context.usageByModel)
            recorder.recordAgent(packageName, tier, model, callUsage, false);
          return;
        }
        const usage = outcome.ok ? usageFromResult(outcome.value) : undefined;
        if (usage !== undefined) {
          const model =
            (outcome.ok ? modelFromResult(outcome.value) : undefined) ?? options.model ?? context.soleModel();
          recorder.recordAgent(packageName, tier, model, usage);
        }
      },
    },
    logger,
  );
}
