import { diag, type DiagLogger } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version';

// Different failures each package logs at most; a bug that produces ever new keys must not flood
// the host's logs either.
const MAX_REPORTED_KEYS = 100;

/** A package's diag logger: every line starts with the package name. */
export interface Logger extends DiagLogger {
  /**
   * True the first time it is called with `key`, false after: for messages logged once per cause
   * (`if (logger.once(key)) logger.warn(...)`). Keys are bounded (100 per package); past them it
   * is false, after one line that says so.
   */
  once(key: string): boolean;
  /**
   * Logs a failure of agent-telemetry's own code once per `key`, at error level: one that repeats
   * on every call or request must not flood the host's logs, and never reaches the host as an
   * exception. Shares the keys of {@link Logger.once}.
   */
  reportOnce(key: string, message: string, err?: unknown): void;
}

/**
 * The logger of the package `namespace` (its `PACKAGE_NAME`). The one convention: each package has
 * `src/logger.ts` exporting `logger = createLogger(PACKAGE_NAME)`; it forwards to whatever logger
 * `diag.setLogger` installed (none: silent).
 */
export function createLogger(namespace: string): Logger {
  const component = diag.createComponentLogger({ namespace });
  const seen = new Set<string>();
  const once = (key: string): boolean => {
    if (seen.has(key) || seen.size > MAX_REPORTED_KEYS) return false;
    seen.add(key);
    if (seen.size <= MAX_REPORTED_KEYS) return true;
    component.warn(`more than ${MAX_REPORTED_KEYS} different problems reported; further ones are not logged`);
    return false;
  };
  const reportOnce = (key: string, message: string, err?: unknown): void => {
    if (!once(key)) return;
    if (err === undefined) component.error(message);
    else component.error(message, err);
  };
  return Object.assign(component, { once, reportOnce });
}

/** Core's own logger. */
export const logger = createLogger(PACKAGE_NAME);
