import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: our own failures are reported here, never thrown. */
export const logger = diag.createComponentLogger({ namespace: PACKAGE_NAME });

const MAX_REPORTED = 100;
const reported = new Set<string>();

/** Logs a failure of our own recording code once per `key`: a bug repeating per call must not flood the logs. */
export function reportOnce(key: string, message: string, err?: unknown): void {
  if (reported.has(key) || reported.size >= MAX_REPORTED) return;
  reported.add(key);
  logger.error(message, err);
}
