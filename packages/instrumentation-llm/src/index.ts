export { createTelemetryPlugin } from './plugin';
export { llmMetricsMiddleware } from './aiSdkMiddleware';
export type { LlmMetricsMiddleware, LlmMetricsMiddlewareOptions } from './aiSdkMiddleware';
export type { LlmTelemetryOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
