import type { CoreOptions } from '@agent-telemetry/core';
import type { HttpInstrumentationOptions } from '@agent-telemetry/instrumentation-http';
import type { IORedisTelemetryOptions } from '@agent-telemetry/instrumentation-ioredis';
import type { LlmTelemetryOptions } from '@agent-telemetry/instrumentation-llm';
import type { PgTelemetryOptions } from '@agent-telemetry/instrumentation-pg';

/** Names of the instrumentations `initTelemetry()` enables when their package is installed. */
export type InstrumentationName = 'http' | 'pg' | 'ioredis' | 'llm';

/** Options of `initTelemetry()`: the core options plus one entry per instrumentation. */
export interface TelemetryOptions extends CoreOptions {
  /**
   * Options per instrumentation, or `false` to turn one off. Every installed instrumentation is
   * on by default; `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg,ioredis,llm` turns them off by env.
   * @default {}
   */
  readonly instrumentations?: {
    readonly http?: false | HttpInstrumentationOptions;
    readonly pg?: false | PgTelemetryOptions;
    readonly ioredis?: false | IORedisTelemetryOptions;
    readonly llm?: false | LlmTelemetryOptions;
  };
}
