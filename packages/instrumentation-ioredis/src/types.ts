import type { IORedisInstrumentationConfig } from '@opentelemetry/instrumentation-ioredis';

/**
 * Options of `createTelemetryPlugin()` (and of `initTelemetry({ instrumentations: { ioredis } })`).
 *
 * Besides its own options, the plugin accepts those of `@opentelemetry/instrumentation-ioredis`
 * (`requestHook`, `responseHook`, `dbStatementSerializer`, `requireParentSpan`): they shape the
 * spans that a tracer provider of the service receives. They never change the metrics: every
 * command is counted, inside a span or not.
 */
export interface IORedisTelemetryOptions extends IORedisInstrumentationConfig {
  /**
   * Turns the instrumentation off: no patch, no metric, no span. `initTelemetry()` also skips it
   * with `instrumentations: { ioredis: false }` or `OTEL_NODE_DISABLED_INSTRUMENTATIONS=ioredis`.
   * @default true
   */
  enabled?: boolean;
  /**
   * Also counts the commands ioredis sends itself while it sets up a connection (`auth`, `hello`,
   * `select`, `client setname`, `client setinfo`, the `info` ready check).
   * @default false
   */
  includeHandshakeCommands?: boolean;
}
