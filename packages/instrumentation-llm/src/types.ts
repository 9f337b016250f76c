import type { MetricsCollector } from '@agent-telemetry/business-metrics';

/**
 * Options of `createTelemetryPlugin()` (and of `initTelemetry({ instrumentations: { llm } })`).
 * Every field is optional.
 */
export interface LlmTelemetryOptions {
  /**
   * Turns the instrumentation off: no patch, no metric. `initTelemetry()` also skips it with
   * `instrumentations: { llm: false }` or `OTEL_NODE_DISABLED_INSTRUMENTATIONS=llm`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Instruments the `openai` client.
   * @default true
   */
  readonly openai?: boolean;
  /**
   * Instruments the `@anthropic-ai/sdk` client.
   * @default true
   */
  readonly anthropic?: boolean;
  /**
   * Adds `stream_options: { include_usage: true }` to streamed OpenAI requests that do not set
   * `stream_options`, so that their tokens are counted. This changes what the caller receives:
   * the stream ends with one more chunk, whose `choices` is empty and which carries the `usage`.
   * Code that reads `chunk.choices[0]` without a check breaks on it. Off, such streams are
   * counted in `llm_usage_unreported_total`.
   * @default false
   */
  readonly openaiStreamUsage?: boolean;
  /**
   * Records the GenAI semantic-convention histograms `gen_ai.client.token.usage` and
   * `gen_ai.client.operation.duration` when OTLP export is on (they are never in the
   * Prometheus exposition, where the catalogue's `llm_*` metrics carry the same data).
   * @default true
   */
  readonly genAiMetrics?: boolean;
  /**
   * The collector the calls are recorded through: its price table prices them. By default,
   * `metricsCollector` of `@agent-telemetry/business-metrics` when recording into the default
   * registry (what `initTelemetry()` does), so `metricsCollector.setPrice()` applies; else a new
   * collector on the telemetry's metrics.
   * @default metricsCollector
   */
  readonly collector?: MetricsCollector;
}
