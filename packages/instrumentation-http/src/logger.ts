import { createLogger } from '@agent-telemetry/core/instrumentation-support';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: our own failures are reported here, never thrown. */
export const logger = createLogger(PACKAGE_NAME);
