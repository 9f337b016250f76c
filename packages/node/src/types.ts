import type { CoreOptions, MetricTable } from '@agent-telemetry/core';
import type { HttpInstrumentationOptions } from '@agent-telemetry/instrumentation-http';
import type { IORedisTelemetryOptions } from '@agent-telemetry/instrumentation-ioredis';
import type { LlmTelemetryOptions } from '@agent-telemetry/instrumentation-llm';
import type { PgTelemetryOptions } from '@agent-telemetry/instrumentation-pg';

/** Names of the instrumentations `initTelemetry()` enables. */
export type InstrumentationName = 'http' | 'pg' | 'ioredis' | 'llm';

/** Options of `initTelemetry()`: the core options plus one entry per instrumentation. */
export interface TelemetryOptions<T extends MetricTable = MetricTable> extends CoreOptions<T> {
  /**
   * Options per instrumentation, or `false` to turn one off. Every instrumentation is on by
   * default; `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg,ioredis,llm` turns them off by env.
   * @default {}
   */
  readonly instrumentations?: {
    readonly http?: false | HttpInstrumentationOptions;
    readonly pg?: false | PgTelemetryOptions;
    readonly ioredis?: false | IORedisTelemetryOptions;
    readonly llm?: false | LlmTelemetryOptions;
  };
  /**
   * Register import-in-the-middle's ES module loader hook (for the instrumented packages only), so
   * that libraries imported as ES modules after `initTelemetry()` are instrumented. Turn it off
   * when another tool registers that hook for the process (an APM agent, OTel's
   * auto-instrumentations `register`): two would wrap each module twice.
   * @default true
   */
  readonly esmLoaderHooks?: boolean;
  /**
   * Register agent-telemetry's MeterProvider as the global one of `@opentelemetry/api`, so that
   * `metrics.getMeter()` records into the exposition and OTLP. One the service registered before
   * is kept either way (with a warning).
   * @default true
   */
  readonly globalMeterProvider?: boolean;
  /**
   * On SIGTERM and SIGINT, push the pending OTLP values, then let the process end as it would
   * have without agent-telemetry (see the README's "Signals"). `register` turns it on.
   * @default false (env `AGENT_TELEMETRY_FLUSH_ON_SIGNALS`; `true` under `register`)
   */
  readonly flushOnSignals?: boolean;
}
