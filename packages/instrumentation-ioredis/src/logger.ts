import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: our own failures are reported here, never thrown. */
export const logger = diag.createComponentLogger({ namespace: PACKAGE_NAME });
