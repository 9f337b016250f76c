export { createTelemetryPlugin } from './plugin';
export type { IORedisTelemetryOptions } from './types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
