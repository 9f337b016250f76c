import { diag as apiDiag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

/** This package's logger; it forwards to whatever logger `diag.setLogger` installed. */
export const diag = apiDiag.createComponentLogger({ namespace: PACKAGE_NAME });

const MAX_REPORTED = 100;
const reported = new Set<string>();

/**
 * Logs an error of our own recording code once per `key`: a bug that repeats on every call must
 * not flood the host's logs. Keys are bounded so that the set cannot grow without limit.
 */
export function reportOnce(key: string, message: string, err?: unknown): void {
  if (reported.has(key) || reported.size >= MAX_REPORTED) return;
  reported.add(key);
  diag.error(message, err);
}
