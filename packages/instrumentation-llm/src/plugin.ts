import {
  createMetricsCollector,
  metricsCollector,
  type LlmCallRecord,
  type MetricsCollector,
} from '@agent-telemetry/business-metrics';
import { defaultRegistry, type Telemetry } from '@agent-telemetry/core';
import { checkOptionTypes, type TelemetryPlugin } from '@agent-telemetry/core/instrumentation-support';
import { setActiveSink } from './activeSink';
import { GEN_AI_METER, GenAiMetrics } from './GenAiMetrics';
import { LlmInstrumentation } from './instrumentation';
import type { CallSink, GenAiOperation } from './internal-types';
import { logger } from './logger';
import type { LlmTelemetryOptions } from './types';

/** The options whose type is checked when the plugin is created (a `TelemetryConfigError` otherwise). */
const OPTION_TYPES = {
  enabled: 'boolean',
  openai: 'boolean',
  anthropic: 'boolean',
  openaiStreamUsage: 'boolean',
  genAiMetrics: 'boolean',
  collector: 'object',
} as const;

/**
 * The LLM SDK instrumentation as `initTelemetry()` loads it: every call of the `openai` and
 * `@anthropic-ai/sdk` clients in the catalogue's `llm_*` metrics (and the enclosing agent
 * execution's tokens and cost), plus the GenAI semantic-convention histograms over OTLP.
 */
export function createTelemetryPlugin(options: LlmTelemetryOptions = {}): TelemetryPlugin {
  checkOptionTypes('instrumentations.llm', options, OPTION_TYPES);
  const instrumentation = new LlmInstrumentation(options);
  return {
    name: 'llm',
    otlpOnlyMeters: [GEN_AI_METER],
    enable(telemetry) {
      if (options.enabled === false) return;
      const sink = createCallSink(telemetry, options);
      setActiveSink(sink);
      instrumentation.enableSink(sink);
    },
    disable() {
      instrumentation.disable();
      setActiveSink(undefined);
    },
  };
}

/** Where the calls of `telemetry` go: its collector, and the GenAI histograms when OTLP is on. */
function createCallSink(
  telemetry: Pick<Telemetry, 'metrics' | 'meterProvider' | 'config'>,
  options: Pick<LlmTelemetryOptions, 'collector' | 'genAiMetrics'>,
): CallSink {
  const collector = options.collector ?? collectorFor(telemetry);
  const genAi =
    options.genAiMetrics !== false && telemetry.config.otlpEnabled
      ? new GenAiMetrics(telemetry.meterProvider)
      : undefined;
  return {
    record(call: LlmCallRecord, operation: GenAiOperation) {
      try {
        collector.recordLlmCall(call);
      } catch (err) {
        logger.reportOnce('collector', 'failed to record an LLM call', err);
      }
      genAi?.record(call, operation);
    },
  };
}

function collectorFor(telemetry: Pick<Telemetry, 'metrics'>): MetricsCollector {
  return telemetry.metrics === defaultRegistry().metrics ? metricsCollector : createMetricsCollector(telemetry.metrics);
}
