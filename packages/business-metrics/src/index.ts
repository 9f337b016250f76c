export { classifyLlmError } from './classifyLlmError';
export { instrumentCircuitBreaker, metricsCollector, trackAgentExecution, trackLlmCall } from './defaultCollector';
export { isInsideTrackedLlmCall } from './LlmCallRecorder';
export { createMetricsCollector } from './MetricsCollector';
export type { MetricsCollector } from './MetricsCollector';
export { DEFAULT_PRICES, DEFAULT_PRICES_AS_OF } from './prices';
export { readUsage, usageFromResult } from './usage';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export type {
  AgentExecutionOptions,
  AgentExecutionStatus,
  CircuitBreakerLike,
  CircuitBreakerState,
  LlmCallRecord,
  LlmCallStatus,
  LlmErrorType,
  MetricsCollectorOptions,
  ModelPrice,
  PriceTable,
  TokenCounts,
  TokenType,
} from './types';
export type { Tracker } from '@agent-telemetry/core';
