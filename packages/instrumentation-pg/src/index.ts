export { createTelemetryPlugin } from './plugin';
export { trackDbQuery } from './trackDbQuery';
export type { DbQueryTracker } from './trackDbQuery';
export type { PgTelemetryOptions, TrackDbQueryOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
