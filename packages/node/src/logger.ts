import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: every line it writes starts with `@agent-telemetry/node`. */
export const logger = diag.createComponentLogger({ namespace: PACKAGE_NAME });
