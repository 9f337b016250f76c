import { classifyLlmError, type LlmCallStatus, type LlmErrorType } from '@agent-telemetry/business-metrics';

/** How a call that did not succeed is recorded. */
export interface Failure {
  readonly status: Exclude<LlmCallStatus, 'success'>;
  readonly errorType: LlmErrorType;
}

/**
 * `status` and `error_type` of an error a call ended with. An abort is `cancelled`, unless the
 * caller's signal was aborted for a reason that says more: `AbortSignal.timeout()` is a
 * `timeout` even where the SDK throws its abort error without that reason (Anthropic's).
 */
export function failureOf(error: unknown, signal?: AbortSignal): Failure {
  let errorType = classifyLlmError(error);
  if (errorType === 'cancelled' && signal?.aborted === true) {
    const why = classifyLlmError(signal.reason);
    if (why !== 'other' && why !== 'cancelled') errorType = why;
  }
  return { status: errorType === 'cancelled' ? 'cancelled' : 'error', errorType };
}

/** The failure of a call the caller abandoned: aborted through `signal`, or a stream it stopped reading. */
export function abandoned(signal?: AbortSignal): Failure {
  return signal?.aborted === true ? failureOf(signal.reason, signal) : { status: 'cancelled', errorType: 'cancelled' };
}
