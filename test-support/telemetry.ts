import { createTelemetry, type Telemetry, type TelemetrySetup } from '@agent-telemetry/core';
import type { TelemetryPlugin } from '@agent-telemetry/core/instrumentation-support';

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

/** A {@link testTelemetry} with `plugin` enabled. */
export function instrument(plugin: TelemetryPlugin): Instrumented {
  const telemetry = testTelemetry();
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
