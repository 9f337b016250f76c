import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** Captures what the package logs through `diag` at warn level and above, until `stop()`. */
export function captureDiag(): { warnings: string[]; errors: string[]; stop(): void } {
  const warnings: string[] = [];
  const errors: string[] = [];
  // The package's component logger passes its namespace first, then the message and the cause.
  const text = (args: unknown[]) => args.map(String).join(' ');
  const ignore = () => {};
  const logger: DiagLogger = {
    error: (...args) => errors.push(text(args)),
    warn: (...args) => warnings.push(text(args)),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, errors, stop: () => diag.disable() };
}
