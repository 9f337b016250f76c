import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

/** The package's one diag logger: our own failures are reported here, never thrown. */
export const logger = diag.createComponentLogger({ namespace: PACKAGE_NAME });

const reported = new Set<string>();

/**
 * Logs an error of our own recording code once per `key`: a bug that repeats on every request
 * must not flood the host's logs, and must never reach the host as an exception.
 */
export function reportOnce(key: string, message: string, err?: unknown): void {
  if (reported.has(key)) return;
  reported.add(key);
  logger.error(message, err);
}
