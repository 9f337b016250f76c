/** Thrown by `initTelemetry()` for an invalid option or environment variable. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';

  constructor(
    /** The option (and environment variable, where one applies) that is wrong. */
    readonly field: string,
    readonly value: unknown,
    readonly accepted: string,
  ) {
    super(`agent-telemetry: invalid ${field}: ${JSON.stringify(value)}; accepted: ${accepted}`);
  }
}
