import type { TelemetryPlugin } from '@agent-telemetry/core';
import { IORedisInstrumentation } from './instrumentation';
import type { IORedisTelemetryOptions } from './types';

/**
 * The ioredis instrumentation as `initTelemetry()` loads it: `redis_operations_total` and
 * `redis_operation_duration_seconds`, plus the upstream spans for the service's tracer provider.
 */
export function createTelemetryPlugin(options: IORedisTelemetryOptions = {}): TelemetryPlugin {
  const instrumentation = new IORedisInstrumentation(options);
  return {
    name: 'ioredis',
    // The upstream instance records no metric (no-op meter); should one reach the MeterProvider
    // anyway, initTelemetry drops it.
    upstreamMeters: [instrumentation.instrumentationName],
    enable(telemetry) {
      if (options.enabled === false) return;
      instrumentation.enableMetrics(telemetry.metrics);
    },
    disable() {
      instrumentation.disable();
    },
  };
}
