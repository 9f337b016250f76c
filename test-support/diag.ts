import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** What was logged through `diag` at warn level and above, until `stop()`. */
export interface CapturedDiag {
  readonly warnings: string[];
  readonly errors: string[];
  stop(): void;
}

/** Captures what is logged through `diag` at warn level and above, until `stop()`. */
export function captureDiag(): CapturedDiag {
  const warnings: string[] = [];
  const errors: string[] = [];
  // A package's component logger passes its namespace first, then the message and the cause.
  const text = (args: unknown[]) => args.map(String).join(' ');
  const ignore = () => {};
  const logger: DiagLogger = {
    error: (...args) => void errors.push(text(args)),
    warn: (...args) => void warnings.push(text(args)),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, errors, stop: () => diag.disable() };
}
