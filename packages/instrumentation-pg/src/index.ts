export { createTelemetryPlugin } from './plugin';
export { trackDbQuery } from './trackDbQuery';
export type { Tracker } from '@agent-telemetry/core';
export type { PgTelemetryOptions, TrackDbQueryOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
