export { createTelemetryPlugin } from './plugin';
export { trackRequestMetrics } from './trackRequestMetrics';
export type { Tracker } from '@agent-telemetry/core';
export { normalizePath } from './EndpointNormalizer';
export type { EndpointRule, FrameworkModules, HttpInstrumentationOptions, TrackRequestMetricsOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
