import type { Telemetry } from './Telemetry';

/**
 * An instrumentation that `initTelemetry()` wires in: it is created first (so the upstream meters
 * it wants dropped are known when the MeterProvider's Views are built), then enabled with the
 * running telemetry.
 */
export interface TelemetryPlugin {
  /** Short name, as in `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (`http`, `pg`, `ioredis`). */
  readonly name: string;
  /** Meters of upstream OTel instrumentations whose own metrics duplicate the catalogue's. */
  readonly upstreamMeters: readonly string[];
  /** Meters of its own that are exported over OTLP only, never in the Prometheus exposition. */
  readonly otlpOnlyMeters?: readonly string[];
  /** Starts recording into `telemetry.metrics`. */
  enable(telemetry: Telemetry): void;
  /** Stops recording and removes every patch. */
  disable(): void;
}
