import type { Telemetry } from './Telemetry';

/**
 * An instrumentation that `initTelemetry()` wires in. Creating it checks its options and patches
 * nothing (so that a configuration error leaves the process as it was); `enable` patches and
 * starts recording into the running telemetry.
 */
export interface TelemetryPlugin {
  /** Short name, as in `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (`http`, `pg`, `ioredis`). */
  readonly name: string;
  /** Meters of its own that are exported over OTLP only, never in the Prometheus exposition. */
  readonly otlpOnlyMeters?: readonly string[];
  /** Patches the library (if not yet) and starts recording into `telemetry.metrics`. */
  enable(telemetry: Telemetry): void;
  /** Stops recording and removes every patch. */
  disable(): void;
}
