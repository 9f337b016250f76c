import { type TelemetryPlugin } from '@agent-telemetry/core';
import { instrumentationPlugin } from '@agent-telemetry/core/instrumentation-support';
import { IORedisInstrumentation } from './instrumentation';
import type { IORedisTelemetryOptions } from './types';

/**
 * The ioredis instrumentation as `initTelemetry()` loads it: `redis_operations_total` and
 * `redis_operation_duration_seconds`, plus the upstream spans for the service's tracer provider.
 */
export function createTelemetryPlugin(options: IORedisTelemetryOptions = {}): TelemetryPlugin {
  return instrumentationPlugin('ioredis', new IORedisInstrumentation(options), options);
}
