import { createLogger } from '@agent-telemetry/core/instrumentation-support';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: every line it writes starts with `@agent-telemetry/node`. */
export const logger = createLogger(PACKAGE_NAME);
