import type { CoreOptions } from '@agent-telemetry/core';

/** Names of the instrumentations `initTelemetry()` enables when their package is installed. */
export type InstrumentationName = 'http' | 'pg' | 'ioredis';

/** Options of `initTelemetry()`: the core options plus one entry per instrumentation. */
export interface TelemetryOptions extends CoreOptions {
  /**
   * Options per instrumentation, or `false` to turn one off. Every installed instrumentation is
   * on by default; `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg,ioredis` turns them off by env.
   * @default {}
   */
  readonly instrumentations?: { readonly [K in InstrumentationName]?: false | Readonly<Record<string, unknown>> };
}
