import { createTelemetry, type Telemetry, type TelemetryPlugin, type TelemetrySetup } from '@agent-telemetry/core';

/** A telemetry of its own: no metrics server, no runtime metrics, no environment variables read. */
export function testTelemetry(setup: TelemetrySetup = {}): Telemetry {
  return createTelemetry({ prometheus: { server: false }, runtimeMetrics: false }, { env: {}, ...setup });
}

/** A test telemetry with an instrumentation plugin enabled on it. */
export interface Instrumented {
  readonly telemetry: Telemetry;
  readonly plugin: TelemetryPlugin;
  stop(): Promise<void>;
}

/** A {@link testTelemetry} with `plugin` enabled, the upstream meters it names dropped. */
export function instrument(plugin: TelemetryPlugin): Instrumented {
  const telemetry = testTelemetry({ dropMeters: plugin.upstreamMeters });
  plugin.enable(telemetry);
  return {
    telemetry,
    plugin,
    stop: async () => {
      plugin.disable();
      await telemetry.shutdown();
    },
  };
}
