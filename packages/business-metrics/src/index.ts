export { classifyLlmError } from './classifyLlmError';
export { instrumentCircuitBreaker, metricsCollector, trackAgentExecution, trackLlmCall } from './defaultCollector';
export { createMetricsCollector } from './MetricsCollector';
export type { MetricsCollector } from './MetricsCollector';
export { DEFAULT_PRICES } from './prices';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export type {
  AgentExecutionOptions,
  AgentExecutionStatus,
  CircuitBreakerLike,
  CircuitBreakerState,
  LlmCallStatus,
  LlmErrorType,
  MetricsCollectorOptions,
  ModelPrice,
  PriceTable,
  TokenCounts,
  TokenType,
  Tracker,
} from './types';
