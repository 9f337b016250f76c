import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** What was logged through `diag` at warn level and above, until `stop()`. */
export interface CapturedDiag {
  readonly warnings: string[];
  readonly errors: string[];
  stop(): void;
}

export function captureDiag(): CapturedDiag {
  const warnings: string[] = [];
  const errors: string[] = [];
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
