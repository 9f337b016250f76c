export { initTelemetry, getTelemetry } from './initTelemetry';
export type { InstrumentationName, TelemetryOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export { CATALOGUE, TelemetryConfigError, defaultRegistry, defineMetrics } from '@agent-telemetry/core';
export type {
  CatalogueMetrics,
  Labels,
  MetricName,
  MetricsOf,
  MetricsRequestHandler,
  MetricTable,
  ServiceMetricDefinition,
  Telemetry,
} from '@agent-telemetry/core';
