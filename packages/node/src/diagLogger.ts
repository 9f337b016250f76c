import { TelemetryConfigError } from '@agent-telemetry/core';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { isRegisteredGlobally } from './otelGlobals';

const LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Makes agent-telemetry's warnings and errors (a busy metrics port, a collector that is down, a
 * library loaded too early) reach the service's stderr: OTel's `diag` drops everything until a
 * logger is set. A logger the service registered itself is kept, unless `OTEL_LOG_LEVEL` asks for
 * the console one (as the OTel Node SDK does).
 *
 * @throws TelemetryConfigError for an `OTEL_LOG_LEVEL` that is not a level name
 */
export function installDiagLogger(logLevel: string | undefined): void {
  const wanted = logLevel?.trim().toLowerCase();
  if (wanted && LEVELS[wanted] === undefined) {
    throw new TelemetryConfigError('OTEL_LOG_LEVEL', logLevel, Object.keys(LEVELS).join(', '));
  }
  if (isRegisteredGlobally('diag') && !wanted) return;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: LEVELS[wanted || 'warn'], suppressOverrideMessage: true });
}
