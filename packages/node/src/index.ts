export { initTelemetry, getTelemetry } from './initTelemetry';
export type { InstrumentationName, TelemetryOptions } from './types';
export { CATALOGUE, TelemetryConfigError, defaultRegistry } from '@agent-telemetry/core';
export type { CatalogueMetrics, Labels, MetricName, MetricsRequestHandler, Telemetry } from '@agent-telemetry/core';
