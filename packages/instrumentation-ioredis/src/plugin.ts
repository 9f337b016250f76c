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
    // Upstream records no metric today; listed so that one it adds later cannot duplicate ours.
    upstreamMeters: [instrumentation.instrumentationName],
    enable(telemetry) {
      if (options.enabled === false) return;
      instrumentation.setMeterProvider(telemetry.meterProvider);
      instrumentation.enableMetrics(telemetry.metrics);
    },
    disable() {
      instrumentation.disable();
    },
  };
}
