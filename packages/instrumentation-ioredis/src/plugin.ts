import {
  checkOptionTypes,
  instrumentationPlugin,
  type TelemetryPlugin,
} from '@agent-telemetry/core/instrumentation-support';
import { IORedisInstrumentation } from './instrumentation';
import type { IORedisTelemetryOptions } from './types';

/** The options whose type is checked: this package's and those of the upstream instrumentation. */
const OPTION_TYPES = {
  enabled: 'boolean',
  includeHandshakeCommands: 'boolean',
  dbStatementSerializer: 'function',
  requestHook: 'function',
  responseHook: 'function',
  requireParentSpan: 'boolean',
} as const;

/**
 * The ioredis instrumentation as `initTelemetry()` loads it: `redis_operations_total` and
 * `redis_operation_duration_seconds`, plus the upstream spans for the service's tracer provider.
 *
 * @throws TelemetryConfigError for an option of the wrong type, naming it (`instrumentations.ioredis.requestHook`)
 */
export function createTelemetryPlugin(options: IORedisTelemetryOptions = {}): TelemetryPlugin {
  checkOptionTypes('instrumentations.ioredis', options, OPTION_TYPES);
  return instrumentationPlugin('ioredis', new IORedisInstrumentation(options), options);
}
