import type { CircuitBreakerState, LlmCallStatus, LlmErrorType, TokenType } from './types';

// The fixed label vocabularies, as runtime lists for argument checks.
export const LLM_CALL_STATUSES: readonly LlmCallStatus[] = ['success', 'error', 'cancelled'];
export const LLM_ERROR_TYPES: readonly LlmErrorType[] = [
  'rate_limit',
  'auth',
  'timeout',
  'server_error',
  'overloaded',
  'connection',
  'cancelled',
  'other',
];
export const TOKEN_TYPES: readonly TokenType[] = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'];

/** The value of `circuit_breaker_state` for each state, as the catalogue's help text says. */
export const CIRCUIT_BREAKER_STATE_VALUES: Readonly<Record<CircuitBreakerState, number>> = Object.freeze({
  closed: 0,
  half_open: 1,
  open: 2,
});
