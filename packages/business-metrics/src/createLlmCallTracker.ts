import type { Tracker } from '@agent-telemetry/core';
import { createTracker } from '@agent-telemetry/core/instrumentation-support';
import { classifyLlmError } from './classifyLlmError';
import { explicitLlmCall, type LlmCallRecorder } from './LlmCallRecorder';
import { logger } from './logger';
import { modelFromResult, usageFromResult } from './usage';

/**
 * The tracker behind `trackLlmCall`: one {@link LlmCallRecorder} record per call, with the
 * response's usage and model when it returns one. It runs the call inside `explicitLlmCall`, so
 * that an instrumented SDK call made inside it is not counted a second time.
 */
export function createLlmCallTracker(recorder: LlmCallRecorder, provider: string, model: string): Tracker {
  recorder.exposeStatuses(provider, model);
  return createTracker(
    'trackLlmCall',
    {
      start: () => undefined,
      run: (_state, call) => explicitLlmCall.run(true, call),
      end(_state, seconds, outcome) {
        if (!outcome.ok) {
          const errorType = classifyLlmError(outcome.error);
          const status = errorType === 'cancelled' ? 'cancelled' : 'error';
          recorder.record({ provider, model, status, errorType, durationSeconds: seconds });
          return;
        }
        const responseModel = modelFromResult(outcome.value);
        const usage = usageFromResult(outcome.value);
        recorder.record({
          provider,
          model,
          status: 'success',
          durationSeconds: seconds,
          ...(responseModel !== undefined && { responseModel }),
          ...(usage !== undefined && { usage }),
        });
      },
    },
    logger,
  );
}
